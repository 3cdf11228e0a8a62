package org.recon4d.op.mri;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.recon4d.op.Operators;

/** NUFFT accuracy against a direct non-uniform DFT, the adjoint, and agreement with Fft2c on the grid. */
class NufftTest {

	/** y(k) = (1/sqrt(nx ny)) sum_x m(x) e^{-2 pi i (kx x / nx + ky y / ny)}, x = i - n/2. */
	static float[] nudft(final float[] m, final int nx, final int ny, final double[] kx, final double[] ky) {
		final float[] y = new float[2 * kx.length];
		final double s = 1 / Math.sqrt((double) nx * ny);
		for (int j = 0; j < kx.length; j++) {
			double re = 0, im = 0;
			for (int b = 0; b < ny; b++) for (int a = 0; a < nx; a++) {
				final double ph = -2 * Math.PI * (kx[j] * (a - nx / 2) / nx + ky[j] * (b - ny / 2) / ny);
				final double c = Math.cos(ph), sn = Math.sin(ph), mr = m[2 * (b * nx + a)], mi = m[2 * (b * nx + a) + 1];
				re += mr * c - mi * sn;
				im += mr * sn + mi * c;
			}
			y[2 * j] = (float) (re * s);
			y[2 * j + 1] = (float) (im * s);
		}
		return y;
	}

	static double relErr(final float[] a, final float[] b) {
		double e = 0, r = 0;
		for (int i = 0; i < a.length; i++) { e += (a[i] - b[i]) * (a[i] - b[i]); r += b[i] * b[i]; }
		return Math.sqrt(e / r);
	}

	@Test
	void matchesTheDirectNonUniformDft() {
		final int n = 32;
		final double[][] k = Nufft.radial(Nufft.goldenAngles(48, 0), 48, n);
		final float[] m = MriOperatorsTest.random(2 * n * n, 4);
		final float[] ref = nudft(m, n, n, k[0], k[1]);
		final double[] errs = new double[3];
		final int[] widths = { 4, 6, 8 };
		for (int i = 0; i < 3; i++) {
			errs[i] = relErr(new Nufft(n, n, k[0], k[1], 2, widths[i]).apply(m), ref);
			System.out.printf("NUFFT vs NUDFT, 32 x 32, 48 golden-angle spokes, sigma 2, KB width %d: relative error %.2e%n", widths[i], errs[i]);
		}
		// measured 6.2e-4 (W 4), 7.0e-6 (W 6), 1.2e-7 (W 8) with Beatty et al.'s beta at sigma 2; bounds ~4x above
		assertTrue(errs[0] < 3e-3, "W 4: " + errs[0]);
		assertTrue(errs[1] < 3e-5, "W 6: " + errs[1]);
		assertTrue(errs[2] < errs[0], "wider kernels must be more accurate");
		// odd sizes and another oversampling
		final double[][] k2 = Nufft.radial(Nufft.goldenAngles(20, 3), 30, 30);
		final float[] m2 = MriOperatorsTest.random(2 * 30 * 27, 5);
		final double e2 = relErr(new Nufft(30, 27, scaleK(k2[0], 1), scaleK(k2[1], 27 / 30.0), 1.5, 6).apply(m2), nudft(m2, 30, 27, k2[0], scaleK(k2[1], 27 / 30.0)));
		System.out.printf("NUFFT 30 x 27, sigma 1.5, W 6: relative error %.2e%n", e2);
		assertTrue(e2 < 1e-3, "30 x 27: " + e2);
	}

	static double[] scaleK(final double[] k, final double f) {
		final double[] o = new double[k.length];
		for (int i = 0; i < k.length; i++) o[i] = k[i] * f;
		return o;
	}

	@Test
	void isAnExactAdjointPairAndAgreesWithTheCartesianFft() {
		final int n = 24;
		final double[][] k = Nufft.radial(Nufft.goldenAngles(30, 0), 24, n);
		final Nufft f = new Nufft(n, n, k[0], k[1], 2, 6);
		final double e = Operators.adjointError(f, 2);
		System.out.printf("NUFFT adjoint error %.2e%n", e);
		assertTrue(e < 1e-5, "adjoint " + e);
		// on the Cartesian grid points the NUFFT reproduces the centred FFT
		final double[] gx = new double[n * n], gy = new double[n * n];
		for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) { gx[j * n + i] = i - n / 2; gy[j * n + i] = j - n / 2; }
		final float[] m = MriOperatorsTest.random(2 * n * n, 6);
		final double c = relErr(new Nufft(n, n, gx, gy, 2, 6).apply(m), new Fft2c(n, n, 1).apply(m));
		System.out.printf("NUFFT on the grid vs Fft2c: %.2e%n", c);
		assertTrue(c < 1e-4, "grid agreement " + c);
		assertThrows(IllegalArgumentException.class, () -> new Nufft(n, n, new double[] { 13 }, new double[] { 0 }, 2, 6));
	}
}
