package org.recon4d.mri;

import java.util.Locale;

import org.recon4d.op.mri.Fft2c;

/**
 * Coil sensitivities: a simulator with physically shaped maps, and the fast low-resolution
 * estimate from the fully sampled k-space centre (autocalibration lines). Maps are complex
 * interleaved, shape {2, nx, ny, coils}.
 */
public final class CoilMaps {

	private CoilMaps() {}

	/**
	 * Simulated receive array: {@code coils} loops evenly spaced on a circle of radius 0.75 FOV
	 * around the centre. Magnitude follows the on-axis field of a circular loop,
	 * (a^2 / (a^2 + d^2))^{3/2} with d the distance to the loop and a its radius (0.5 FOV); phase
	 * is the loop's offset plus a gradient along the direction to the loop (B1 phase). Scaled so
	 * the root-sum-of-squares is 1 at the centre.
	 */
	public static float[] simulate(final int nx, final int ny, final int coils) {
		final float[] s = loops(nx, ny, coils, 0.3, 0.75);
		// normalise the RSS at the centre to 1
		double rss = 0;
		final int centre = (ny / 2) * nx + nx / 2;
		for (int c = 0; c < coils; c++) {
			final int o = 2 * (c * nx * ny + centre);
			rss += s[o] * s[o] + s[o + 1] * s[o + 1];
		}
		final float k = (float) (1 / Math.sqrt(rss));
		for (int i = 0; i < s.length; i++) s[i] *= k;
		return s;
	}

	/**
	 * Unnormalised loop-coil sensitivities: coil c sits at angle 2 pi c / coils + rotation on a ring
	 * of radius {@code ring} x FOV; magnitude and phase as in {@link #simulate}.
	 */
	public static float[] loops(final int nx, final int ny, final int coils, final double rotation, final double ring) {
		if (coils < 1) throw new IllegalArgumentException("need at least one coil, got " + coils);
		final float[] s = new float[2 * nx * ny * coils];
		final double fov = Math.max(nx, ny), rr = ring * fov, a = 0.5 * fov;
		for (int c = 0; c < coils; c++) {
			final double ang = 2 * Math.PI * c / coils + rotation;
			final double cx = rr * Math.cos(ang), cy = rr * Math.sin(ang);
			for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) {
				final double x = i - nx / 2.0, y = j - ny / 2.0;
				final double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
				final double mag = Math.pow(a * a / (a * a + d2), 1.5);
				final double ph = 0.7 * c + Math.PI * (x * Math.cos(ang) + y * Math.sin(ang)) / fov;
				final int o = 2 * ((c * ny + j) * nx + i);
				s[o] = (float) (mag * Math.cos(ph));
				s[o + 1] = (float) (mag * Math.sin(ph));
			}
		}
		return s;
	}

	/**
	 * Low-resolution estimate ("ACS maps"): the central calib x calib block of each coil's k-space
	 * (sampled there by every mask the project makes), Hann-windowed, transformed to the image, and
	 * divided by the root-sum-of-squares over coils. Pixels whose RSS is below {@code threshold}
	 * times its maximum get zero sensitivity (outside the object, where the ratio is only noise).
	 *
	 * @param kspace {2, nx, ny, coils} for one slice
	 */
	public static float[] fromCalibration(final float[] kspace, final int nx, final int ny, final int coils, final int calib, final double threshold) {
		if (kspace.length != 2 * nx * ny * coils)
			throw new IllegalArgumentException(String.format(Locale.ROOT, "k-space has %d values, expected 2 x %d x %d x %d", kspace.length, nx, ny, coils));
		if (calib < 2 || calib > Math.min(nx, ny)) throw new IllegalArgumentException("calibration size " + calib + " must be within 2.." + Math.min(nx, ny));
		final float[] low = new float[kspace.length];
		final int x0 = nx / 2 - calib / 2, y0 = ny / 2 - calib / 2;
		for (int c = 0; c < coils; c++) for (int j = y0; j < y0 + calib; j++) for (int i = x0; i < x0 + calib; i++) {
			final double w = hann(i - x0, calib) * hann(j - y0, calib);
			final int o = 2 * ((c * ny + j) * nx + i);
			low[o] = (float) (w * kspace[o]);
			low[o + 1] = (float) (w * kspace[o + 1]);
		}
		new Fft2c(nx, ny, coils).adjoint(low, low);
		final int img = nx * ny;
		final float[] rss = new float[img];
		float max = 0;
		for (int p = 0; p < img; p++) {
			double acc = 0;
			for (int c = 0; c < coils; c++) { final int o = 2 * (c * img + p); acc += low[o] * low[o] + low[o + 1] * low[o + 1]; }
			rss[p] = (float) Math.sqrt(acc);
			max = Math.max(max, rss[p]);
		}
		final float cut = (float) (threshold * max);
		for (int c = 0; c < coils; c++) for (int p = 0; p < img; p++) {
			final int o = 2 * (c * img + p);
			if (rss[p] <= cut || rss[p] == 0) { low[o] = 0; low[o + 1] = 0; }
			else { low[o] /= rss[p]; low[o + 1] /= rss[p]; }
		}
		return low;
	}

	static double hann(final int i, final int n) {
		return 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / n);
	}

	/**
	 * Agreement of two map sets up to a per-pixel phase: the mean over pixels where {@code
	 * reference} exceeds {@code fraction} of its maximum of |<s, t>| / (|s| |t|), summed over
	 * coils (1 = identical up to phase and scale; a zero map counts 0).
	 */
	public static double coherence(final float[] maps, final float[] truth, final float[] reference, final double fraction, final int coils) {
		final int img = reference.length;
		float max = 0;
		for (final float v : reference) max = Math.max(max, v);
		double sum = 0;
		int count = 0;
		for (int p = 0; p < img; p++) {
			if (reference[p] < fraction * max) continue;
			double re = 0, im = 0, ne = 0, nt = 0;
			for (int c = 0; c < coils; c++) {
				final int o = 2 * (c * img + p);
				re += maps[o] * truth[o] + maps[o + 1] * truth[o + 1];
				im += maps[o] * truth[o + 1] - maps[o + 1] * truth[o];
				ne += maps[o] * maps[o] + maps[o + 1] * maps[o + 1];
				nt += truth[o] * truth[o] + truth[o + 1] * truth[o + 1];
			}
			sum += ne > 0 && nt > 0 ? Math.hypot(re, im) / Math.sqrt(ne * nt) : 0;
			count++;
		}
		return count == 0 ? 0 : sum / count;
	}

	/** Root-sum-of-squares over coils of a {2, nx, ny, coils, batch} stack of coil images -> {nx, ny, batch}. */
	public static float[] rss(final float[] coilImages, final int img, final int coils) {
		final int batch = coilImages.length / (2 * img * coils);
		final float[] out = new float[img * batch];
		for (int b = 0; b < batch; b++) for (int p = 0; p < img; p++) {
			double acc = 0;
			for (int c = 0; c < coils; c++) { final int o = 2 * ((b * coils + c) * img + p); acc += coilImages[o] * coilImages[o] + coilImages[o + 1] * coilImages[o + 1]; }
			out[b * img + p] = (float) Math.sqrt(acc);
		}
		return out;
	}
}
