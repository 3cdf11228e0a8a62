package org.recon4d.command;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recon4d.io.Angles;
import org.recon4d.io.Npy;
import org.recon4d.metrics.Metrics;
import org.recon4d.tensor.Tensors;
import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

/** Every command through SciJava's CommandService, headless. */
class CommandsTest {

	static Context ctx;
	static CommandService cs;
	@TempDir Path tmp;

	@BeforeAll
	static void up() {
		ctx = new Context();
		// remembered values from other test classes must not change these runs; the prefs root is
		// target/java-prefs under surefire (pom.xml), never the user's own
		assertTrue(System.getProperty("java.util.prefs.userRoot", "").contains("java-prefs"));
		ctx.service(org.scijava.prefs.PrefService.class).clearAll();
		cs = ctx.service(CommandService.class);
	}

	@AfterAll
	static void down() {
		ctx.dispose();
	}

	@SuppressWarnings("unchecked")
	static Img<FloatType> img(final CommandModule m, final String name) {
		return (Img<FloatType>) m.getOutput(name);
	}

	CommandModule simulate(final Object... extra) throws Exception {
		final Object[] base = { "phantom", "shepp-logan", "size", 64, "frames", 1, "viewsPerFrame", 90, "schedule", "linear",
			"noise", "gaussian", "noiseLevel", 0.005, "seed", 3L };
		final Object[] all = new Object[base.length + extra.length];
		System.arraycopy(base, 0, all, 0, base.length);
		System.arraycopy(extra, 0, all, base.length, extra.length);
		return cs.run(SimulateCommand.class, true, all).get();
	}

	@Test
	void menuPathsAndLabels() {
		for (final Class<?> c : new Class<?>[] { SimulateCommand.class, ReconstructCommand.class, WriteVolumeCommand.class,
			ShowInBdvCommand.class, EngineCommand.class, DemoCommand.class, BenchCommand.class, MriReconstructCommand.class, MriSimulateCommand.class, MriDynamicCommand.class, MriCoilMapsCommand.class, MriUnrolledCommand.class,
			DiffusionCtCommand.class, DiffusionMriCommand.class }) {
			final CommandInfo info = cs.getCommand(c.getName());
			assertNotNull(info, c.getName());
			assertTrue(info.getMenuPath().getMenuString().startsWith("Plugins > Recon4D"), info.getMenuPath().getMenuString());
		}
	}

	@Test
	void simulateAndReconstructEveryMethod() throws Exception {
		final CommandModule sim = simulate("angleFile", tmp.resolve("angles.txt").toString());
		final Img<FloatType> truth = img(sim, "truth"), sino = img(sim, "sinogram");
		assertArrayEquals(new long[] { 64, 64, 1 }, truth.dimensionsAsLongArray());
		assertArrayEquals(new long[] { 64, 90, 1 }, sino.dimensionsAsLongArray());
		assertEquals(90, Angles.read(tmp.resolve("angles.txt"), 1, 90)[0].length);
		final Map<String, Double> bounds = Map.of("fbp", 22.0, "sirt", 22.0, "cgls", 22.0, "tv", 28.0);
		for (final Map.Entry<String, Double> e : bounds.entrySet()) {
			final CommandModule rec = cs.run(ReconstructCommand.class, true, "sinogram", sino, "angles", tmp.resolve("angles.txt").toString(),
				"method", e.getKey(), "filter", "ramp", "window", 1, "iterations", 60, "lambda", 0.2, "reference", truth).get();
			assertFalse(rec.isCanceled(), e.getKey() + ": " + rec.getCancelReason());
			final double psnr = Metrics.psnr(Tensors.data(img(rec, "reconstruction")), Tensors.data(truth));
			System.out.printf("command reconstruct %s: PSNR %.2f dB (%s)%n", e.getKey(), psnr, rec.getOutput("summary"));
			assertTrue(psnr > e.getValue(), e.getKey() + " PSNR " + psnr);
			assertTrue(((String) rec.getOutput("summary")).contains("PSNR"));
		}
	}

