package org.recon4d.mri;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recon4d.io.BadFileException;
import org.recon4d.io.Cfl;
import org.recon4d.op.mri.Fft2c;
import org.recon4d.op.mri.Masks;
import org.recon4d.op.mri.Sense;
import org.recon4d.phantom.SheppLogan;
import org.recon4d.solve.Monitor;

/** MRI reconstructions on a simulated 8-coil Shepp-Logan, coil maps, BART's files and conventions. */
class MriReconTest {

	static final int N = 96, COILS = 8;

	/** Complex Shepp-Logan with a smooth phase. */
	static float[] phantom(final int n) {
		final float[] m = SheppLogan.image(n);
		final float[] x = new float[2 * n * n];
		for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) {
			final double ph = 0.5 * Math.sin(Math.PI * i / n) + 0.3 * j / n;
			x[2 * (j * n + i)] = (float) (m[j * n + i] * Math.cos(ph));
			x[2 * (j * n + i) + 1] = (float) (m[j * n + i] * Math.sin(ph));
		}
		return x;
	}

	static double nrmse(final float[] x, final float[] ref) {
		double e = 0, r = 0;
		for (int i = 0; i < x.length; i++) { e += (x[i] - ref[i]) * (x[i] - ref[i]); r += ref[i] * ref[i]; }
		return Math.sqrt(e / r);
	}

	static float[] noisy(final float[] y, final double sigma, final long seed) {
		final java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
		final float[] out = y.clone();
		for (int i = 0; i < out.length; i++) if (out[i] != 0) out[i] += (float) (sigma * r.nextGaussian());
		return out;
	}

	@Test
	void cgSenseConvergesAndRegularisersBeatZeroFilling() {
		final float[] x = phantom(N), maps = CoilMaps.simulate(N, N, COILS);
		final float[] mask = Masks.lines(Masks.random1d(N, 4, 0.08, 3), N);
		final Sense full = new Sense(N, N, COILS, 1, maps, null), a = full.withMask(mask);
		// noise-free, fully sampled: CG-SENSE converges to the object
		final double[] costs = new double[40];
		final float[] xs = MriRecon.cgSense(full, full.apply(x), 40, 0, (k, t, c, v) -> costs[k - 1] = c);
		final double eFull = nrmse(xs, x);
		assertTrue(eFull < 1e-3, "fully sampled CG-SENSE error " + eFull);
		assertTrue(costs[39] < 1e-6 * costs[0], "CG residual " + costs[0] + " -> " + costs[39]);
		// 4x undersampled with noise: TV and L1-wavelet improve on SENSE, SENSE on zero filling
		final float[] y = noisy(a.apply(x), 0.004, 5);
		final float[] mag = MriRecon.magnitude(x);
		final MriRecon.Params p = new MriRecon.Params();
		final double[] err = new double[4];
		final String[] methods = { "zero-filled", "sense", "l1-wavelet", "tv" };
		final double[] lambdas = { 0, 0.01, 0.01, 0.01 };
		for (int m = 0; m < 4; m++) {
			p.method = MriRecon.Method.parse(methods[m]);
			p.lambda = lambdas[m];
			p.iterations = 40;
			final float[] r = MriRecon.run(a, y, p, Monitor.NONE);
			err[m] = nrmse(MriRecon.magnitude(r), mag);
			System.out.printf("MRI 4x %-12s NRMSE %.4f%n", methods[m], err[m]);
		}
		assertTrue(err[1] < 0.8 * err[0], "SENSE " + err[1] + " vs zero-filled " + err[0]);
		assertTrue(err[2] < err[1], "L1-wavelet " + err[2] + " vs SENSE " + err[1]);
		assertTrue(err[3] < 0.8 * err[1], "TV " + err[3] + " vs SENSE " + err[1]);
	}

	@Test
	void calibrationMapsMatchTheTrueSensitivitiesInsideTheObject() {
		final float[] x = phantom(N), maps = CoilMaps.simulate(N, N, COILS);
		final float[] mask = Masks.lines(Masks.random1d(N, 4, 0.08, 3), N);
		final Sense a = new Sense(N, N, COILS, 1, maps, mask);
		final float[] est = CoilMaps.fromCalibration(a.apply(x), N, N, COILS, 8, 0.05);
		// compare up to a common per-pixel phase, inside the object (magnitude above 10 % of its maximum of 1)
		final double mean = CoilMaps.coherence(est, maps, MriRecon.magnitude(x), 0.1, COILS);
		System.out.printf("ACS maps: mean coherence with the true maps %.4f%n", mean);
		// measured 0.991: the 8 x 8 Hann-windowed centre smooths the maps' edges; 0.98 leaves room for that, not for a wrong phase or coil order
		assertTrue(mean > 0.98, "coherence " + mean);
	}

	@Test
	void espiritMatchesTheTrueMapsAndBartEcalib(@TempDir final Path dir) throws Exception {
		// simulated coils: ESPIRiT from the 4x-undersampled k-space (centre fully sampled)
		final float[] x = phantom(N), maps = CoilMaps.simulate(N, N, COILS);
		final float[] y = new Sense(N, N, COILS, 1, maps, Masks.lines(Masks.random1d(N, 4, 0.25, 3), N)).apply(x);
		final Espirit.Params p = new Espirit.Params();
		p.calib = 20;
		final Espirit.Result r = Espirit.maps(y, N, N, COILS, p);
		final float[] mag = MriRecon.magnitude(x);
		final double ours = CoilMaps.coherence(r.maps, maps, mag, 0.1, COILS);
		final double acs = CoilMaps.coherence(CoilMaps.fromCalibration(y, N, N, COILS, 20, 0.05), maps, mag, 0.1, COILS);
		System.out.printf("ESPIRiT (%d kernels): coherence with the true maps %.5f (ACS %.5f); eigenvalue at the centre %.4f%n",
			r.kernels, ours, acs, r.eigenvalue[(N / 2) * N + N / 2]);
		// measured 0.9999: ESPIRiT recovers smooth maps almost exactly; the ACS estimate is blurred by its window
		assertTrue(ours > 0.999, "ESPIRiT coherence " + ours);
		assertTrue(ours > acs, "ESPIRiT " + ours + " vs ACS " + acs);
		assertEquals(1, r.eigenvalue[(N / 2) * N + N / 2], 0.01, "inside the object the eigenvalue is 1");
		// calib 20 has fewer patches (225) than kernel columns (288) and decomposes A A^H; calib 24
		// has more (361) and decomposes A^H A: both routes give the same maps
		final Espirit.Params p24 = new Espirit.Params();
		p24.calib = 24;
		final double ours24 = CoilMaps.coherence(Espirit.maps(y, N, N, COILS, p24).maps, maps, mag, 0.1, COILS);
		System.out.printf("ESPIRiT with calib 24 (A^H A route): coherence %.5f%n", ours24);
		assertTrue(ours24 > 0.999, "calib 24 coherence " + ours24);
		// BART's phantom and ecalib on the same k-space
		assertNotNull(Bart.version(), "bart is not installed (scripts/setup-deps.sh installs it)");
		Bart.run(dir, 0, "phantom", "-x", "128", "-s", "8", "-k", "k");
		Bart.run(dir, 0, "ecalib", "-m1", "-r", "20", "k", "bmaps");
		Bart.run(dir, 0, "phantom", "-x", "128", "-s", "8", "coil");
		Bart.run(dir, 0, "phantom", "-x", "128", "-S", "8", "sens");
		final float[] ref = CoilMaps.rss(Cfl.read(dir.resolve("coil")).data, 128 * 128, 8);
		final Espirit.Result rb = Espirit.maps(Cfl.read(dir.resolve("k")).data, 128, 128, 8, p);
		final float[] bmaps = Cfl.read(dir.resolve("bmaps")).data, sens = Cfl.read(dir.resolve("sens")).data;
		final double vsBart = CoilMaps.coherence(rb.maps, bmaps, ref, 0.1, 8);
		final double oursTrue = CoilMaps.coherence(rb.maps, sens, ref, 0.1, 8), bartTrue = CoilMaps.coherence(bmaps, sens, ref, 0.1, 8);
		System.out.printf("ESPIRiT vs bart ecalib on bart's phantom: coherence %.5f; with the true maps: ours %.5f, bart %.5f%n", vsBart, oursTrue, bartTrue);
		assertTrue(vsBart > 0.995, "coherence with ecalib " + vsBart);
		assertTrue(oursTrue > bartTrue - 0.002, "ours " + oursTrue + " vs bart " + bartTrue);
		// an unsampled calibration region is refused
		final float[] holes = y.clone();
		for (int c = 0; c < COILS; c++) for (int j = 0; j < N; j++) for (int i = N / 2 - 6; i < N / 2 + 6; i += 2) {
			final int o = 2 * ((c * N + j) * N + i);
			holes[o] = 0;
			holes[o + 1] = 0;
		}
		assertTrue(assertThrows(IllegalArgumentException.class, () -> Espirit.maps(holes, N, N, COILS, p)).getMessage().contains("not fully sampled"));
	}

	@Test
	void fftConventionAndCflFilesAgreeWithBart(@TempDir final Path dir) throws Exception {
		assertNotNull(Bart.version(), "bart is not installed (scripts/setup-deps.sh installs it)");
		final int n = 32;
		final float[] x = phantom(n);
		Cfl.write(dir.resolve("x"), new long[] { n, n }, x, false);
		Bart.run(dir, 1, "fft", "-u", "3", "x", "kb");
		final Cfl.Array kb = Cfl.read(dir.resolve("kb"));
		assertArrayEquals(new long[] { n, n }, kb.dims);
		final float[] ours = new Fft2c(n, n, 1).apply(x);
		final double e = nrmse(ours, kb.data);
		System.out.printf("centred unitary FFT vs bart fft -u: relative difference %.2e%n", e);
		// float rounding of two FFT implementations (measured 1e-7); a shift or sign convention error gives O(1)
		assertTrue(e < 1e-5, "FFT convention differs from BART's: " + e);
		// exact round trip, refusal to overwrite, malformed files
		final Cfl.Array back = Cfl.read(dir.resolve("x.cfl"));
		assertArrayEquals(x, back.data);
		assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> Cfl.write(dir.resolve("x"), new long[] { n, n }, x, false));
		Files.writeString(dir.resolve("bad.hdr"), "# Dimensions\n32 32 1\n");
		Files.write(dir.resolve("bad.cfl"), new byte[100]);
		final BadFileException trunc = assertThrows(BadFileException.class, () -> Cfl.read(dir.resolve("bad")));
		assertTrue(trunc.getMessage().contains("bad.cfl") && trunc.getMessage().contains("8192"), trunc.getMessage());
		Files.writeString(dir.resolve("nohdr.hdr"), "hello\n");
		assertTrue(assertThrows(BadFileException.class, () -> Cfl.read(dir.resolve("nohdr"))).getMessage().contains("Dimensions"));
		Files.writeString(dir.resolve("neg.hdr"), "# Dimensions\n32 -1\n");
		assertTrue(assertThrows(BadFileException.class, () -> Cfl.read(dir.resolve("neg"))).getMessage().contains("positive"));
		assertTrue(assertThrows(BadFileException.class, () -> Cfl.read(dir.resolve("missing"))).getMessage().contains("missing.hdr"));
	}
}
