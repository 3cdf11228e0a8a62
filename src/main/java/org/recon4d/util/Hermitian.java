package org.recon4d.util;

/**
 * Eigen-decomposition of a complex Hermitian matrix by cyclic Jacobi rotations: each pivot (p, q)
 * is first made real by a diagonal phase, then zeroed by a real plane rotation; sweeps repeat until
 * the off-diagonal mass is negligible. O(n^3) per sweep, accurate to rounding; meant for the
 * few-hundred-sized Gram matrices of coil calibration.
 */
public final class Hermitian {

	/** Eigenvalues (descending) and eigenvectors: column j of (vecRe, vecIm) belongs to values[j]. */
	public static final class Eigen {
		public final double[] values;
		public final double[][] vecRe, vecIm;

		Eigen(final double[] values, final double[][] vecRe, final double[][] vecIm) {
			this.values = values;
			this.vecRe = vecRe;
			this.vecIm = vecIm;
		}
	}

	private Hermitian() {}

	/** Decomposes H = re + i im (only the upper triangle is read; the inputs are not changed). */
	public static Eigen decompose(final double[][] re, final double[][] im) {
		final int n = re.length;
		final double[][] hr = new double[n][n], hi = new double[n][n], vr = new double[n][n], vi = new double[n][n];
		for (int a = 0; a < n; a++) {
			vr[a][a] = 1;
			for (int b = a; b < n; b++) {
				hr[a][b] = re[a][b];
				hi[a][b] = a == b ? 0 : im[a][b];
				hr[b][a] = re[a][b];
				hi[b][a] = a == b ? 0 : -im[a][b];
			}
		}
		for (int sweep = 0; sweep < 60; sweep++) {
			double off = 0, diag = 0;
			for (int a = 0; a < n; a++) {
				diag += hr[a][a] * hr[a][a];
				for (int b = a + 1; b < n; b++) off += hr[a][b] * hr[a][b] + hi[a][b] * hi[a][b];
			}
			if (off <= 1e-30 * diag || off == 0) break;
			for (int p = 0; p < n - 1; p++) for (int q = p + 1; q < n; q++) {
				final double r = Math.hypot(hr[p][q], hi[p][q]);
				if (r <= 1e-300) continue;
				final double er = hr[p][q] / r, ei = hi[p][q] / r; // e^{i phi}
				final double zeta = (hr[q][q] - hr[p][p]) / (2 * r);
				final double t = 1 / (zeta + (zeta >= 0 ? 1 : -1) * Math.sqrt(1 + zeta * zeta));
				final double cs = 1 / Math.sqrt(1 + t * t), sn = t * cs;
				// U = diag(1, e^{-i phi}) [[cs, sn], [-sn, cs]]:
				// U = [[cs, sn], [-sn e^{-i phi}, cs e^{-i phi}]]
				final double u00 = cs, u01 = sn;
				final double u10r = -sn * er, u10i = sn * ei, u11r = cs * er, u11i = -cs * ei;
				// columns: H <- H U
				for (int k = 0; k < n; k++) {
					final double ar = hr[k][p], ai = hi[k][p], br = hr[k][q], bi = hi[k][q];
					hr[k][p] = ar * u00 + br * u10r - bi * u10i;
					hi[k][p] = ai * u00 + br * u10i + bi * u10r;
					hr[k][q] = ar * u01 + br * u11r - bi * u11i;
					hi[k][q] = ai * u01 + br * u11i + bi * u11r;
					final double vr0 = vr[k][p], vi0 = vi[k][p], vr1 = vr[k][q], vi1 = vi[k][q];
					vr[k][p] = vr0 * u00 + vr1 * u10r - vi1 * u10i;
					vi[k][p] = vi0 * u00 + vr1 * u10i + vi1 * u10r;
					vr[k][q] = vr0 * u01 + vr1 * u11r - vi1 * u11i;
					vi[k][q] = vi0 * u01 + vr1 * u11i + vi1 * u11r;
				}
				// rows: H <- U^H H
				for (int k = 0; k < n; k++) {
					final double ar = hr[p][k], ai = hi[p][k], br = hr[q][k], bi = hi[q][k];
					hr[p][k] = u00 * ar + u10r * br + u10i * bi;
					hi[p][k] = u00 * ai + u10r * bi - u10i * br;
					hr[q][k] = u01 * ar + u11r * br + u11i * bi;
					hi[q][k] = u01 * ai + u11r * bi - u11i * br;
				}
				hi[p][p] = 0;
				hi[q][q] = 0;
				hr[p][q] = hr[q][p] = hi[p][q] = hi[q][p] = 0;
			}
		}
		final Integer[] idx = new Integer[n];
		for (int a = 0; a < n; a++) idx[a] = a;
		java.util.Arrays.sort(idx, (x, y) -> Double.compare(hr[y][y], hr[x][x]));
		final double[] val = new double[n];
		final double[][] outR = new double[n][n], outI = new double[n][n];
		for (int j = 0; j < n; j++) {
			val[j] = hr[idx[j]][idx[j]];
			for (int k = 0; k < n; k++) { outR[k][j] = vr[k][idx[j]]; outI[k][j] = vi[k][idx[j]]; }
		}
		return new Eigen(val, outR, outI);
	}
}
