package org.recon4d.op.mri;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.recon4d.mri.CoilMaps;
import org.recon4d.op.LinearOperator;
import org.recon4d.op.Operators;
import org.recon4d.op.reg.Haar;
import org.recon4d.util.AnyFft;

/** MRI operators: FFT accuracy against a direct DFT, unitarity, adjoints, masks. */
class MriOperatorsTest {

	static float[] random(final int n, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] v = new float[n];
		for (int i = 0; i < n; i++) v[i] = (float) r.nextDouble(-1, 1);
		return v;
	}

	@ParameterizedTest
	@CsvSource({ "16", "20", "27", "368" })
	void anyLengthFftMatchesDirectDft(final int n) {
		final SplittableRandom r = new SplittableRandom(n);
		final double[] re = new double[n], im = new double[n];
		for (int i = 0; i < n; i++) { re[i] = r.nextDouble(-1, 1); im[i] = r.nextDouble(-1, 1); }
		final double[] fr = re.clone(), fi = im.clone();
		new AnyFft(n).transform(fr, fi, false);
		double err = 0, ref = 0;
		for (int k = 0; k < n; k++) {
			double sr = 0, si = 0;
			for (int j = 0; j < n; j++) {
				final double a = -2 * Math.PI * ((long) k * j % n) / n;
				sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
				si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
			}
			err = Math.max(err, Math.hypot(fr[k] - sr, fi[k] - si));
			ref = Math.max(ref, Math.hypot(sr, si));
		}
		assertTrue(err / ref < 1e-12, "FFT vs DFT relative error " + err / ref);
		new AnyFft(n).transform(fr, fi, true);
		for (int i = 0; i < n; i++) assertEquals(re[i], fr[i] / n, 1e-12);
	}

	@Test
	void centredFftIsUnitaryWithCentreAtTheMiddle() {
		for (final int[] s : new int[][] { { 16, 16 }, { 20, 12 }, { 15, 9 } }) {
			final Fft2c f = new Fft2c(s[0], s[1], 2);
			final float[] x = random(2 * s[0] * s[1] * 2, 3);
			final float[] y = f.apply(x);
			assertEquals(org.recon4d.util.Vec.dot(x, x), org.recon4d.util.Vec.dot(y, y), 1e-3 * org.recon4d.util.Vec.dot(x, x), "Parseval " + s[0] + "x" + s[1]);
			final float[] back = f.adjoint(y);
			for (int i = 0; i < x.length; i++) assertEquals(x[i], back[i], 1e-5);
			assertTrue(Operators.adjointError(f, 5) < 1e-5);
		}
		// a constant image has all its energy at k = (nx/2, ny/2)
		final int nx = 12, ny = 10;
		final float[] one = new float[2 * nx * ny];
		for (int p = 0; p < nx * ny; p++) one[2 * p] = 1;
		final float[] k = new Fft2c(nx, ny, 1).apply(one);
		assertEquals(Math.sqrt(nx * ny), k[2 * ((ny / 2) * nx + nx / 2)], 1e-4);
	}

	@Test
	void senseAndWaveletOperatorsPassTheAdjointTest() {
		final int nx = 24, ny = 20, coils = 4, batch = 3;
		final float[] maps = CoilMaps.simulate(nx, ny, coils);
		final float[] mask = Masks.lines(Masks.random1d(nx, 4, 0.08, 2), ny);
		final float[] frameMasks = new float[nx * ny * batch];
		for (int b = 0; b < batch; b++) System.arraycopy(Masks.lines(Masks.random1d(nx, 3, 0.1, 10 + b), ny), 0, frameMasks, b * nx * ny, nx * ny);
		final LinearOperator[] ops = {
			new Sense(nx, ny, coils, 1, maps, null),
			new Sense(nx, ny, coils, batch, maps, mask),
			new Sense(nx, ny, coils, batch, maps, frameMasks),
			new Haar(2, nx, ny, batch, 4, 2),
			new Haar(2, 32, 32, 1, 4, 2),
		};
		for (final LinearOperator a : ops) {
			final double e = Operators.adjointError(a, 7);
			System.out.printf("adjoint %-40s %.2e%n", a.name(), e);
			assertTrue(e < 1e-5, a.name() + ": " + e);
		}
		// Haar is orthonormal: inverse = adjoint
		final Haar h = new Haar(2, 32, 32, 1, 4, 2);
		assertEquals(4, h.levels());
		final float[] x = random(2 * 32 * 32, 9);
		final float[] back = h.adjoint(h.apply(x));
		for (int i = 0; i < x.length; i++) assertEquals(x[i], back[i], 1e-5);
	}

	@Test
	void senseNormalOperatorShortcutEqualsAdjointOfApply() {
		// 24 x 18 runs the general FFT, 32 x 16 the planar power-of-two one
		for (final int[] size : new int[][] { { 24, 18 }, { 32, 16 } }) normalShortcut(size[0], size[1]);
	}

	void normalShortcut(final int nx, final int ny) {
		final int coils = 3, batch = 2;
		final float[] maps = CoilMaps.simulate(nx, ny, coils);
		final float[] x = random(2 * nx * ny * batch, 8);
		final float[] frameMasks = new float[nx * ny * batch];
		for (int b = 0; b < batch; b++) System.arraycopy(Masks.lines(Masks.random1d(nx, 3, 0.1, 20 + b), ny), 0, frameMasks, b * nx * ny, nx * ny);
		// kx-only masks take the shortcut (y transforms cancel), a Poisson disc the general path
		for (final float[] m : new float[][] { Masks.lines(Masks.random1d(nx, 4, 0.1, 2), ny), frameMasks, Masks.poissonDisc(nx, ny, 3, 4, 1, 3) }) {
			final Sense a = new Sense(nx, ny, coils, batch, maps, m);
			final float[] direct = a.adjoint(a.apply(x)), shortcut = a.normal().apply(x);
			double e = 0, r = 0;
			for (int i = 0; i < direct.length; i++) { e += (direct[i] - shortcut[i]) * (direct[i] - shortcut[i]); r += direct[i] * direct[i]; }
			System.out.printf("%s: relative difference %.1e%n", a.normal().name(), Math.sqrt(e / r));
			// float rounding of two FFT orderings
			assertTrue(Math.sqrt(e / r) < 1e-6, a.normal().name() + ": " + Math.sqrt(e / r));
		}
		assertTrue(new Sense(nx, ny, coils, batch, maps, frameMasks).normal().name().contains("kx-only"));
	}

	@Test
	void masksHaveTheirAccelerationAndCentre() {
		final int n = 368;
		for (final double acc : new double[] { 4, 8 }) {
			final double cf = acc == 4 ? 0.08 : 0.04;
			double mean = 0;
			for (int seed = 0; seed < 50; seed++) {
				final boolean[] m = Masks.random1d(n, acc, cf, seed);
				int count = 0;
				for (final boolean b : m) count += b ? 1 : 0;
				mean += count / 50.0;
				final int low = (int) Math.round(n * cf), pad = (n - low + 1) / 2;
				for (int i = pad; i < pad + low; i++) assertTrue(m[i], "centre column " + i);
			}
			// binomial spread of one mask is ~7 columns, of a 50-mask mean ~1; 5 % of n / R is 4+ of those
			assertEquals(n / acc, mean, 0.05 * n / acc, "mean sampled columns at R=" + acc);
			final boolean[] eq = Masks.equispaced1d(n, (int) acc, cf, 1);
			int count = 0;
			for (final boolean b : eq) count += b ? 1 : 0;
			assertTrue(count >= n / acc && count <= n / acc + n * cf + 1, "equispaced count " + count);
		}
		final float[] pd = Masks.poissonDisc(128, 96, 5, 16, 2, 4);
		// the bisection stops within 2 % of the target fraction (Masks.poissonDisc's contract)
		assertEquals(0.2, Masks.fraction(pd), 0.2 * 0.02 + 1e-9, "Poisson-disc sampled fraction");
		for (int j = 48 - 8; j < 48 + 8; j++) for (int i = 64 - 8; i < 64 + 8; i++) assertEquals(1f, pd[j * 128 + i], "calibration centre");
		// variable density: the centre quarter is sampled more densely than the outer ring
		double inner = 0, innerN = 0, outer = 0, outerN = 0;
		for (int j = 0; j < 96; j++) for (int i = 0; i < 128; i++) {
			final double r = Math.hypot((i - 64) / 64.0, (j - 48) / 48.0);
			if (r < 0.5 && r > 0.2) { inner += pd[j * 128 + i]; innerN++; }
			if (r > 0.8 && r < 1) { outer += pd[j * 128 + i]; outerN++; }
		}
		assertTrue(inner / innerN > 1.5 * outer / outerN, "density " + inner / innerN + " vs " + outer / outerN);
		assertThrows(IllegalArgumentException.class, () -> Masks.random1d(100, 4, 0.5, 1));
	}
}
