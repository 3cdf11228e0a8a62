package org.recon4d.util;

/**
 * Radix-2 FFT along the outer index of planar data rows[m][len]: element i of every row is
 * transformed together, so each butterfly is a loop over a whole row, which the JIT compiles to
 * SIMD instructions. Bit reversal swaps row references. Two calls with a transpose between make a
 * 2D FFT (see {@code op.mri.Fft2c}); m must be a power of two. Unnormalised; single precision.
 */
public final class PlanarFft {

	private final int m;
	private final float[] cos, sin;
	private final int[] rev;

	public PlanarFft(final int m) {
		if (m < 1 || Integer.bitCount(m) != 1) throw new IllegalArgumentException("size must be a power of two: " + m);
		this.m = m;
		cos = new float[m / 2 + 1];
		sin = new float[m / 2 + 1];
		for (int k = 0; k <= m / 2; k++) { cos[k] = (float) Math.cos(2 * Math.PI * k / m); sin[k] = (float) Math.sin(2 * Math.PI * k / m); }
		rev = new int[m];
		final int bits = Integer.numberOfTrailingZeros(m);
		for (int i = 0; i < m; i++) rev[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
	}

	/** Forward (e^{-2 pi i k n / m}) or inverse (e^{+...}) transform of re/im rows in place. */
	public void transform(final float[][] re, final float[][] im, final boolean inverse) {
		for (int i = 0; i < m; i++) {
			final int j = rev[i];
			if (j > i) {
				float[] t = re[i]; re[i] = re[j]; re[j] = t;
				t = im[i]; im[i] = im[j]; im[j] = t;
			}
		}
		final float sign = inverse ? 1 : -1;
		final int len = re[0].length;
		for (int size = 2; size <= m; size <<= 1) {
			final int half = size / 2, step = m / size;
			for (int start = 0; start < m; start += size) {
				for (int k = 0; k < half; k++) {
					final float wr = cos[k * step], wi = sign * sin[k * step];
					final float[] ar = re[start + k], ai = im[start + k], br = re[start + k + half], bi = im[start + k + half];
					if (k == 0) {
						for (int q = 0; q < len; q++) {
							final float xr = br[q], xi = bi[q];
							br[q] = ar[q] - xr; bi[q] = ai[q] - xi;
							ar[q] += xr; ai[q] += xi;
						}
					}
					else {
						for (int q = 0; q < len; q++) {
							final float xr = br[q] * wr - bi[q] * wi, xi = br[q] * wi + bi[q] * wr;
							br[q] = ar[q] - xr; bi[q] = ai[q] - xi;
							ar[q] += xr; ai[q] += xi;
						}
					}
				}
			}
		}
	}
}
