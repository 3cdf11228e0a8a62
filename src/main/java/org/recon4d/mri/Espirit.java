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
		final int n = k * k * coils, per = c - k + 1;
		final double[][] gr = new double[n][n], gi = new double[n][n];
		final double[] rowRe = new double[n], rowIm = new double[n];
		for (int py = 0; py < per; py++) for (int px = 0; px < per; px++) {
			for (int ch = 0; ch < coils; ch++) for (int dy = 0; dy < k; dy++) for (int dx = 0; dx < k; dx++) {
				final int o = 2 * ((ch * ny + y0 + py + dy) * nx + x0 + px + dx);
				final int col = (ch * k + dy) * k + dx;
				rowRe[col] = kspace[o];
				rowIm[col] = kspace[o + 1];
			}
			// A^H A: its eigenvectors are the right singular vectors v of A, whose conjugates span
			// the patches; G built from v is therefore the conjugate of the true operator, and its
			// eigenvectors are the conjugated sensitivities (undone below). Measured: this route
			// matches the true maps, while using the patch basis with the same DFT mirrors x.
			for (int a = 0; a < n; a++) for (int b = a; b < n; b++) {
				gr[a][b] += rowRe[a] * rowRe[b] + rowIm[a] * rowIm[b];
				gi[a][b] += rowRe[a] * rowIm[b] - rowIm[a] * rowRe[b];
			}
		}
		final Hermitian.Eigen e = Hermitian.decompose(gr, gi);
		// singular values are the square roots of the Gram eigenvalues
		final double cut = p.threshold * p.threshold * e.values[0];
		int kept = 0;
		while (kept < n && e.values[kept] > cut) kept++;
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
					im[o] = (float) e.vecRe[col][jj];
					im[o + 1] = (float) e.vecIm[col][jj];
				}
				fft.transformOne(im, 0, false);
				for (int q = 0; q < im.length; q++) im[q] *= scale;
				g[ch] = im;
			});
			Parallel.forEach(coils, a -> {
				for (int b = 0; b < coils; b++) {
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
		final float[] maps = new float[2 * img * coils], lam = new float[img];
		Parallel.forEach(ny, y -> {
			final double[] vr = new double[coils], vi = new double[coils], wr = new double[coils], wi = new double[coils];
			for (int xx = 0; xx < nx; xx++) {
				final int x = y * nx + xx;
				java.util.Arrays.fill(vr, 1 / Math.sqrt(coils));
				java.util.Arrays.fill(vi, 0);
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
					if (nn == 0) break;
					l = nn;
					for (int a = 0; a < coils; a++) { vr[a] = wr[a] / nn; vi[a] = wi[a] / nn; }
				}
				lam[x] = (float) l;
				if (l < p.crop) continue;
				for (int a = 0; a < coils; a++) vi[a] = -vi[a]; // conjugate (see above)
				// phase: first coil real and non-negative
				final double m0 = Math.hypot(vr[0], vi[0]);
				final double pr = m0 > 0 ? vr[0] / m0 : 1, pi = m0 > 0 ? -vi[0] / m0 : 0;
				for (int a = 0; a < coils; a++) {
					final int o = 2 * (a * img + x);
					maps[o] = (float) (vr[a] * pr - vi[a] * pi);
					maps[o + 1] = (float) (vr[a] * pi + vi[a] * pr);
				}
			}
		});
		return new Result(maps, lam, kept);
	}
}
