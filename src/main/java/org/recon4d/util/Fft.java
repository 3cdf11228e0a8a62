package org.recon4d.util;

/** In-place iterative radix-2 complex FFT on separate real/imaginary double arrays. */
public final class Fft {

	private final int n;
	private final double[] cos, sin;
	private final int[] rev;

	public Fft(final int n) {
		if (n < 1 || Integer.bitCount(n) != 1) throw new IllegalArgumentException("FFT size must be a power of two: " + n);
		this.n = n;
		cos = new double[n / 2 + 1];
		sin = new double[n / 2 + 1];
		for (int k = 0; k <= n / 2; k++) { cos[k] = Math.cos(2 * Math.PI * k / n); sin[k] = Math.sin(2 * Math.PI * k / n); }
		rev = new int[n];
		final int bits = Integer.numberOfTrailingZeros(n);
		for (int i = 0; i < n; i++) rev[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
	}

	public int size() {
		return n;
	}

	/** Forward (e^{-2 pi i k n / N}) when inverse is false; unnormalised both ways. */
	public void transform(final double[] re, final double[] im, final boolean inverse) {
		for (int i = 0; i < n; i++) {
			final int j = rev[i];
			if (j > i) {
				double t = re[i]; re[i] = re[j]; re[j] = t;
				t = im[i]; im[i] = im[j]; im[j] = t;
			}
		}
		final double sign = inverse ? 1 : -1;
		for (int len = 2; len <= n; len <<= 1) {
			final int half = len / 2, step = n / len;
			for (int i = 0; i < n; i += len) {
				for (int k = 0; k < half; k++) {
					final double wr = cos[k * step], wi = sign * sin[k * step];
					final int a = i + k, b = a + half;
					final double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
					re[b] = re[a] - xr; im[b] = im[a] - xi;
					re[a] += xr; im[a] += xi;
				}
			}
		}
	}

	public static int nextPow2(final int v) {
		int p = 1;
		while (p < v) p <<= 1;
		return p;
	}
}
