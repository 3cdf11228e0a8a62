package org.recon4d.prior;

/** A Gaussian blur per frame (separable, reflecting borders): the simplest classical denoiser. */
public final class GaussianDenoiser implements Denoiser {

	private final double sigma;
	private final float[] kernel;

	public GaussianDenoiser(final double sigma) {
		this.sigma = sigma;
		final int r = Math.max(1, (int) Math.ceil(3 * sigma));
		kernel = new float[2 * r + 1];
		double s = 0;
		for (int i = -r; i <= r; i++) s += kernel[i + r] = (float) Math.exp(-i * i / (2 * sigma * sigma));
		for (int i = 0; i < kernel.length; i++) kernel[i] /= (float) s;
	}

	@Override
	public float[] denoise(final float[] frames, final int nx, final int ny) {
		final int n = frames.length / (nx * ny), r = kernel.length / 2;
		final float[] out = new float[frames.length];
		org.recon4d.util.Parallel.forEach(n, f -> {
			final int o = f * nx * ny;
			final float[] tmp = new float[nx * ny];
			for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) {
				float a = 0;
				for (int k = -r; k <= r; k++) a += kernel[k + r] * frames[o + j * nx + reflect(i + k, nx)];
				tmp[j * nx + i] = a;
			}
			for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) {
				float a = 0;
				for (int k = -r; k <= r; k++) a += kernel[k + r] * tmp[reflect(j + k, ny) * nx + i];
				out[o + j * nx + i] = a;
			}
		});
		return out;
	}

	static int reflect(final int i, final int n) {
		if (i < 0) return Math.min(n - 1, -i - 1);
		if (i >= n) return Math.max(0, 2 * n - i - 1);
		return i;
	}

	@Override
	public String name() {
		return "gaussian(sigma=" + sigma + ")";
	}
}
