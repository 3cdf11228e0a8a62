package org.recon4d.util;

/**
 * Complex FFT of any length: radix-2 when the length is a power of two, otherwise Bluestein's
 * chirp-z algorithm on a radix-2 transform of at least 2n - 1 points (so k-space sizes such as
 * fastMRI's 640 x 368 or 320 x 320 work). Unnormalised; thread-safe (scratch is per call).
 */
public final class AnyFft {

	private final int n;
	private final Fft radix2;
	// Bluestein: chirp w_k = exp(-i pi k^2 / n), and the FFT of the conjugate chirp kernel
	private final double[] chirpRe, chirpIm, kernelRe, kernelIm;

	public AnyFft(final int n) {
		if (n < 1) throw new IllegalArgumentException("FFT size must be positive: " + n);
		this.n = n;
		if (Integer.bitCount(n) == 1) {
			radix2 = new Fft(n);
			chirpRe = chirpIm = kernelRe = kernelIm = null;
			return;
		}
		final int m = Fft.nextPow2(2 * n - 1);
		radix2 = new Fft(m);
		chirpRe = new double[n];
		chirpIm = new double[n];
		for (int k = 0; k < n; k++) {
			// k^2 mod 2n keeps the angle small and exact for large k
			final long k2 = ((long) k * k) % (2L * n);
			final double a = Math.PI * k2 / n;
			chirpRe[k] = Math.cos(a);
			chirpIm[k] = -Math.sin(a);
		}
		kernelRe = new double[m];
		kernelIm = new double[m];
		kernelRe[0] = chirpRe[0];
		kernelIm[0] = -chirpIm[0];
		for (int k = 1; k < n; k++) {
			kernelRe[k] = kernelRe[m - k] = chirpRe[k];
			kernelIm[k] = kernelIm[m - k] = -chirpIm[k];
		}
		radix2.transform(kernelRe, kernelIm, false);
	}

	public int size() {
		return n;
	}

	/** In place; forward uses e^{-2 pi i k j / n}. */
	public void transform(final double[] re, final double[] im, final boolean inverse) {
		if (chirpRe == null) { radix2.transform(re, im, inverse); return; }
		// the inverse transform is the conjugate of the forward transform of the conjugate
		if (inverse) for (int k = 0; k < n; k++) im[k] = -im[k];
		final int m = radix2.size();
		final double[] ar = new double[m], ai = new double[m];
		for (int k = 0; k < n; k++) {
			ar[k] = re[k] * chirpRe[k] - im[k] * chirpIm[k];
			ai[k] = re[k] * chirpIm[k] + im[k] * chirpRe[k];
		}
		radix2.transform(ar, ai, false);
		for (int k = 0; k < m; k++) {
			final double r = ar[k] * kernelRe[k] - ai[k] * kernelIm[k];
			ai[k] = ar[k] * kernelIm[k] + ai[k] * kernelRe[k];
			ar[k] = r;
		}
		radix2.transform(ar, ai, true);
		for (int k = 0; k < n; k++) {
			final double cr = ar[k] / m, ci = ai[k] / m;
			re[k] = cr * chirpRe[k] - ci * chirpIm[k];
			im[k] = cr * chirpIm[k] + ci * chirpRe[k];
		}
		if (inverse) for (int k = 0; k < n; k++) im[k] = -im[k];
	}
}
