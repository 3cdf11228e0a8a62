package org.recon4d.scripts;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recon4d.io.OmeZarr;

/** Runs scripts/simulate_reconstruct.groovy as a user would: simulate, reconstruct, save. */
class GroovyScriptTest {

	@TempDir Path tmp;

	@Test
	void exampleScriptRuns() throws Exception {
		final Binding b = new Binding();
		b.setVariable("outDir", tmp.toString());
		final Object r = new GroovyShell(b).evaluate(Path.of("scripts/simulate_reconstruct.groovy").toFile());
		final Map<?, ?> m = (Map<?, ?>) r;
		final double fbp = ((Number) m.get("fbp")).doubleValue(), tv = ((Number) m.get("tv")).doubleValue();
		System.out.printf("groovy: FBP %.2f dB, TV %.2f dB%n", fbp, tv);
		assertTrue(tv > fbp + 2, "space-time TV " + tv + " vs FBP " + fbp);
		assertTrue(Files.exists(tmp.resolve("tv-spacetime.ome.zarr/.zattrs")));
		assertArrayEquals(new long[] { 64, 64, 32 }, OmeZarr.read(tmp.resolve("tv-spacetime.ome.zarr")).dims());
	}

	@Test
	void redPsmScriptRuns() throws Exception {
		final Binding b = new Binding();
		b.setVariable("size", 32);
		b.setVariable("frames", 16);
		b.setVariable("outer", 3);
		final Map<?, ?> m = (Map<?, ?>) new GroovyShell(b).evaluate(Path.of("scripts/red_psm.groovy").toFile());
		final double tv = ((Number) m.get("tv")).doubleValue(), red = ((Number) m.get("redpsm")).doubleValue();
		System.out.printf("groovy RED-PSM: TV %.2f dB, RED-PSM %.2f dB%n", tv, red);
		// RED-PSM starts from the TV result and must not lose much of it in 3 iterations
		assertTrue(red > tv - 1.0, "RED-PSM " + red + " vs TV " + tv);
		assertTrue(red > 14, "RED-PSM PSNR " + red);
	}

	@Test
	void diffusionScriptRuns() throws Exception {
		final Binding b = new Binding();
		b.setVariable("outDir", tmp.toString());
		b.setVariable("slices", 4);
		b.setVariable("views", 16);
		b.setVariable("steps", 10);
		b.setVariable("samples", 2);
		final Map<?, ?> m = (Map<?, ?>) new GroovyShell(b).evaluate(Path.of("scripts/diffusion.groovy").toFile());
		final double fbp = ((Number) m.get("fbp")).doubleValue(), diff = ((Number) m.get("diffusion")).doubleValue();
		System.out.printf("groovy diffusion: FBP %.2f dB, diffusion %.2f dB%n", fbp, diff);
		assertTrue(diff > fbp + 3, "diffusion " + diff + " vs FBP " + fbp);
		assertEquals(20L, ((Number) m.get("nfe")).longValue(), "two draws of 10 steps");
		assertTrue(Files.exists(tmp.resolve("diffusion.xml")) && Files.exists(tmp.resolve("diffusion-sd.xml")));
	}

	@Test
	void avatarScriptFitsAndAnimates() throws Exception {
		final Binding b = new Binding();
		b.setVariable("outDir", tmp.resolve("avatar").toString());
		b.setVariable("steps", 40);
		final Map<?, ?> m = (Map<?, ?>) new GroovyShell(b).evaluate(Path.of("scripts/avatar.groovy").toFile());
		final double start = ((Number) m.get("chamfer_start_mm")).doubleValue(), end = ((Number) m.get("chamfer_end_mm")).doubleValue();
		System.out.printf("groovy avatar: chamfer %.2f -> %.2f mm, %s%n", start, end, m);
		assertTrue(end < 0.5 * start, "chamfer " + start + " -> " + end);
		assertTrue(((Number) m.get("raised_pixels")).intValue() > 500, "the reposed avatar should be visible");
		assertTrue(Files.exists(tmp.resolve("avatar").resolve("raised-arm.png")) && Files.exists(tmp.resolve("avatar").resolve("avatar.glb")));
	}

