package org.recon4d.unroll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.SplittableRandom;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recon4d.io.BadFileException;
import org.recon4d.io.Cfl;
import org.recon4d.io.Npy;
import org.recon4d.metrics.Metrics;
import org.recon4d.op.mri.Fft2c;
import org.recon4d.solve.Monitor;
import org.recon4d.tensor.Djl;

class UnrolledTest {

	static final Path FIXTURE = Paths.get("src/test/resources/unrolled");

	static float[] random(final int n, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] a = new float[n];
		for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() - 0.5);
		return a;
	}

	@Test
	void dftMatchesTheJavaCentredFft() {
		final int nx = 24, ny = 16, c = 3;
		final float[] x = random(2 * nx * ny * c, 1);
		final float[] ref = new float[x.length];
		new Fft2c(nx, ny, c).apply(x, ref);
		try (NDManager m = Djl.newManager()) {
			final Dft d = new Dft(m, ny, nx);
			final Cx in = Cx.fromInterleaved(m, x, new Shape(1, c, ny, nx));
			final float[] got = d.forward(in).toInterleaved();
			double err = 0, norm = 0;
			for (int i = 0; i < x.length; i++) { err += (got[i] - ref[i]) * (got[i] - ref[i]); norm += ref[i] * ref[i]; }
			assertTrue(Math.sqrt(err / norm) < 1e-5, "relative error " + Math.sqrt(err / norm));
			final float[] back = d.inverse(d.forward(in)).toInterleaved();
			for (int i = 0; i < x.length; i++) assertEquals(x[i], back[i], 1e-5);
		}
	}

	static MriSamples.Batch tinyBatch(final int n, final int coils, final long seed) {
		return MriSamples.make(n, coils, new long[] { seed, seed + 1 }, new double[] { 4, 8 }, 0.01, seed);
	}

	@Test
	void shapesOfBothNetworks() {
		final int n = 32, coils = 4;
		final MriSamples.Batch b = tinyBatch(n, coils, 3);
		try (UnrolledModel e = UnrolledModel.e2e(new E2EVarNet.Config(2, 4, 2, 2, 2), 1);
			UnrolledModel r = UnrolledModel.recurrent(new RecurrentVarNet.Config(2, 4, 2, true, 2, 2), 1))
		{
			for (final UnrolledModel m : new UnrolledModel[] { e, r }) {
				final float[] img = m.reconstruct(b.kspace(), b.columns(), n, n, coils, 2, 1, Monitor.NONE);
				assertEquals(2 * n * n, img.length);
				for (final float v : img) assertTrue(Float.isFinite(v) && v >= 0);
			}
			// a size that is not a multiple of 2^pools goes through the U-Nets' pad-and-crop path
			final MriSamples.Batch odd = MriSamples.make(34, coils, new long[] { 5 }, new double[] { 4 }, 0.01, 5);
			final float[] img34 = e.reconstruct(odd.kspace(), odd.columns(), 34, 34, coils, 1, 1, Monitor.NONE);
			assertEquals(34 * 34, img34.length);
			for (final float v : img34) assertTrue(Float.isFinite(v));
			// shared RecurrentVarNet: one block of GRU weights for both steps
			assertTrue(r.params().all().containsKey("blocks.0.out.weight") && !r.params().all().containsKey("blocks.1.out.weight"));
		}
	}

	@Test
	void cascadeWithUnitWeightAndNoRegulariserReturnsTheMeasuredSamples() {
		final int n = 32, coils = 4;
		final MriSamples.Batch b = tinyBatch(n, coils, 5);
		try (UnrolledModel e = UnrolledModel.e2e(new E2EVarNet.Config(1, 4, 2, 2, 2), 1); NDManager m = e.params().manager().newSubManager()) {
			final Object[] in = UnrolledModel.inputs(m, b.kspace(), b.columns(), n, n, coils, 2);
			final Cx k0 = (Cx) in[0];
			final NDArray mask = (NDArray) in[1];
			// an arbitrary current k-space and maps
			final Cx k = Cx.fromInterleaved(m, random(b.kspace().length, 9), k0.shape());
			final Cx maps = Cx.fromInterleaved(m, b.maps(), k0.shape());
			final Cx zero = new Cx(m.zeros(new Shape(2, 1, n, n)), m.zeros(new Shape(2, 1, n, n)));
			final Dft dft = new Dft(m, n, n);
			final float[] out = ((E2EVarNet) e.net()).cascade(dft, k, k0, mask, maps, m.create(new float[] { 1f }), x -> zero).toInterleaved();
			final float[] cur = k.toInterleaved(), meas = b.kspace();
			for (int s = 0; s < 2; s++) for (int c = 0; c < coils; c++) for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) {
				final int o = 2 * ((((s * coils) + c) * n + j) * n + i);
				final float[] expect = b.columns()[s * n + i] != 0 ? meas : cur;
				assertEquals(expect[o], out[o], 1e-6f);
				assertEquals(expect[o + 1], out[o + 1], 1e-6f);
			}
		}
	}

	@Test
	void aFewAdamStepsLowerTheLossOnABatch() {
		final int n = 32, coils = 4;
		final MriSamples.Batch b = tinyBatch(n, coils, 7);
		for (final UnrolledModel model : new UnrolledModel[] {
			UnrolledModel.e2e(new E2EVarNet.Config(2, 4, 2, 2, 2), 3), UnrolledModel.recurrent(new RecurrentVarNet.Config(2, 6, 1, false, 2, 2), 3) })
		{
			try (model) {
				final double first = step(model, b, n, coils);
				double last = first;
				for (int i = 0; i < 30; i++) last = step(model, b, n, coils);
				// measured: -20% (E2E) and -10.5% (RecurrentVarNet, which starts from zero-filled) in 30 steps
				assertTrue(last < 0.88 * first, model.kind() + ": loss " + first + " -> " + last);
			}
		}
	}

	static double step(final UnrolledModel model, final MriSamples.Batch b, final int n, final int coils) {
		final double loss;
		try (NDManager sub = model.params().manager().newSubManager(); GradientCollector gc = Engine.getEngine(Djl.ENGINE).newGradientCollector()) {
			final Object[] in = UnrolledModel.inputs(sub, b.kspace(), b.columns(), n, n, coils, b.size());
			final NDArray l = Training.loss(model.net().forward((Cx) in[0], (NDArray) in[1], (NDArray) in[2]), sub.create(b.target(), new Shape(b.size(), n, n)), 1);
			gc.backward(l);
			loss = l.getFloat();
		}
		model.params().adam(3e-3, 1);
		return loss;
	}

	@Test
	void checkpointRoundTripIsBitForBit(@TempDir final Path dir) throws IOException {
		final int n = 32, coils = 4;
		final MriSamples.Batch b = tinyBatch(n, coils, 11);
		for (final UnrolledModel model : new UnrolledModel[] {
			UnrolledModel.e2e(new E2EVarNet.Config(2, 4, 2, 2, 2), 5), UnrolledModel.recurrent(new RecurrentVarNet.Config(2, 4, 2, false, 2, 2), 5) })
		{
			try (model) {
				step(model, b, n, coils); // weights away from the initialisation
				final float[] before = model.reconstruct(b.kspace(), b.columns(), n, n, coils, 2, 2, Monitor.NONE);
				final Path f = dir.resolve(model.kind() + ".npz");
				model.save(f, true, false);
				assertThrows(IOException.class, () -> model.save(f, true, false), "never overwrites without asking");
				try (UnrolledModel back = UnrolledModel.load(f)) {
					assertEquals(model.describe(), back.describe());
					assertArrayEquals(before, back.reconstruct(b.kspace(), b.columns(), n, n, coils, 2, 2, Monitor.NONE));
					assertEquals(model.params().step(), back.params().step());
				}
			}
		}
	}

	@Test
	void trainingWritesCurvesAndResumesExactly(@TempDir final Path dir) throws IOException {
		final Training.Config c = new Training.Config();
		c.kind = UnrolledModel.RECURRENT;
		c.preset = "tiny";
		c.size = 32;
		c.coils = 4;
		c.steps = 4;
		c.validateEvery = 2;
		c.validationSlices = 2;
		Training.train(c, dir.resolve("straight"), "r", s -> {}, Monitor.NONE);
		c.steps = 2;
		Training.train(c, dir.resolve("resumed"), "r", s -> {}, Monitor.NONE);
		c.steps = 4;
		c.resume = true;
		Training.train(c, dir.resolve("resumed"), "r", s -> {}, Monitor.NONE);
		final java.util.List<String> csv = Files.readAllLines(dir.resolve("straight/r.csv"));
		assertEquals(3, csv.size(), "header + two validation rows: " + csv);
		assertTrue(Files.size(dir.resolve("straight/r.png")) > 1000);
		assertTrue(Files.readString(dir.resolve("straight/r.json")).contains("\"ssim_4x\""));
		try (UnrolledModel a = UnrolledModel.load(dir.resolve("straight/r.npz")); UnrolledModel b = UnrolledModel.load(dir.resolve("resumed/r.npz"))) {
			for (final String k : a.params().all().keySet())
				assertArrayEquals(a.params().get(k).toFloatArray(), b.params().get(k).toFloatArray(), "parameter " + k + " after resume");
		}
		assertEquals(3, Files.readAllLines(dir.resolve("resumed/r.csv")).size());
	}

	/** The committed fixture was made by Debian's python3-torch: scripts/unrolled_torch.py fixture src/test/resources/unrolled. */
	@Test
	void torchScriptExportMatchesTheDjlNetworkWithTheSameWeights() throws IOException {
		final Cfl.Array k = Npy.readComplex(FIXTURE.resolve("kspace.npy"));
		final long[] d = k.dims; // {W, H, coils, 1}
		final int nx = (int) d[0], ny = (int) d[1], coils = (int) d[2];
		final float[] cols = Npy.read(FIXTURE.resolve("mask.npy")).data();
		for (final String kind : new String[] { "e2e-varnet", "recurrentvarnet" }) {
			final float[] torch = Npy.read(FIXTURE.resolve(kind + "-out.npy")).data();
			try (Reconstructor djl = Reconstructor.open(FIXTURE.resolve(kind + ".npz")); Reconstructor ts = Reconstructor.open(FIXTURE.resolve(kind + ".pt"))) {
				final float[] a = djl.reconstruct(k.data, cols, nx, ny, coils, 1, 1, Monitor.NONE);
				final float[] b = ts.reconstruct(k.data, cols, nx, ny, coils, 1, 1, Monitor.NONE);
				// tolerances: DJL's DFT is a float32 matrix product, PyTorch's an FFT, over 2-3 cascades of
				// U-Nets (errors 1e-6..1e-5 relative per transform); TorchScript runs PyTorch's own graph
				double max = 0;
				for (final float v : torch) max = Math.max(max, v);
				for (int i = 0; i < a.length; i++) {
					assertEquals(torch[i], a[i], 1e-4 * max, kind + ": DJL vs PyTorch at " + i);
					assertEquals(torch[i], b[i], 1e-5 * max, kind + ": TorchScript in DJL vs PyTorch at " + i);
				}
				// the coil-combined output, against the mirror's
				((UnrolledModel) djl).output(Net.Output.COMBINED);
				final float[] c = djl.reconstruct(k.data, cols, nx, ny, coils, 1, 1, Monitor.NONE);
				final float[] torchC = Npy.read(FIXTURE.resolve(kind + "-combined-out.npy")).data();
				double diff = 0;
				for (int i = 0; i < c.length; i++) {
					assertEquals(torchC[i], c[i], 1e-4 * max, kind + ": combined output, DJL vs PyTorch at " + i);
					diff = Math.max(diff, Math.abs(torchC[i] - torch[i]));
				}
				assertTrue(diff > 1e-3 * max, "the two outputs differ");
			}
		}
	}

	@Test
	void malformedWeightFilesAreRejectedWithTheReason(@TempDir final Path dir) throws IOException {
		final Path notZip = dir.resolve("a.npz");
		Files.writeString(notZip, "not a zip");
		assertTrue(assertThrows(BadFileException.class, () -> Reconstructor.open(notZip)).getMessage().contains("meta.config"));
		final Path other = dir.resolve("b.npz");
		try (UnrolledModel m = UnrolledModel.e2e(new E2EVarNet.Config(1, 4, 2, 2, 2), 1)) {
			m.save(other, false, false);
		}
		// same kind, other size: names the first parameter that does not fit
		final byte[] bytes = Files.readAllBytes(other);
		final Path swapped = dir.resolve("c.npz");
		try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(bytes));
			java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(swapped)))
		{
			java.util.zip.ZipEntry e;
			while ((e = in.getNextEntry()) != null) {
				final byte[] data = in.readAllBytes();
				out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
				out.write(e.getName().equals("meta.config.npy") ? Npy.encode(new float[] { 1, 1, 8, 2, 2, 2 }, new long[] { 6 }) : data);
				out.closeEntry();
			}
		}
		final String msg = assertThrows(BadFileException.class, () -> Reconstructor.open(swapped)).getMessage();
		assertTrue(msg.contains("parameter") && msg.contains("expects shape"), msg);
		assertTrue(assertThrows(BadFileException.class, () -> Reconstructor.open(dir.resolve("missing.pt"))).getMessage().contains("no such"));
		final Path junkPt = dir.resolve("junk.pt");
		Files.writeString(junkPt, "junk");
		assertTrue(assertThrows(BadFileException.class, () -> Reconstructor.open(junkPt)).getMessage().contains("TorchScript"));
		assertThrows(BadFileException.class, () -> Reconstructor.open(dir.resolve("x.onnx")));
	}

	@Test
	void gatherProjectorAdjointPassesTheDotProductTest() {
		final org.recon4d.op.tomo.ParallelBeamProjector op = new org.recon4d.op.tomo.ParallelBeamProjector(24, 24, 2, 30, new double[][] { CtUnrolled.angles(7) });
		final float[] x = random(op.domainSize(), 1), y = random(op.rangeSize(), 2);
		try (NDManager m = Djl.newManager(); org.recon4d.op.tomo.GatherProjector g = new org.recon4d.op.tomo.GatherProjector(op, m)) {
			final float[] ax = g.forward(m.create(x)).toFloatArray(), aty = g.adjoint(m.create(y)).toFloatArray();
			double l = 0, r = 0;
			for (int i = 0; i < y.length; i++) l += ax[i] * (double) y[i];
			for (int i = 0; i < x.length; i++) r += x[i] * (double) aty[i];
			assertTrue(Math.abs(l - r) < 1e-5 * Math.abs(l), "<Ax, y> " + l + " vs <x, A^T y> " + r);
			// and it is the host adjoint
			final float[] host = op.adjoint(y);
			for (int i = 0; i < x.length; i++) assertEquals(host[i], aty[i], 1e-4);
		}
	}

	@Test
	void ctUnrolledTrainsAndRoundTrips(@TempDir final Path dir) throws IOException {
		CtUnrolled.train(32, 8, 2, 30, 15, 3e-3, 3, dir, "ct", s -> {}, Monitor.NONE);
		final java.util.List<String> csv = Files.readAllLines(dir.resolve("ct.csv"));
		assertEquals(3, csv.size(), csv.toString());
		final double first = Double.parseDouble(csv.get(1).split(",")[2]), last = Double.parseDouble(csv.get(2).split(",")[2]);
		final float[][] d = CtUnrolled.data(32, 8, new long[] { 995 }, new double[] { 0.3 }, 0.005, 1);
		final org.recon4d.op.tomo.ParallelBeamProjector op = org.recon4d.op.tomo.ParallelBeamProjector.of(32, 32, CtUnrolled.angles(8));
		final double fbp = Metrics.ssim(org.recon4d.solve.Fbp.reconstruct(op, d[1], org.recon4d.solve.Fbp.Filter.RAMP), d[0], 32, 32);
		try (CtUnrolled net = CtUnrolled.load(dir.resolve("ct.npz"))) {
			final float[] a = net.reconstruct(d[1], 32, 32, CtUnrolled.angles(8), 1, Monitor.NONE);
			final double ssim = Metrics.ssim(a, d[0], 32, 32);
			assertTrue(ssim > fbp + 0.05, "unrolled SSIM " + ssim + " vs FBP " + fbp + " (validation " + first + " -> " + last + ")");
			assertArrayEquals(a, net.reconstruct(d[1], 32, 32, CtUnrolled.angles(8), 1, Monitor.NONE));
		}
	}

	@Test
	void publishedSizesAreAConfigurationAway() {
		// E2E-VarNet as published: 12 cascades of 18-channel, 4-pool U-Nets, about 30 M parameters; ours has
		// 33.3 M, since upsampling is nearest + 3x3 conv (9 weights per pair) where fastMRI's 2x2 transposed conv has 4
		try (UnrolledModel e = UnrolledModel.create(UnrolledModel.E2E, "published", 1)) {
			final long n = e.params().count();
			assertTrue(n > 30_000_000 && n < 34_000_000, "E2E-VarNet published size has " + n + " parameters");
		}
		try (UnrolledModel r = UnrolledModel.create(UnrolledModel.RECURRENT, "published", 1)) {
			// 8 steps x 4 ConvGRU layers of 128 channels: gates (256 x (in + 128) x 9) + candidate (128 x (in + 128) x 9) per layer
			final long perStep = 3L * 128 * (2 + 128) * 9 + 3L * 128 * 3 * 256 * 9 + 3 * 128 * 4 + 2 * 128 * 9 + 2;
			final long n = r.params().count();
			assertTrue(n > 8 * perStep && n < 8 * perStep + 1_000_000, "RecurrentVarNet published size has " + n + " parameters, expected 8 x " + perStep + " + the sensitivity net");
		}
		assertThrows(IllegalArgumentException.class, () -> UnrolledModel.create(UnrolledModel.E2E, "huge", 1));
	}

	@Test
	void aNonFiniteGradientSkipsTheUpdate() {
		try (NDManager m = Djl.newManager(); Params p = new Params(m, 1)) {
			final NDArray w = p.constant("w", new Shape(3), 2f);
			for (final float f : new float[] { Float.NaN, 1f }) {
				try (NDManager sub = m.newSubManager(); GradientCollector gc = Engine.getEngine(Djl.ENGINE).newGradientCollector()) {
					gc.backward(w.mul(sub.create(new float[] { f, 1, 1 })).sum());
				}
				p.adam(0.1, 1);
			}
			assertEquals(1, p.skipped());
			assertEquals(1, p.step());
			// the second (finite) step moved every weight by the Adam step, from 2: the NaN left no trace
			for (final float v : w.toFloatArray()) assertEquals(1.9f, v, 1e-4f);
		}
	}
}