	@Test
	void reconstructRejectsMissingAngles() throws Exception {
		final Img<FloatType> sino = img(simulate(), "sinogram");
		Files.writeString(tmp.resolve("short.txt"), "0\n2\n4\n");
		final CommandModule rec = cs.run(ReconstructCommand.class, true, "sinogram", sino, "angles", tmp.resolve("short.txt").toString(),
			"method", "fbp").get();
		assertTrue(rec.isCanceled());
		assertTrue(rec.getCancelReason().contains("short.txt") && rec.getCancelReason().contains("angles are missing"), rec.getCancelReason());
	}

	@Test
	void reconstructCancelsPromptly() throws Exception {
		final CommandModule sim = cs.run(SimulateCommand.class, true, "phantom", "dynamic", "size", 96, "frames", 64, "viewsPerFrame", 1,
			"schedule", "bitreversed", "noise", "none", "noiseLevel", 0.0, "seed", 1L).get();
		final ModuleService ms = ctx.service(ModuleService.class);
		final Module m = ms.createModule(cs.getCommand(ReconstructCommand.class));
		final var future = ms.run(m, true, "sinogram", img(sim, "sinogram"), "angles", "bitreversed", "method", "tv-spacetime",
			"iterations", 100000, "lambda", 0.1, "timeWeight", 16.0, "window", 8, "filter", "hann", "slices", 1, "nonneg", true);
		Thread.sleep(1500);
		final long t0 = System.nanoTime();
		((Cancelable) m).cancel("test cancel");
		future.get();
		final double waited = (System.nanoTime() - t0) * 1e-9;
		System.out.printf("cancel returned after %.3f s%n", waited);
		assertTrue(((Cancelable) m).isCanceled());
		assertTrue(waited < 2, "cancel took " + waited + " s");
	}

	@Test
	void writeVolumeKeepsExistingFiles() throws Exception {
		final Img<FloatType> truth = img(simulate(), "truth");
		final Path out = tmp.resolve("t.npy");
		CommandModule w = cs.run(WriteVolumeCommand.class, true, "volume", truth, "output", out.toFile(), "overwrite", false).get();
		assertFalse(w.isCanceled(), w.getCancelReason());
		final byte[] first = Files.readAllBytes(out);
		final Img<FloatType> other = img(simulate("seed", 9L), "truth");
		for (final FloatType t : other) t.set(t.get() + 1);
		w = cs.run(WriteVolumeCommand.class, true, "volume", other, "output", out.toFile(), "overwrite", false).get();
		assertTrue(w.isCanceled());
		assertTrue(w.getCancelReason().contains("overwrite=true"), w.getCancelReason());
		assertArrayEquals(first, Files.readAllBytes(out));
		assertArrayEquals(Tensors.data(truth), Npy.read(out).data());
		w = cs.run(WriteVolumeCommand.class, true, "volume", truth, "output", tmp.resolve("t.ome.zarr").toFile(), "voxelSize", 0.5, "unit", "micrometer").get();
		assertFalse(w.isCanceled(), w.getCancelReason());
		assertTrue(Files.exists(tmp.resolve("t.ome.zarr/0/.zarray")));
	}

	@Test
	void redPsmCommandRuns() throws Exception {
		final CommandModule sim = cs.run(SimulateCommand.class, true, "phantom", "dynamic", "size", 32, "frames", 16, "viewsPerFrame", 2,
			"schedule", "bitreversed", "noise", "gaussian", "noiseLevel", 0.005, "seed", 5L).get();
		for (final String method : new String[] { "psm", "red-psm" }) {
			final CommandModule m = cs.run(RedPsmCommand.class, true, "sinogram", img(sim, "sinogram"), "angles", "bitreversed", "method", method,
				"rank", 3, "latents", 5, "lambda", 100.0, "beta", 100.0, "iterations", 3, "innerSteps", 5, "denoiser", "builtin",
				"init", "tv-spacetime", "reference", img(sim, "truth")).get();
			assertFalse(m.isCanceled(), method + ": " + m.getCancelReason());
			final double psnr = Metrics.psnr(Tensors.data(img(m, "reconstruction")), Tensors.data(img(sim, "truth")));
			System.out.printf("command %s: %.2f dB (%s)%n", method, psnr, m.getOutput("summary"));
			assertArrayEquals(new long[] { 32, 32, 16 }, img(m, "reconstruction").dimensionsAsLongArray());
			assertTrue(psnr > 16, method + " PSNR " + psnr);
		}
		final CommandModule bad = cs.run(RedPsmCommand.class, true, "sinogram", img(sim, "sinogram"), "angles", "bitreversed", "method", "red-psm",
			"rank", 3, "latents", 5, "lambda", 100.0, "beta", 100.0, "iterations", 1, "innerSteps", 1, "denoiser", "/nonexistent/d.pt", "init", "fbp").get();
		assertTrue(bad.isCanceled());
		assertTrue(bad.getCancelReason().contains("d.pt"), bad.getCancelReason());
	}

