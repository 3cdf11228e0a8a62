package org.recon4d.diffusion;

/**
 * Independent Gaussian pixels, x0 ~ N(mean_p, var_p): the one data distribution whose denoiser is
 * known exactly, D(x; sigma) = mean + var / (var + sigma^2) (x - mean), per pixel. Used to test
 * schedules, samplers and solvers against closed forms, and as the exact posterior of a masked,
 * noisy Gaussian measurement ({@link #posterior}).
 */
public final class GaussianPrior implements ScoreModel {

	private final float[] mean, var;

	/** Per-pixel mean and variance of one image (the same for every image of a batch). */
	public GaussianPrior(final float[] mean, final float[] var) {
		if (mean.length != var.length) throw new IllegalArgumentException("mean and variance differ in length");
		this.mean = mean.clone();
		this.var = var.clone();
	}

	public float[] mean() { return mean.clone(); }

	public float[] variance() { return var.clone(); }

	/**
	 * The posterior of this prior given y = M x0 + noise (M a 0/1 mask per pixel, noise variance
	 * {@code noiseVar}): Gaussian again, per pixel.
	 */
	public GaussianPrior posterior(final float[] y, final float[] mask, final double noiseVar) {
		final float[] m = mean.clone(), v = var.clone();
		for (int i = 0; i < m.length; i++) if (mask[i] != 0) {
			final double w = var[i] / (var[i] + noiseVar);
			m[i] = (float) (mean[i] + w * (y[i] - mean[i]));
			v[i] = (float) (var[i] * noiseVar / (var[i] + noiseVar));
		}
		return new GaussianPrior(m, v);
	}

	@Override
	public float[] denoise(final float[] x, final int batch, final int h, final int w, final double sigma) {
		final int img = h * w;
		if (img != mean.length) throw new IllegalArgumentException("image has " + img + " pixels, prior has " + mean.length);
		final float[] d = new float[x.length];
		final double s2 = sigma * sigma;
		for (int i = 0; i < x.length; i++) {
			final int p = i % img;
			d[i] = (float) (mean[p] + var[p] / (var[p] + s2) * (x[i] - mean[p]));
		}
		return d;
	}

	@Override
	public float[][] denoiseVjp(final float[] x, final int batch, final int h, final int w, final double sigma, final java.util.function.UnaryOperator<float[]> cotangent) {
		final int img = h * w;
		final float[] d = denoise(x, batch, h, w, sigma), v = cotangent.apply(d), g = new float[x.length];
		for (int i = 0; i < x.length; i++) g[i] = (float) (var[i % img] / (var[i % img] + sigma * sigma) * v[i]);
		return new float[][] { d, g };
	}

	@Override
	public String describe() {
		return "Gaussian prior (exact denoiser), " + mean.length + " pixels";
	}
}
