package org.recon4d.phantom;

import java.util.Locale;

/**
 * Projection angle schedules over [0, pi): linear, golden-angle and bit-reversed, split into
 * frames of {@code viewsPerFrame} consecutive views. Returned as [frame][view] in radians.
 */
public enum AngleSchedule {
	/** theta_n = pi n / N in acquisition order. */
	LINEAR,
	/** theta_n = n * pi / phi mod pi (golden ratio phi; 111.246 degrees per step). */
	GOLDEN,
	/**
	 * The N = frames * viewsPerFrame linear angles acquired in bit-reversed index order, so any
	 * block of 2^k consecutive views covers [0, pi) uniformly (RED-PSM's schedule). For N not a
	 * power of two, indices of the next power of two that fall beyond N are skipped.
	 */
	BITREVERSED;

	public static AngleSchedule parse(final String s) {
		switch (s.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
			case "linear": return LINEAR;
			case "golden": case "goldenangle": return GOLDEN;
			case "bitreversed": case "bitreversal": return BITREVERSED;
			default: throw new IllegalArgumentException("unknown angle schedule '" + s + "' (use linear, golden or bitreversed)");
		}
	}

	public double[][] angles(final int frames, final int viewsPerFrame) {
		if (frames < 1 || viewsPerFrame < 1) throw new IllegalArgumentException("frames and views per frame must be positive");
		final int total = frames * viewsPerFrame;
		final double[] flat = new double[total];
		switch (this) {
			case LINEAR:
				for (int n = 0; n < total; n++) flat[n] = Math.PI * n / total;
				break;
			case GOLDEN: {
				final double step = Math.PI * 2 / (1 + Math.sqrt(5));
				for (int n = 0; n < total; n++) flat[n] = (n * step) % Math.PI;
				break;
			}
			case BITREVERSED: {
				int bits = 0;
				while ((1 << bits) < total) bits++;
				int n = 0;
				for (int i = 0; n < total; i++) {
					final int r = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
					if (r < total) flat[n++] = Math.PI * r / total;
				}
				break;
			}
			default: throw new AssertionError();
		}
		final double[][] out = new double[frames][viewsPerFrame];
		for (int t = 0; t < frames; t++) System.arraycopy(flat, t * viewsPerFrame, out[t], 0, viewsPerFrame);
		return out;
	}
}