	@Test
	void mriSimulateAndReconstruct() throws Exception {
		final String prefix = tmp.resolve("sl").toString();
		final CommandModule sim = cs.run(MriSimulateCommand.class, true, "size", 96, "coils", 8, "mask", "random", "acceleration", 4.0,
			"noise", 0.0005, "seed", 4L, "out", prefix, "overwrite", false).get();
		assertFalse(sim.isCanceled(), sim.getCancelReason());
		final float[] truth = org.recon4d.phantom.SheppLogan.image(96);
		final double[] err = new double[2];
		final String[] methods = { "zero-filled", "tv" };
		for (int i = 0; i < 2; i++) {
			final CommandModule m = cs.run(MriReconstructCommand.class, true, "kspace", prefix + "-k.cfl", "maps", "", "calib", 8,
				"method", methods[i], "lambda", 0.005, "iterations", 30, "out", "", "overwrite", false).get();
			assertFalse(m.isCanceled(), m.getCancelReason());
			final float[] x = Tensors.data(img(m, "reconstruction"));
			err[i] = Metrics.nrmse(org.recon4d.bench.MriBench.align(x, truth), truth);
			System.out.printf("MRI command %s: NRMSE %.4f (%s)%n", methods[i], err[i], m.getOutput("summary"));
		}
		assertTrue(err[1] < 0.6 * err[0], "TV " + err[1] + " vs zero-filled " + err[0]);
		// the simulator refuses to overwrite; a truncated file is named in the error
		final CommandModule again = cs.run(MriSimulateCommand.class, true, "size", 32, "coils", 2, "mask", "full", "acceleration", 1.0,
			"noise", 0.0, "seed", 4L, "out", prefix, "overwrite", false).get();
		assertTrue(again.isCanceled() && again.getCancelReason().contains("exists"), String.valueOf(again.getCancelReason()));
		Files.write(Path.of(prefix + "-k.cfl"), new byte[64]);
		final CommandModule bad = cs.run(MriReconstructCommand.class, true, "kspace", prefix + "-k.cfl", "maps", "", "calib", 8,
			"method", "sense", "lambda", 0.01, "iterations", 5, "out", "", "overwrite", false).get();
		assertTrue(bad.isCanceled() && bad.getCancelReason().contains("sl-k.cfl") && bad.getCancelReason().contains("truncated"), bad.getCancelReason());
	}

