package org.recon4d.phantom;

/**
 * Shepp-Logan head phantoms with the "modified" contrast of Toft (1996) so that the inner
 * structures are visible: 2D (10 ellipses) and 3D (10 ellipsoids, Kak and Slaney's geometry).
 * Values are the mean over a 2x2 (2D) or 2x2x2 (3D) supersampling of each pixel, y pointing up.
 */
public final class SheppLogan {

	private SheppLogan() {}

	// intensity, semi-axis a, semi-axis b, x0, y0, rotation (degrees)
	private static final double[][] E2 = {
		{ 1, .69, .92, 0, 0, 0 }, { -.8, .6624, .874, 0, -.0184, 0 },
		{ -.2, .11, .31, .22, 0, -18 }, { -.2, .16, .41, -.22, 0, 18 },
		{ .1, .21, .25, 0, .35, 0 }, { .1, .046, .046, 0, .1, 0 }, { .1, .046, .046, 0, -.1, 0 },
		{ .1, .046, .023, -.08, -.605, 0 }, { .1, .023, .023, 0, -.606, 0 }, { .1, .023, .046, .06, -.605, 0 } };

	// intensity, a, b, c, x0, y0, z0, rotation about z (degrees)
	private static final double[][] E3 = {
		{ 1, .69, .92, .81, 0, 0, 0, 0 }, { -.8, .6624, .874, .78, 0, -.0184, 0, 0 },
		{ -.2, .11, .31, .22, .22, 0, 0, -18 }, { -.2, .16, .41, .28, -.22, 0, 0, 18 },
		{ .1, .21, .25, .41, 0, .35, -.15, 0 }, { .1, .046, .046, .05, 0, .1, .25, 0 },
		{ .1, .046, .046, .05, 0, -.1, .25, 0 }, { .1, .046, .023, .05, -.08, -.605, 0, 0 },
		{ .1, .023, .023, .02, 0, -.606, 0, 0 }, { .1, .023, .046, .02, .06, -.605, 0, 0 } };

	/** n x n image, x fastest. */
	public static float[] image(final int n) {
		final float[] out = new float[n * n];
		for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) {
			double acc = 0;
			for (int sy = 0; sy < 2; sy++) for (int sx = 0; sx < 2; sx++) {
				final double x = (i + 0.25 + 0.5 * sx - n / 2.0) / (n / 2.0);
				final double y = -(j + 0.25 + 0.5 * sy - n / 2.0) / (n / 2.0);
				acc += value2(x, y);
			}
			out[j * n + i] = (float) (acc / 4);
		}
		return out;
	}

	static double value2(final double x, final double y) {
		double v = 0;
		for (final double[] e : E2) {
			final double th = Math.toRadians(e[5]), c = Math.cos(th), s = Math.sin(th);
			final double dx = x - e[3], dy = y - e[4];
			final double u = (dx * c + dy * s) / e[1], w = (-dx * s + dy * c) / e[2];
			if (u * u + w * w <= 1) v += e[0];
		}
		return v;
	}

	/** n x n x n volume, x fastest. */
	public static float[] volume(final int n) {
		final float[] out = new float[n * n * n];
		for (int k = 0; k < n; k++) for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) {
			double acc = 0;
			for (int sub = 0; sub < 8; sub++) {
				final double x = (i + 0.25 + 0.5 * (sub & 1) - n / 2.0) / (n / 2.0);
				final double y = -(j + 0.25 + 0.5 * ((sub >> 1) & 1) - n / 2.0) / (n / 2.0);
				final double z = (k + 0.25 + 0.5 * (sub >> 2) - n / 2.0) / (n / 2.0);
				for (final double[] e : E3) {
					final double th = Math.toRadians(e[7]), c = Math.cos(th), s = Math.sin(th);
					final double dx = x - e[4], dy = y - e[5], dz = z - e[6];
					final double u = (dx * c + dy * s) / e[1], w = (-dx * s + dy * c) / e[2], q = dz / e[3];
					if (u * u + w * w + q * q <= 1) acc += e[0];
				}
			}
			out[(k * n + j) * n + i] = (float) (acc / 8);
		}
		return out;
	}
}
