package org.recon4d.mri;

import java.util.Locale;

import org.recon4d.op.mri.Fft2c;
import org.recon4d.util.Hermitian;
import org.recon4d.util.Parallel;

/**
 * ESPIRiT coil sensitivities (Uecker et al., MRM 2014), one map set.
 * <ol>
 * <li>Calibration matrix: every k x k patch (all coils) of the fully sampled calib x calib centre is
 * one row; its right singular vectors with singular value above {@code threshold} times the largest
 * span the "signal" subspace V (eigen-decomposition of A^H A, {@link Hermitian}).</li>
 * <li>Projecting every patch onto V and averaging the patches that cover a k-space point is a
 * convolution; in the image it becomes, at each pixel x, the coils x coils matrix
 * G(x) = sum_j g_j(x) g_j(x)^H with g_{j,c}(x) = (1/k) sum_q v_j[q, c] e^{-2 pi i q x / N} (the
 * kernel's DFT, computed by zero padding and the centred FFT; with v from A^H A this G is the
 * conjugate of the operator, see the code).</li>
 * <li>The sensitivities are the eigenvector of G(x) with eigenvalue 1; pixels whose top eigenvalue
 * is below {@code crop} (outside the object) get zero maps. Each pixel's phase is set so that the
 * first coil is real and non-negative (as BART does), which keeps the image phase smooth.</li>
 * </ol>
 */
public final class Espirit {