	@Test
	void mriReconstructsAFastMriFileWithRetrospectiveUndersampling() throws Exception {
		// two fully sampled slices of an 8-coil Shepp-Logan, written as fastMRI .h5 by h5py; 96 wide, so
		// fastMRI's 3x centre (8 % of the columns) holds the 8 x 8 calibration block ESPIRiT needs
		final int n = 96, coils = 8;
		final float[] sl = org.recon4d.phantom.SheppLogan.image(n), x = new float[2 * n * n * 2];
		for (int p = 0; p < n * n; p++) { x[2 * p] = sl[p]; x[2 * (n * n + p)] = 0.5f * sl[p]; }
		final org.recon4d.op.mri.Sense full = new org.recon4d.op.mri.Sense(n, n, coils, 2, org.recon4d.mri.CoilMaps.simulate(n, n, coils), null);
		org.recon4d.io.Npy.writeComplex(tmp.resolve("k.npy"), full.apply(x), new long[] { n, n, coils, 2 }, false);
		org.recon4d.testutil.Python.run("make_fastmri_h5.py", "--from-npy", tmp.resolve("k.npy").toString(), tmp.resolve("k.h5").toString());
		final double[] psnr = new double[2];
		final String[] files = { "k.h5", "k.npy" };
		for (int i = 0; i < 2; i++) {
			final CommandModule m = cs.run(MriReconstructCommand.class, true, "kspace", tmp.resolve(files[i]).toString(), "maps", "", "undersample", "random:3",
				"calib", 8, "method", "tv", "lambda", 0.005, "iterations", 30, "out", "", "overwrite", false).get();
			assertFalse(m.isCanceled(), m.getCancelReason());
			final Img<FloatType> rec = img(m, "reconstruction");
			assertArrayEquals(new long[] { n, n, 2 }, rec.dimensionsAsLongArray());
			final float[] first = java.util.Arrays.copyOf(Tensors.data(rec), n * n);
			psnr[i] = Metrics.psnr(org.recon4d.bench.MriBench.align(first, sl), sl);
			System.out.printf("MRI from %s, 3x retrospective: TV %.2f dB (%s)%n", files[i], psnr[i], m.getOutput("summary"));
		}
		assertTrue(psnr[0] > 25, "PSNR " + psnr[0]);
		assertEquals(psnr[0], psnr[1], 1e-6, "the .h5 and .npy routes read the same k-space");
	}

	@Test
	void mriUnrolledCommandMatchesPyTorchOnFastMriAndNpyInput() throws Exception {
		// the committed 32 x 32, 4-coil fixture (scripts/unrolled_torch.py fixture): k-space, networks, PyTorch's outputs
		final Path fix = Path.of("src/test/resources/unrolled");
		org.recon4d.testutil.Python.run("make_fastmri_h5.py", "--from-npy", fix.resolve("kspace.npy").toAbsolutePath().toString(), tmp.resolve("u.h5").toString());
		for (final String kind : new String[] { "e2e-varnet", "recurrentvarnet" }) {
			final float[] torch = org.recon4d.io.Npy.read(fix.resolve(kind + "-out.npy")).data();
			for (final String net : new String[] { kind + ".npz", kind + ".pt" }) for (final String input : new String[] { fix.resolve("kspace.npy").toString(), tmp.resolve("u.h5").toString() }) {
				final CommandModule m = cs.run(MriUnrolledCommand.class, true, "kspace", input, "network", fix.resolve(net).toString(),
					"undersample", "none", "output", "rss", "sliceBatch", 2).get();
				assertFalse(m.isCanceled(), m.getCancelReason());
				final float[] x = Tensors.data(img(m, "reconstruction"));
				assertArrayEquals(new long[] { 32, 32, 1 }, img(m, "reconstruction").dimensionsAsLongArray());
				double err = 0;
				for (int i = 0; i < x.length; i++) err = Math.max(err, Math.abs(x[i] - torch[i]));
				assertTrue(err < 1e-4, net + " on " + input + ": max difference to PyTorch " + err);
			}
		}
		// the default output of Recon4D networks: the coil combination with the learned maps
		final CommandModule comb = cs.run(MriUnrolledCommand.class, true, "kspace", fix.resolve("kspace.npy").toString(), "network", fix.resolve("e2e-varnet.npz").toString(),
			"undersample", "none", "sliceBatch", 1).get();
		final float[] combTorch = org.recon4d.io.Npy.read(fix.resolve("e2e-varnet-combined-out.npy")).data(), combOurs = Tensors.data(img(comb, "reconstruction"));
		for (int i = 0; i < combTorch.length; i++) assertEquals(combTorch[i], combOurs[i], 1e-4);
		final CommandModule missing = cs.run(MriUnrolledCommand.class, true, "kspace", fix.resolve("kspace.npy").toString(), "network", "/nonexistent/net.npz",
			"undersample", "none", "sliceBatch", 1).get();
		assertTrue(missing.isCanceled() && missing.getCancelReason().contains("net.npz"), String.valueOf(missing.getCancelReason()));
		// a 2D (Poisson-disc) pattern is refused with the reason
		final int n = 32, coils = 2;
		final float[] img = new float[2 * n * n];
		for (int p = 0; p < n * n; p++) img[2 * p] = 1;
		final org.recon4d.op.mri.Sense a = new org.recon4d.op.mri.Sense(n, n, coils, 1, org.recon4d.mri.CoilMaps.simulate(n, n, coils),
			org.recon4d.op.mri.Masks.poissonDisc(n, n, 3, 8, 1, 2));
		org.recon4d.io.Cfl.write(tmp.resolve("pd"), new long[] { n, n, 1, coils }, a.apply(img), false);
		final CommandModule twoD = cs.run(MriUnrolledCommand.class, true, "kspace", tmp.resolve("pd.cfl").toString(), "network", fix.resolve("e2e-varnet.npz").toString(),
			"undersample", "none", "sliceBatch", 1).get();
		assertTrue(twoD.isCanceled() && twoD.getCancelReason().contains("1D"), String.valueOf(twoD.getCancelReason()));
	}