	@Test
	void mriScriptRuns() throws Exception {
		final Binding b = new Binding();
		b.setVariable("outDir", tmp.toString());
		final Map<?, ?> m = (Map<?, ?>) new GroovyShell(b).evaluate(Path.of("scripts/mri_reconstruct.groovy").toFile());
		final double sense = ((Number) m.get("sense")).doubleValue(), tv = ((Number) m.get("tv")).doubleValue();
		System.out.printf("groovy MRI: CG-SENSE %.2f dB, TV %.2f dB%n", sense, tv);
		assertTrue(tv > sense + 3, "TV " + tv + " vs CG-SENSE " + sense);
		assertTrue(Files.exists(tmp.resolve("mri-tv.xml")));
		assertArrayEquals(new long[] { 128, 128, 1 }, OmeZarr.read(tmp.resolve("mri-tv.ome.zarr")).dims());
	}

	@Test
	void mriScriptReadsAFastMriFile() throws Exception {
		// a fully sampled 4-coil Shepp-Logan slice written by h5py as fastMRI .h5, undersampled 3x in Java first
		final int n = 64, coils = 4;
		final float[] sl = org.recon4d.phantom.SheppLogan.image(n), x = new float[2 * n * n];
		for (int p = 0; p < n * n; p++) x[2 * p] = sl[p];
		final org.recon4d.op.mri.Sense a = new org.recon4d.op.mri.Sense(n, n, coils, 1, org.recon4d.mri.CoilMaps.simulate(n, n, coils),
			org.recon4d.op.mri.Masks.lines(org.recon4d.op.mri.Masks.random1d(n, 3, 0.2, 5), n));
		org.recon4d.io.Npy.writeComplex(tmp.resolve("k.npy"), a.apply(x), new long[] { n, n, coils, 1 }, false);
		org.recon4d.testutil.Python.run("make_fastmri_h5.py", "--from-npy", tmp.resolve("k.npy").toString(), tmp.resolve("k.h5").toString());
		final Binding b = new Binding();
		b.setVariable("outDir", tmp.resolve("out").toString());
		b.setVariable("kspace", tmp.resolve("k.h5").toString());
		new GroovyShell(b).evaluate(Path.of("scripts/mri_reconstruct.groovy").toFile());
		final float[] tv = OmeZarr.read(tmp.resolve("out/mri-tv.ome.zarr")).data();
		final double psnr = org.recon4d.metrics.Metrics.psnr(org.recon4d.bench.MriBench.align(tv, sl), sl);
		System.out.printf("groovy MRI from a fastMRI .h5: TV %.2f dB%n", psnr);
		assertTrue(Files.exists(tmp.resolve("out/mri-tv.xml")));
		assertTrue(psnr > 24, "PSNR " + psnr);
	}

	@Test
	void unrolledScriptRunsACommittedNetwork() throws Exception {
		// the 32 x 32, 4-coil fixture made by python3-torch; the script must reproduce PyTorch's output
		final Path fix = Path.of("src/test/resources/unrolled");
		final Binding b = new Binding();
		b.setVariable("outDir", tmp.resolve("u").toString());
		b.setVariable("kspace", fix.resolve("kspace.npy").toString());
		b.setVariable("network", fix.resolve("recurrentvarnet.pt").toString());
		final float[] mag = (float[]) new GroovyShell(b).evaluate(Path.of("scripts/mri_unrolled.groovy").toFile());
		final float[] torch = org.recon4d.io.Npy.read(fix.resolve("recurrentvarnet-out.npy")).data();
		for (int i = 0; i < torch.length; i++) org.junit.jupiter.api.Assertions.assertEquals(torch[i], mag[i], 1e-5);
		assertArrayEquals(new long[] { 32, 32, 1 }, OmeZarr.read(tmp.resolve("u/unrolled.ome.zarr")).dims());
		assertTrue(Files.exists(tmp.resolve("u/unrolled.xml")));
	}
}
