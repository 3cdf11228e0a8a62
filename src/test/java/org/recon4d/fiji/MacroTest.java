package org.recon4d.fiji;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import net.imagej.patcher.LegacyEnvironment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recon4d.io.Tiff;
import org.recon4d.metrics.Metrics;
import org.recon4d.phantom.SheppLogan;

/**
 * ImageJ 1.x macros headless, the way Fiji runs them: ij1-patcher's LegacyEnvironment reads our
 * plugins.config, and run("...", "key=value ...") drives the plugins' GenericDialogs.
 */
class MacroTest {

	@TempDir Path tmp;

	@Test
	void simulateReconstructWriteByMacro() throws Exception {
		System.setProperty("java.awt.headless", "true");
		final Path rec = tmp.resolve("rec.tif"), zarr = tmp.resolve("rec.ome.zarr"), red = tmp.resolve("red.tif");
		final LegacyEnvironment ij1 = new LegacyEnvironment(null, true);
		ij1.disableIJ1PluginDirs();
		ij1.addPluginClasspath(jar(Paths.get("target/classes"), tmp.resolve("Recon_4D-test.jar")).toFile());
		// what Fiji.app/jars holds: our runtime dependencies (not ImageJ 1.x itself, which the patcher loads)
		for (final String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
			if (e.endsWith(".jar") && !e.contains("/net/imagej/ij/") && !e.contains("ij1-patcher") && !e.contains("javassist"))
				ij1.addPluginClasspath(new java.io.File(e));
		// multi-coil k-space for the MRI entry: 64 x 64 Shepp-Logan, 8 simulated coils, 3x random lines
		final float[] sl = SheppLogan.image(64), cx = new float[2 * 64 * 64];
		for (int p = 0; p < 64 * 64; p++) cx[2 * p] = sl[p];
		final org.recon4d.op.mri.Sense sense = new org.recon4d.op.mri.Sense(64, 64, 8, 1, org.recon4d.mri.CoilMaps.simulate(64, 64, 8),
			org.recon4d.op.mri.Masks.lines(org.recon4d.op.mri.Masks.random1d(64, 3, 0.12, 1), 64));
		org.recon4d.io.Cfl.write(tmp.resolve("k"), new long[] { 64, 64, 1, 8 }, sense.apply(cx), false);
		final Path mri = tmp.resolve("mri.tif");
		// a 16-view sinogram of 4 slices of a held-out head for the diffusion entry (detector x view x slice)
		final float[] head = java.util.Arrays.copyOfRange(org.recon4d.phantom.BrainVolume.volume(64, 64, 1_000_003), 30 * 64 * 64, 34 * 64 * 64);
		final org.recon4d.op.tomo.ParallelBeamProjector p16 = new org.recon4d.op.tomo.ParallelBeamProjector(64, 64, 4, 64, new double[][] { org.recon4d.io.Angles.resolve("linear", 1, 16)[0] });
		final float[] headSino = org.recon4d.phantom.Noise.gaussian(p16.apply(head), 0.005, 3);
		final Path brainSino = tmp.resolve("head-sino.tif");
		Tiff.write(org.recon4d.io.Volume.of(headSino, 64, 16, 4), brainSino, false);
		ij1.runMacro(
			"setBatchMode(true);\n" +
			"run(\"Recon4D MRI Reconstruct\", \"kspace=" + tmp.resolve("k.cfl") + " maps=[] calib=8 method=tv lambda=0.005 iterations=30\");\n" +
			"saveAs(\"Tiff\", \"" + mri + "\");\n" +
			"run(\"Recon4D MRI Unrolled\", \"kspace=" + Paths.get("src/test/resources/unrolled/kspace.npy").toAbsolutePath() + " network=" +
			Paths.get("src/test/resources/unrolled/e2e-varnet.npz").toAbsolutePath() + " undersample=none output=rss slice_batch=1\");\n" +
			"saveAs(\"Tiff\", \"" + tmp.resolve("unrolled.tif") + "\");\n" +
			"run(\"Recon4D Simulate\", \"phantom=shepp-logan size=64 frames=1 views=90 schedule=linear noise=none level=0 seed=1\");\n" +
			"if (getTitle() != \"sinogram\") exit(\"expected the sinogram, got \" + getTitle());\n" +
			"run(\"Recon4D Reconstruct\", \"angles=linear method=fbp iterations=1 lambda=0 time_weight=0 filter=ramp window=1\");\n" +
			"saveAs(\"Tiff\", \"" + rec + "\");\n" +
			"run(\"Recon4D Write Volume\", \"path=" + zarr + "\");\n" +
			"run(\"Recon4D Simulate\", \"phantom=dynamic size=32 frames=8 views=4 schedule=bitreversed noise=gaussian level=0.005 seed=2\");\n" +
			"run(\"Recon4D Reconstruct\", \"angles=bitreversed method=red-psm iterations=40 lambda=0.1 time_weight=16 filter=hann window=8\");\n" +
			"saveAs(\"Tiff\", \"" + red + "\");\n" +
			"open(\"" + brainSino + "\");\n" +
			"run(\"Recon4D Diffusion Prior\", \"modality=ct kspace=[] undersample=none angles=linear method=diffusion-mbir-bdia model=builtin contract=denoiser steps=10 lambda_z=0.001 rho=0.01 zeta=25 lambda=0.02 samples=2 seed=1\");\n" +
			"saveAs(\"Tiff\", \"" + tmp.resolve("diffusion.tif") + "\");\n" +
			"if (!isOpen(\"diffusion-diffusion-mbir-bdia-sd\")) exit(\"no standard-deviation image\");\n" +
			"run(\"Recon4D Avatar Fit\", \"capture=[" + Paths.get("sample-data/avatar").toAbsolutePath() + "] template=[] output=[" + tmp.resolve("avatar") +
			"] start_scale=1 appearance=5 shape=3 detail=1 final=5\");\n" +
			"if (nSlices != 36) exit(\"expected the 36-frame turntable, got \" + nSlices);\n", "");
		// the avatar entry wrote the rigged result, readable again
		assertEquals(2578, org.recon4d.avatar.Glb.read(tmp.resolve("avatar").resolve("avatar.glb")).vertexCount());
		assertTrue(Files.exists(tmp.resolve("avatar").resolve("turntable.tif")));
		assertTrue(Files.exists(rec), "macro did not save the reconstruction");
		final double psnr = Metrics.psnr(Tiff.read(rec).data(), SheppLogan.image(64));
		System.out.printf("macro FBP PSNR %.2f dB%n", psnr);
		assertTrue(psnr > 24, "PSNR " + psnr);
		assertTrue(Files.exists(zarr.resolve("0/.zarray")));
		// RED-PSM through the same macro route (the shipped denoiser, TV start)
		assertTrue(Files.exists(red), "macro did not save the RED-PSM result");
		final float[] redPsm = Tiff.read(red).data();
		final double redPsnr = Metrics.psnr(redPsm, new org.recon4d.phantom.DynamicPhantom(2).render(32, 8));
		System.out.printf("macro RED-PSM PSNR %.2f dB%n", redPsnr);
		assertTrue(redPsnr > 16, "RED-PSM PSNR " + redPsnr);
		final float[] mriRec = org.recon4d.bench.MriBench.align(Tiff.read(mri).data(), sl);
		final double mriPsnr = Metrics.psnr(mriRec, sl);
		System.out.printf("macro MRI TV PSNR %.2f dB%n", mriPsnr);
		assertTrue(mriPsnr > 25, "MRI PSNR " + mriPsnr);
		// the unrolled-network entry reproduces PyTorch's output for the committed fixture
		final float[] unrolled = Tiff.read(tmp.resolve("unrolled.tif")).data(), torch = org.recon4d.io.Npy.read(Paths.get("src/test/resources/unrolled/e2e-varnet-out.npy")).data();
		double err = 0;
		for (int i = 0; i < torch.length; i++) err = Math.max(err, Math.abs(unrolled[i] - torch[i]));
		assertTrue(err < 1e-4, "macro unrolled vs PyTorch: max difference " + err);
		// the diffusion entry on the head's sinogram: it must beat the 16-view FBP clearly
		final double diff = Metrics.psnr(Tiff.read(tmp.resolve("diffusion.tif")).data(), head);
		final double fbp16 = Metrics.psnr(org.recon4d.solve.Fbp.reconstruct(p16, headSino, org.recon4d.solve.Fbp.Filter.RAMP), head);
		System.out.printf("macro diffusion PSNR %.2f dB (16-view FBP %.2f dB)%n", diff, fbp16);
		assertTrue(diff > fbp16 + 3, "diffusion " + diff + " vs FBP " + fbp16);
		final Map<String, String> menus = ij1.getMenuStructure();
		assertTrue(menus.keySet().stream().anyMatch(k -> k.endsWith("Recon4D Reconstruct")), menus.keySet().toString());
	}

	/** Packs the compiled classes and plugins.config the way the release jar holds them. */
	static Path jar(final Path classes, final Path jar) throws java.io.IOException {
		try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
			java.util.stream.Stream<Path> files = Files.walk(classes))
		{
			for (final Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
				out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(f).toString().replace('\\', '/')));
				Files.copy(f, out);
				out.closeEntry();
			}
		}
		return jar;
	}
}