	@Test
	void mriDynamicRadialAndCoilMapCommands() throws Exception {
		// golden-angle radial cardiac phantom written in BART's layout, reconstructed without maps (estimated)
		final int n = 32, frames = 8, coils = 4;
		final org.recon4d.mri.DynamicMri.Data d = org.recon4d.mri.DynamicMri.simulate(n, frames, coils, 10, 0.002, 2);
		org.recon4d.mri.DynamicMri.writeBart(d, coils, tmp.resolve("dyn"), false);
		final float[] truth = org.recon4d.mri.MriRecon.magnitude(d.truth);
		final double[] psnr = new double[2];
		final String[] methods = { "frame-sense", "tv-spacetime" };
		for (int i = 0; i < 2; i++) {
			final CommandModule m = cs.run(MriDynamicCommand.class, true, "kspace", tmp.resolve("dyn-k.cfl").toString(), "trajectory", tmp.resolve("dyn-traj.cfl").toString(),
				"maps", "", "method", methods[i], "lambda", 0.002, "timeWeight", 4.0, "iterations", 15, "rank", 4, "latents", 6, "out", "", "overwrite", false).get();
			assertFalse(m.isCanceled(), m.getCancelReason());
			final Img<FloatType> rec = img(m, "reconstruction");
			assertArrayEquals(new long[] { n, n, frames }, rec.dimensionsAsLongArray());
			psnr[i] = Metrics.psnr(org.recon4d.bench.MriBench.align(Tensors.data(rec), truth), truth);
			System.out.printf("MRI dynamic command %s (estimated maps): %.2f dB (%s)%n", methods[i], psnr[i], m.getOutput("summary"));
		}
		assertTrue(psnr[1] > psnr[0] + 2, "space-time TV " + psnr[1] + " vs frame by frame " + psnr[0]);
		// a trajectory that does not fit the k-space is named
		final CommandModule bad = cs.run(MriDynamicCommand.class, true, "kspace", tmp.resolve("dyn-k.cfl").toString(), "trajectory", tmp.resolve("dyn-maps.cfl").toString(),
			"maps", "", "method", "frame-sense", "lambda", 0.01, "timeWeight", 0.0, "iterations", 2, "rank", 4, "latents", 6, "out", "", "overwrite", false).get();
		assertTrue(bad.isCanceled() && bad.getCancelReason().contains("dyn-maps"), bad.getCancelReason());

		// coil maps: ESPIRiT from simulated Cartesian k-space, written for bart and for maps=
		final String prefix = tmp.resolve("cm").toString();
		cs.run(MriSimulateCommand.class, true, "size", 64, "coils", 8, "mask", "poisson", "acceleration", 2.0, "noise", 0.0, "seed", 1L, "out", prefix, "overwrite", false).get();
		final CommandModule maps = cs.run(MriCoilMapsCommand.class, true, "kspace", prefix + "-k.cfl", "method", "espirit", "calib", 8, "kernel", 4,
			"threshold", 0.02, "crop", 0.8, "out", prefix + "-espirit", "overwrite", false).get();
		assertFalse(maps.isCanceled(), maps.getCancelReason());
		assertArrayEquals(new long[] { 64, 64, 8 }, img(maps, "magnitudes").dimensionsAsLongArray());
		final double coh = org.recon4d.mri.CoilMaps.coherence(org.recon4d.io.Cfl.read(Path.of(prefix + "-espirit")).data,
			org.recon4d.mri.CoilMaps.simulate(64, 64, 8), org.recon4d.phantom.SheppLogan.image(64), 0.1, 8);
		System.out.printf("coil-maps command: ESPIRiT coherence with the simulated maps %.4f (%s)%n", coh, maps.getOutput("summary"));
		assertTrue(coh > 0.99, "coherence " + coh);
	}

