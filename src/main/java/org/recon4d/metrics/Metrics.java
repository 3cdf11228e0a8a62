package org.recon4d.metrics;

/**
 * Image quality against a reference. Data range = max(ref) - min(ref) for PSNR and SSIM.
 * SSIM follows scikit-image's defaults (7x7 uniform window, K1 = 0.01, K2 = 0.03, sample
 * covariance, border of 3 pixels cropped) per 2D frame, averaged over frames.
 */
public final class Metrics {

	private Metrics() {}

	public static double range(final float[] ref) {
		float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
		for (final float v : ref) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
		return hi - lo;
	}

	public static double mse(final float[] x, final float[] ref) {
		if (x.length != ref.length) throw new IllegalArgumentException("sizes differ: " + x.length + " vs " + ref.length);
		double s = 0;
		for (int i = 0; i < x.length; i++) { final double d = x[i] - ref[i]; s += d * d; }
		return s / x.length;
	}

	public static double psnr(final float[] x, final float[] ref) {
		final double r = range(ref);
		return 10 * Math.log10(r * r / mse(x, ref));
	}

	/** ||x - ref|| / ||ref||. */
	public static double nrmse(final float[] x, final float[] ref) {
		double e = 0, n = 0;
		for (int i = 0; i < x.length; i++) { final double d = x[i] - ref[i]; e += d * d; n += (double) ref[i] * ref[i]; }
		return Math.sqrt(e / n);
	}

	/** Mean SSIM over the frames of an nx x ny x frames stack (x fastest). */
	public static double ssim(final float[] x, final float[] ref, final int nx, final int ny) {
		return ssim(x, ref, nx, ny, null);
	}

	/**
	 * SSIM averaged over the window centres where {@code inside} is true (same layout as ref; null:
	 * everywhere), e.g. the object without its background.
	 */
	public static double ssim(final float[] x, final float[] ref, final int nx, final int ny, final boolean[] inside) {
		final int frames = ref.length / (nx * ny);
		if (frames * nx * ny != ref.length || x.length != ref.length) throw new IllegalArgumentException("SSIM needs equal nx*ny*frames arrays");
		final double r = range(ref), c1 = sq(0.01 * r), c2 = sq(0.03 * r);
		final int w = 7, h = w / 2;
		final double np = w * w, cov = np / (np - 1);
		double total = 0;
		for (int t = 0; t < frames; t++) {
			final int o = t * nx * ny;
			double s = 0;
			int count = 0;
			for (int j = h; j < ny - h; j++) for (int i = h; i < nx - h; i++) {
				if (inside != null && !inside[o + j * nx + i]) continue;
				double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
				for (int dj = -h; dj <= h; dj++) for (int di = -h; di <= h; di++) {
					final int p = o + (j + dj) * nx + i + di;
					final double a = x[p], b = ref[p];
					mx += a; my += b; mxx += a * a; myy += b * b; mxy += a * b;
				}
				mx /= np; my /= np;
				final double vx = cov * (mxx / np - mx * mx), vy = cov * (myy / np - my * my), vxy = cov * (mxy / np - mx * my);
				s += ((2 * mx * my + c1) * (2 * vxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
				count++;
			}
			total += count > 0 ? s / count : 0;
		}
		return total / frames;
	}

	private static double sq(final double v) {
		return v * v;
	}
}