	/** Settings (defaults: kernel 6, singular-value threshold 0.02 as in the paper, crop 0.8). */
	public static final class Params {
		public int kernel = 6;
		public int calib = 24;
		public double threshold = 0.02;
		public double crop = 0.8;

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "ESPIRiT kernel %d, calib %d, threshold %g, crop %g", kernel, calib, threshold, crop);
		}
	}

	/** Maps and the top eigenvalue per pixel. */
	public static final class Result {
		public final float[] maps;
		public final float[] eigenvalue;
		public final int kernels;

		Result(final float[] maps, final float[] eigenvalue, final int kernels) {
			this.maps = maps;
			this.eigenvalue = eigenvalue;
			this.kernels = kernels;
		}
	}

	private Espirit() {}

	/** @param kspace {2, nx, ny, coils} of one slice; its central calib x calib block must be sampled */
	public static Result maps(final float[] kspace, final int nx, final int ny, final int coils, final Params p) {
		final int k = p.kernel, c = p.calib;
		if (kspace.length != 2 * nx * ny * coils) throw new IllegalArgumentException("k-space has " + kspace.length + " values, expected 2 x " + nx + " x " + ny + " x " + coils);
		if (k < 2 || c < k + 1 || c > Math.min(nx, ny))
			throw new IllegalArgumentException("ESPIRiT needs kernel >= 2 and kernel < calib <= image size; got kernel " + k + ", calib " + c + ", image " + nx + " x " + ny);
		final int x0 = nx / 2 - c / 2, y0 = ny / 2 - c / 2;
		// the calibration region must be sampled: count zero samples in it
		int zeros = 0;
		for (int j = y0; j < y0 + c; j++) for (int i = x0; i < x0 + c; i++) {
			final int o = 2 * (j * nx + i);
			if (kspace[o] == 0 && kspace[o + 1] == 0) zeros++;
		}
		if (zeros > c * c / 10)
			throw new IllegalArgumentException(zeros + " of the " + c * c + " calibration samples are zero: the central " + c + " x " + c + " block is not fully sampled (lower calib)");
		// Gram matrix of the calibration matrix, columns (coil, dy, dx)
		final int n = k * k * coils, per = c - k + 1, rows = per * per;
		// calibration matrix A: one row per patch, columns (coil, dy, dx)
		final double[][] aRe = new double[rows][n], aIm = new double[rows][n];
		for (int py = 0; py < per; py++) for (int px = 0; px < per; px++) {
			final int r = py * per + px;
			for (int ch = 0; ch < coils; ch++) for (int dy = 0; dy < k; dy++) for (int dx = 0; dx < k; dx++) {
				final int o = 2 * ((ch * ny + y0 + py + dy) * nx + x0 + px + dx);
				final int col = (ch * k + dy) * k + dx;
				aRe[r][col] = kspace[o];
				aIm[r][col] = kspace[o + 1];
			}
		}
		// Right singular vectors v of A (eigenvectors of A^H A). Their conjugates span the patches;
		// G built from v is therefore the conjugate of the true operator, and its eigenvectors are
		// the conjugated sensitivities (undone below). Measured: this route matches the true maps,
		// while using the patch basis with the same DFT mirrors x. The eigen-decomposition runs on
		// the smaller Gram matrix: A^H A (n x n) or A A^H (rows x rows, then v = A^H u / sigma).
		final double[] values;
		final double[][] vRe, vIm;
		if (n <= rows) {
			final double[][] gr = new double[n][n], gi = new double[n][n];
			for (int r = 0; r < rows; r++) {
				final double[] rowRe = aRe[r], rowIm = aIm[r];
				for (int a = 0; a < n; a++) for (int b = a; b < n; b++) {
					gr[a][b] += rowRe[a] * rowRe[b] + rowIm[a] * rowIm[b];
					gi[a][b] += rowRe[a] * rowIm[b] - rowIm[a] * rowRe[b];
				}
			}
			final Hermitian.Eigen e = Hermitian.decompose(gr, gi);
			values = e.values;
			vRe = e.vecRe;
			vIm = e.vecIm;
		}
		else {
			final double[][] gr = new double[rows][rows], gi = new double[rows][rows];
			for (int r = 0; r < rows; r++) for (int q = r; q < rows; q++) {
				double sr = 0, si = 0;
				for (int col = 0; col < n; col++) { // A[r] conj(A[q])
					sr += aRe[r][col] * aRe[q][col] + aIm[r][col] * aIm[q][col];
					si += aIm[r][col] * aRe[q][col] - aRe[r][col] * aIm[q][col];
				}
				gr[r][q] = sr;
				gi[r][q] = si;
			}
			final Hermitian.Eigen e = Hermitian.decompose(gr, gi);
			values = e.values;
			vRe = new double[n][rows];
			vIm = new double[n][rows];
			for (int j = 0; j < rows; j++) {
				if (e.values[j] <= 0) continue;
				final double inv = 1 / Math.sqrt(e.values[j]);
				for (int col = 0; col < n; col++) {
					double sr = 0, si = 0;
					for (int r = 0; r < rows; r++) { // conj(A[r][col]) u[r]
						sr += aRe[r][col] * e.vecRe[r][j] + aIm[r][col] * e.vecIm[r][j];
						si += aRe[r][col] * e.vecIm[r][j] - aIm[r][col] * e.vecRe[r][j];
					}
					vRe[col][j] = sr * inv;
					vIm[col][j] = si * inv;
				}
			}
		}
		// singular values are the square roots of the Gram eigenvalues
		final double cut = p.threshold * p.threshold * values[0];
		int kept = 0;
		while (kept < values.length && values[kept] > cut) kept++;
		final int img = nx * ny;
		// G(x), coils x coils per pixel, accumulated kernel by kernel
		final float[] gRe = new float[img * coils * coils], gIm = new float[img * coils * coils];
		final Fft2c fft = new Fft2c(nx, ny, 1);
		final float scale = (float) (Math.sqrt((double) nx * ny) / k);
		for (int j = 0; j < kept; j++) {
			final int jj = j;
			final float[][] g = new float[coils][];
			Parallel.forEach(coils, ch -> {
				final float[] im = new float[2 * img];
				for (int dy = 0; dy < k; dy++) for (int dx = 0; dx < k; dx++) {
					final int col = (ch * k + dy) * k + dx;
					final int o = 2 * (dy * nx + dx);
					im[o] = (float) vRe[col][jj];
					im[o + 1] = (float) vIm[col][jj];
				}
				fft.transformOne(im, 0, false);
				for (int q = 0; q < im.length; q++) im[q] *= scale;
				g[ch] = im;
			});
			// G is Hermitian: accumulate the upper triangle (b >= a) only, mirror afterwards
			Parallel.forEach(coils, a -> {
				for (int b = a; b < coils; b++) {
					final float[] ga = g[a], gb = g[b];
					for (int x = 0; x < img; x++) {
						final float ar = ga[2 * x], ai = ga[2 * x + 1], br = gb[2 * x], bi = gb[2 * x + 1];
						final int o = (x * coils + a) * coils + b;
						gRe[o] += ar * br + ai * bi;  // g_a conj(g_b)
						gIm[o] += ai * br - ar * bi;
					}
				}
			});
		}
		Parallel.forEach(ny, y -> {
			for (int x = y * nx; x < (y + 1) * nx; x++) for (int a = 0; a < coils; a++) for (int b = 0; b < a; b++) {
				gRe[(x * coils + a) * coils + b] = gRe[(x * coils + b) * coils + a];
				gIm[(x * coils + a) * coils + b] = -gIm[(x * coils + b) * coils + a];
			}
		});
		final float[] maps = new float[2 * img * coils], lam = new float[img];
		Parallel.forEach(ny, y -> {
			final double[] vr = new double[coils], vi = new double[coils], wr = new double[coils], wi = new double[coils];
			java.util.Arrays.fill(vr, 1 / Math.sqrt(coils));
			for (int xx = 0; xx < nx; xx++) {
				final int x = y * nx + xx;
				// warm start from the row's previous pixel (maps are smooth); restart where it is degenerate
				double start = 0;
				for (int a = 0; a < coils; a++) start += vr[a] * vr[a] + vi[a] * vi[a];
				if (!(start > 0.5)) { java.util.Arrays.fill(vr, 1 / Math.sqrt(coils)); java.util.Arrays.fill(vi, 0); }
				double l = 0;
				for (int it = 0; it < 40; it++) {
					for (int a = 0; a < coils; a++) {
						double sr = 0, si = 0;
						for (int b = 0; b < coils; b++) {
							final int o = (x * coils + a) * coils + b;
							sr += gRe[o] * vr[b] - gIm[o] * vi[b];
							si += gRe[o] * vi[b] + gIm[o] * vr[b];
						}
						wr[a] = sr;
						wi[a] = si;
					}
					double nn = 0;
					for (int a = 0; a < coils; a++) nn += wr[a] * wr[a] + wi[a] * wi[a];
					nn = Math.sqrt(nn);
					if (nn == 0) { java.util.Arrays.fill(vr, 0); java.util.Arrays.fill(vi, 0); l = 0; break; }
					double change = 0;
					for (int a = 0; a < coils; a++) {
						final double nr = wr[a] / nn, ni = wi[a] / nn;
						change += (nr - vr[a]) * (nr - vr[a]) + (ni - vi[a]) * (ni - vi[a]);
						vr[a] = nr;
						vi[a] = ni;
					}
					final boolean done = Math.abs(nn - l) <= 1e-7 * nn && change < 1e-12;
					l = nn;
					if (done) break;
				}
				lam[x] = (float) l;
				if (l < p.crop) continue;
				// the map is the conjugate of v (see above), its phase set so the first coil is real and
				// non-negative; v itself stays as it is, the next pixel's start
				final double m0 = Math.hypot(vr[0], vi[0]);
				final double pr = m0 > 0 ? vr[0] / m0 : 1, pi = m0 > 0 ? vi[0] / m0 : 0;
				for (int a = 0; a < coils; a++) {
					final int o = 2 * (a * img + x);
					final double cr = vr[a], ci = -vi[a];
					maps[o] = (float) (cr * pr - ci * pi);
					maps[o + 1] = (float) (cr * pi + ci * pr);
				}
			}
		});
		return new Result(maps, lam, kept);
	}
}