	@Test
	void showInBdvSaysWhyHeadless() throws Exception {
		final CommandModule m = cs.run(ShowInBdvCommand.class, true, "volume", img(simulate(), "truth"), "title", "x").get();
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("BigDataViewer is not available"), m.getCancelReason());
	}

	@Test
	void engineReportsPytorch() throws Exception {
		final String s = (String) cs.run(EngineCommand.class, true).get().getOutput("engine");
		System.out.println(s);
		assertTrue(s.startsWith("engine=PyTorch version=2.7.1"), s);
		assertTrue(s.contains("device=cpu()") || s.contains("device=gpu("), s);
		assertTrue(s.contains("offline=true"), s);
	}

	@Test
	void demoWritesEverything() throws Exception {
		final Path out = tmp.resolve("demo");
		final CommandModule m = cs.run(DemoCommand.class, true, "out", out.toString(), "size", 48, "frames", 16, "iterations", 40, "redPsmIterations", 2, "seed", 2L, "overwrite", false).get();
		assertFalse(m.isCanceled(), m.getCancelReason());
		for (final String f : new String[] { "metrics.json", "montage.png", "kymograph.png", "convergence-cost.png", "convergence-psnr.png",
			"red-psm.xml", "red-psm.ome.zarr/.zattrs",
			"tv-spacetime.xml", "tv-spacetime.n5/attributes.json", "tv-spacetime.ome.zarr/.zattrs", "truth.ome.zarr/.zattrs" })
			assertTrue(Files.exists(out.resolve(f)), f);
		final String json = Files.readString(out.resolve("metrics.json"));
		assertTrue(json.contains("\"bench\": \"demo\""), json);
		assertTrue(json.contains("\"method\": \"fbp\"") && json.contains("\"method\": \"tv-spacetime\"") && json.contains("\"method\": \"red-psm\""), json);
		// a second run into the same folder is refused
		final CommandModule again = cs.run(DemoCommand.class, true, "out", out.toString(), "size", 48, "frames", 16, "iterations", 5, "seed", 2L, "overwrite", false).get();
		assertTrue(again.isCanceled());
		assertTrue(again.getCancelReason().contains("not empty"), again.getCancelReason());
	}

	@Test
	void diffusionCommandsReconstructCtAndMriWithUncertainty() throws Exception {
		// 4 central slices of a held-out head, 16 views: the shipped score network, 12 BDIA steps, 2 posterior draws
		final int n = 64, slices = 4, views = 16;
		final float[] truth = java.util.Arrays.copyOfRange(org.recon4d.phantom.BrainVolume.volume(n, 64, 1_000_002), 30 * n * n, 34 * n * n);
		final double[] angles = Angles.resolve("linear", 1, views)[0];
		final org.recon4d.op.tomo.ParallelBeamProjector a = new org.recon4d.op.tomo.ParallelBeamProjector(n, n, slices, n, new double[][] { angles });
		final float[] sino = org.recon4d.phantom.Noise.gaussian(a.apply(truth), 0.005, 3);
		final double fbp = Metrics.psnr(org.recon4d.solve.Fbp.reconstruct(a, sino, org.recon4d.solve.Fbp.Filter.RAMP), truth);
		final CommandModule m = cs.run(DiffusionCtCommand.class, true, "sinogram", Tensors.wrap(sino, n, views, slices), "angles", "linear",
			"method", "diffusion-mbir-bdia", "model", "builtin", "steps", 12, "samples", 2, "seed", 5L, "reference", Tensors.wrap(truth, n, n, slices)).get();
		assertFalse(m.isCanceled(), m.getCancelReason());
		final float[] rec = Tensors.data(img(m, "reconstruction")), sd = Tensors.data(img(m, "sd"));
		final double psnr = Metrics.psnr(rec, truth);
		System.out.printf("command diffusion CT: %.2f dB (FBP %.2f dB), mean sd %.4f (%s)%n", psnr, fbp, org.recon4d.util.Vec.norm(sd) / Math.sqrt(sd.length), m.getOutput("summary"));
		assertArrayEquals(new long[] { n, n, slices }, img(m, "reconstruction").dimensionsAsLongArray());
		assertTrue(psnr > fbp + 3, "diffusion " + psnr + " dB vs FBP " + fbp);
		assertTrue(org.recon4d.util.Vec.norm(sd) > 0, "two draws differ");
		final CommandModule bad = cs.run(DiffusionCtCommand.class, true, "sinogram", Tensors.wrap(sino, n, views, slices), "angles", "linear",
			"method", "dps", "model", "/nonexistent/score.npz", "steps", 2).get();
		assertTrue(bad.isCanceled());
		assertTrue(bad.getCancelReason().contains("score.npz"), bad.getCancelReason());

		// CS-MRI: 8 loop coils, 4x random lines, two slices written as BART .cfl
		final int coils = 8, mslices = 2;
		final float[] mtruth = java.util.Arrays.copyOf(truth, 2 * n * n);
		final float[] cx = new float[2 * mtruth.length];
		for (int i = 0; i < mtruth.length; i++) cx[2 * i] = mtruth[i];
		final org.recon4d.op.mri.Sense sense = new org.recon4d.op.mri.Sense(n, n, coils, mslices, org.recon4d.mri.CoilMaps.simulate(n, n, coils),
			org.recon4d.op.mri.Masks.lines(org.recon4d.op.mri.Masks.random1d(n, 4, 0.12, 2), n));
		org.recon4d.io.Cfl.write(tmp.resolve("dk"), new long[] { n, n, 1, coils, mslices }, sense.apply(cx), false);
		final CommandModule mri = cs.run(DiffusionMriCommand.class, true, "kspace", tmp.resolve("dk.cfl").toString(), "undersample", "none",
			"method", "diffusion-mbir-bdia", "model", "builtin", "steps", 12, "samples", 1, "seed", 5L).get();
		assertFalse(mri.isCanceled(), mri.getCancelReason());
		assertNull(mri.getOutput("sd"), "one draw has no standard deviation");
		final float[] mrec = org.recon4d.bench.MriBench.align(Tensors.data(img(mri, "reconstruction")), mtruth);
		final float[] zf = org.recon4d.bench.MriBench.align(org.recon4d.mri.MriRecon.magnitude(sense.adjoint(sense.apply(cx))), mtruth);
		final double mpsnr = Metrics.psnr(mrec, mtruth), zpsnr = Metrics.psnr(zf, mtruth);
		System.out.printf("command diffusion MRI: %.2f dB (zero-filled %.2f dB)%n", mpsnr, zpsnr);
		assertTrue(mpsnr > zpsnr + 3, "diffusion MRI " + mpsnr + " dB vs zero-filled " + zpsnr);
	}

	@Test
	void diffusionCancelsPromptly() throws Exception {
		// 2 slices, 10,000 steps would take about an hour: cancel after 1.5 s, within one step
		final int n = 64, views = 8;
		final double[] angles = Angles.resolve("linear", 1, views)[0];
		final org.recon4d.op.tomo.ParallelBeamProjector a = new org.recon4d.op.tomo.ParallelBeamProjector(n, n, 2, n, new double[][] { angles });
		final float[] sino = a.apply(java.util.Arrays.copyOf(org.recon4d.phantom.BrainVolume.volume(n, 2, 5), 2 * n * n));
		final ModuleService ms = ctx.service(ModuleService.class);
		final Module m = ms.createModule(cs.getCommand(DiffusionCtCommand.class));
		final var future = ms.run(m, true, "sinogram", Tensors.wrap(sino, n, views, 2), "angles", "linear", "method", "diffusion-mbir", "steps", 10000, "samples", 1);
		Thread.sleep(1500);
		final long t0 = System.nanoTime();
		((Cancelable) m).cancel("test cancel");
		future.get();
		final double waited = (System.nanoTime() - t0) * 1e-9;
		System.out.printf("diffusion cancel returned after %.3f s%n", waited);
		assertTrue(((Cancelable) m).isCanceled());
		assertNull(m.getOutput("reconstruction"), "a cancelled run publishes no reconstruction");
		assertTrue(waited < 2, "cancel took " + waited + " s");
	}

	@Test
	void avatarFitWritesOutputsAndKeepsExistingFiles() throws Exception {
		final java.io.File capture = Paths.get("sample-data", "avatar").toFile();
		final Path out = tmp.resolve("avatar");
		final Object[] args = {"capture", capture, "output", out.toFile(), "startScale", 1.0, "appearanceSteps", 20, "shapeSteps", 4, "detailSteps", 2, "finalSteps", 20};
		CommandModule m = cs.run(AvatarCommand.class, true, args).get();
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		for (final String f : org.recon4d.avatar.AvatarJob.OUTPUTS)
			assertTrue(Files.isRegularFile(out.resolve(f)), f);
		final org.recon4d.avatar.Rig fitted = org.recon4d.avatar.Glb.read(out.resolve("avatar.glb"));
		assertEquals(17, fitted.jointCount());
		assertNotNull(fitted.colours);
		final String summary = (String) m.getOutput("summary");
		assertTrue(summary.contains("albedo PSNR"), summary);
		final long size = Files.size(out.resolve("avatar.glb"));
		// a second run must not replace the user's files
		m = cs.run(AvatarCommand.class, true, args).get();
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("exists") && m.getCancelReason().contains("nothing was fitted"), m.getCancelReason());
		assertEquals(size, Files.size(out.resolve("avatar.glb")));
		// a capture folder without cameras names the missing file
		m = cs.run(AvatarCommand.class, true, "capture", tmp.toFile(), "template", new java.io.File(capture, "template.glb"), "output", tmp.resolve("x").toFile()).get();
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("poses.json"), m.getCancelReason());
	}

	@Test
	void avatarCancelsPromptlyAndWritesNothing() throws Exception {
		// 100,000 shape steps would take hours: cancel after 3 s (start-up, first appearance steps)
		final Path out = tmp.resolve("avatar-cancel");
		final ModuleService ms = ctx.service(ModuleService.class);
		final Module m = ms.createModule(cs.getCommand(AvatarCommand.class));
		final var future = ms.run(m, true, "capture", Paths.get("sample-data", "avatar").toFile(), "output", out.toFile(), "startScale", 0.8,
			"appearanceSteps", 100000, "shapeSteps", 100000, "detailSteps", 0, "finalSteps", 0);
		Thread.sleep(3000);
		final long t0 = System.nanoTime();
		((Cancelable) m).cancel("test cancel");
		future.get();
		final double waited = (System.nanoTime() - t0) * 1e-9;
		System.out.printf("avatar cancel returned after %.3f s%n", waited);
		assertTrue(((Cancelable) m).isCanceled());
		assertNull(m.getOutput("summary"), "a cancelled fit publishes no summary");
		for (final String f : org.recon4d.avatar.AvatarJob.OUTPUTS) assertFalse(Files.exists(out.resolve(f)), f + " written by a cancelled fit");
		assertTrue(waited < 2, "cancel took " + waited + " s");
	}
}
