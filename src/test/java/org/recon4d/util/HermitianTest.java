package org.recon4d.util;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class HermitianTest {

	@Test
	void decomposesARandomHermitianMatrix() {
		final int n = 40;
		final SplittableRandom r = new SplittableRandom(3);
		final double[][] re = new double[n][n], im = new double[n][n];
		for (int a = 0; a < n; a++) for (int b = a; b < n; b++) {
			re[a][b] = re[b][a] = r.nextDouble(-1, 1);
			im[a][b] = a == b ? 0 : r.nextDouble(-1, 1);
			im[b][a] = -im[a][b];
		}
		final Hermitian.Eigen e = Hermitian.decompose(re, im);
		double worst = 0, trace = 0, sum = 0;
		for (int j = 0; j < n; j++) {
			sum += e.values[j];
			if (j > 0) assertTrue(e.values[j] <= e.values[j - 1], "descending");
			for (int a = 0; a < n; a++) {
				// (H v)_a - lambda v_a
				double hr = 0, hi = 0;
				for (int b = 0; b < n; b++) {
					hr += re[a][b] * e.vecRe[b][j] - im[a][b] * e.vecIm[b][j];
					hi += re[a][b] * e.vecIm[b][j] + im[a][b] * e.vecRe[b][j];
				}
				worst = Math.max(worst, Math.hypot(hr - e.values[j] * e.vecRe[a][j], hi - e.values[j] * e.vecIm[a][j]));
			}
			// unit norm and orthogonality to the next vector
			double nn = 0, dr = 0, di = 0;
			for (int a = 0; a < n; a++) {
				nn += e.vecRe[a][j] * e.vecRe[a][j] + e.vecIm[a][j] * e.vecIm[a][j];
				if (j + 1 < n) {
					dr += e.vecRe[a][j] * e.vecRe[a][j + 1] + e.vecIm[a][j] * e.vecIm[a][j + 1];
					di += e.vecRe[a][j] * e.vecIm[a][j + 1] - e.vecIm[a][j] * e.vecRe[a][j + 1];
				}
			}
			assertEquals(1, nn, 1e-10);
			assertEquals(0, Math.hypot(dr, di), 1e-10);
		}
		for (int a = 0; a < n; a++) trace += re[a][a];
		System.out.printf("Hermitian Jacobi n=%d: worst |Hv - lambda v| %.2e%n", n, worst);
		// double rounding over n = 40 rotations per sweep: 1e-10 is 1e5 ulps of the O(1) entries
		assertTrue(worst < 1e-10, "residual " + worst);
		assertEquals(trace, sum, 1e-9);
	}
}
