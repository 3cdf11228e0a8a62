package org.recon4d.op.mri;

import org.recon4d.util.Parallel;

/** Coil-wise complex products and sums shared by the multi-coil operators (interleaved re, im). */
final class CoilOps {

	private CoilOps() {}

	/** out[o..] = S .* x[xo..] over img complex pixels. */
	static void multiply(final float[] x, final int xo, final float[] maps, final int so, final float[] out, final int o, final int img) {
		for (int p = 0; p < img; p++) {
			final float xr = x[xo + 2 * p], xi = x[xo + 2 * p + 1], sr = maps[so + 2 * p], si = maps[so + 2 * p + 1];
			out[o + 2 * p] = sr * xr - si * xi;
			out[o + 2 * p + 1] = sr * xi + si * xr;
		}
	}

	/** v[o..] = conj(S) .* v[o..] in place, over img complex pixels. */
	static void multiplyConjugate(final float[] v, final int o, final float[] maps, final int so, final int img) {
		for (int p = 0; p < img; p++) {
			final float tr = v[o + 2 * p], ti = v[o + 2 * p + 1], sr = maps[so + 2 * p], si = maps[so + 2 * p + 1];
			v[o + 2 * p] = sr * tr + si * ti;
			v[o + 2 * p + 1] = sr * ti - si * tr;
		}
	}

	/** out[b] = sum over coils of coilImg[b, c] ({2, img, coils, batch} to {2, img, batch}). */
	static void sumCoils(final float[] coilImg, final float[] out, final int img, final int coils, final int batch) {
		Parallel.forEach(batch, b -> {
			final int xo = 2 * b * img;
			java.util.Arrays.fill(out, xo, xo + 2 * img, 0f);
			for (int c = 0; c < coils; c++) {
				final int o = 2 * (b * coils + c) * img;
				for (int q = 0; q < 2 * img; q++) out[xo + q] += coilImg[o + q];
			}
		});
	}
}
