package org.recon4d.prior;

/**
 * Lets a real-image denoiser act on complex frames (interleaved re, im; 2 nx ny values per
 * frame), as MRI images are: the magnitude is scaled to the denoiser's [0, 1] range (its 99th
 * percentile to 1), denoised, scaled back, and each pixel keeps its phase. Closing closes the
 * wrapped denoiser.
 */
public final class ComplexDenoiser implements Denoiser {

	private final Denoiser real;

	public ComplexDenoiser(final Denoiser real) {
		this.real = real;
	}

	@Override
	public float[] denoise(final float[] frames, final int nx, final int ny) {
		final int n = frames.length / 2;
		if (frames.length % (2 * nx * ny) != 0)
			throw new IllegalArgumentException("complex frames need a multiple of 2 x " + nx + " x " + ny + " values, got " + frames.length);
		final float[] mag = new float[n];
		for (int i = 0; i < n; i++) mag[i] = (float) Math.hypot(frames[2 * i], frames[2 * i + 1]);
		final float[] sorted = mag.clone();
		java.util.Arrays.sort(sorted);
		final float ref = Math.max(sorted[(int) (0.99 * (n - 1))], 1e-30f);
		for (int i = 0; i < n; i++) mag[i] /= ref;
		final float[] den = real.denoise(mag, nx, ny);
		final float[] out = new float[frames.length];
		for (int i = 0; i < n; i++) {
			final float m = mag[i];
			if (m > 0) {
				final float s = den[i] / m;
				out[2 * i] = frames[2 * i] * s;
				out[2 * i + 1] = frames[2 * i + 1] * s;
			}
			else out[2 * i] = den[i] * ref; // no phase to keep: real
		}
		return out;
	}

	@Override
	public String name() {
		return "complex(" + real.name() + ")";
	}

	@Override
	public void close() {
		real.close();
	}
}
