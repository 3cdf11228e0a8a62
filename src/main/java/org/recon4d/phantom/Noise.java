package org.recon4d.phantom;

import java.util.SplittableRandom;

/** Measurement noise, deterministic from a seed. Inputs are not modified. */
public final class Noise {

	private Noise() {}

	/** y + N(0, sigma^2) with sigma = relative * max|y| (RED-PSM uses relative = 0.005). */
	public static float[] gaussian(final float[] y, final double relative, final long seed) {
		double max = 0;
		for (final float v : y) max = Math.max(max, Math.abs(v));
		final double sigma = relative * max;
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] out = new float[y.length];
		for (int i = 0; i < y.length; i++) out[i] = (float) (y[i] + sigma * gauss(r));
		return out;
	}

	/**
	 * Transmission (Beer-Lambert) Poisson noise: counts ~ Poisson(i0 exp(-mu y)), returned as the
	 * log-converted line integral -ln(max(counts, 1) / i0) / mu, with mu = 1 / max(y) * attenuation.
	 * @param i0 unattenuated photon count per bin, @param attenuation max exp-argument (e.g. 2)
	 */
	public static float[] poisson(final float[] y, final double i0, final double attenuation, final long seed) {
		double max = 0;
		for (final float v : y) max = Math.max(max, v);
		final double mu = max > 0 ? attenuation / max : 1;
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] out = new float[y.length];
		for (int i = 0; i < y.length; i++) {
			final double lambda = i0 * Math.exp(-mu * y[i]);
			final double counts = Math.max(1, poissonSample(r, lambda));
			out[i] = (float) (-Math.log(counts / i0) / mu);
		}
		return out;
	}

	/** A standard normal draw (Box-Muller), the project's one Gaussian sampler. */
	public static double gauss(final SplittableRandom r) {
		final double u = 1 - r.nextDouble(), v = r.nextDouble();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	static double poissonSample(final SplittableRandom r, final double lambda) {
		if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gauss(r)));
		final double l = Math.exp(-lambda);
		int k = 0;
		double p = 1;
		do { k++; p *= r.nextDouble(); } while (p > l);
		return k - 1;
	}
}
