package org.recon4d.phantom;

import java.util.SplittableRandom;

/**
 * A procedural family of 3D head volumes, one per seed, real-valued (CT-like attenuation or MR
 * magnitude): an ellipsoidal head with scalp and skull shells, a brain whose cortex is folded (CSF
 * where a smooth 3D noise field crosses a band), a white-matter core with a wavy boundary that
 * changes with height, two ventricles, spherical lesions, fine texture and a smooth bias field. The
 * same construction as {@link BrainPhantom} but in three dimensions, so that neighbouring slices
 * agree: the diffusion benchmark needs slice-to-slice consistency to be a property of the truth.
 * <p>
 * Volumes are {@code n x n x nz} (first axis fastest); the slices span heights -0.7..0.7 of a head
 * whose half-height is about 0.9, so every slice cuts the head. Values lie in [0, about 1.05],
 * zero outside the head. Score-network training draws seeds 0..; held-out volumes use seeds from
 * 1,000,000 on.
 */
public final class BrainVolume {

	private BrainVolume() {}

	public static float[] volume(final int n, final int nz, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 29);
		final double ax = 0.78 + 0.1 * r.nextDouble(), ay = 0.86 + 0.1 * r.nextDouble(), az = 0.85 + 0.1 * r.nextDouble();
		final double rot = (r.nextDouble() - 0.5) * 0.4, cx = (r.nextDouble() - 0.5) * 0.08, cy = (r.nextDouble() - 0.5) * 0.08;
		final boolean t2 = r.nextBoolean();
		final double scalp = 0.75 + 0.2 * r.nextDouble(), skull = t2 ? 0.05 + 0.05 * r.nextDouble() : 0.9 + 0.1 * r.nextDouble();
		final double grey = t2 ? 0.6 + 0.1 * r.nextDouble() : 0.5 + 0.1 * r.nextDouble();
		final double white = t2 ? 0.4 + 0.1 * r.nextDouble() : 0.7 + 0.1 * r.nextDouble();
		final double csf = t2 ? 0.95 : 0.15;
		final double wmScale = 0.55 + 0.1 * r.nextDouble();
		final int harmonics = 5;
		final double[] amp = new double[harmonics], ph = new double[harmonics], zph = new double[harmonics];
		for (int k = 0; k < harmonics; k++) { amp[k] = 0.08 * r.nextDouble() / (1 + 0.3 * k); ph[k] = 2 * Math.PI * r.nextDouble(); zph[k] = 3 * (r.nextDouble() - 0.5); }
		final double[] fold = smoothNoise3(n, nz, 2.0 + 1.5 * r.nextDouble(), r);
		final double[] texture = smoothNoise3(n, nz, 1.0, r);
		final double[] bias = { r.nextDouble() - 0.5, r.nextDouble() - 0.5, r.nextDouble() - 0.5, r.nextDouble() - 0.5 };
		final double vx = 0.06 + 0.05 * r.nextDouble(), vy = 0.15 + 0.08 * r.nextDouble(), vz = 0.25 + 0.1 * r.nextDouble();
		final double vsep = 0.07 + 0.04 * r.nextDouble(), vcz = 0.1 * (r.nextDouble() - 0.5);
		final int lesions = r.nextInt(6);
		final double[][] les = new double[lesions][];
		for (int i = 0; i < lesions; i++) {
			final double a = 2 * Math.PI * r.nextDouble(), d = 0.5 * r.nextDouble();
			les[i] = new double[] { d * Math.cos(a), d * Math.sin(a), 1.2 * (r.nextDouble() - 0.5), 0.03 + 0.05 * r.nextDouble(), r.nextBoolean() ? 1 : 0.2 };
		}
		final float[] out = new float[n * n * nz];
		final double cr = Math.cos(rot), sr = Math.sin(rot);
		for (int s = 0; s < nz; s++) {
			final double z = nz == 1 ? 0 : -0.7 + 1.4 * s / (nz - 1);
			for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) {
				final double x0 = (2.0 * i + 1 - n) / n - cx, y0 = (2.0 * j + 1 - n) / n - cy;
				final double x = cr * x0 + sr * y0, y = -sr * x0 + cr * y0;
				final double rho = Math.sqrt((x / ax) * (x / ax) + (y / ay) * (y / ay) + (z / az) * (z / az));
				if (rho >= 1) continue;
				final int q = (s * n + j) * n + i;
				double m;
				if (rho > 0.93) m = scalp;
				else if (rho > 0.87) m = skull;
				else {
					final double theta = Math.atan2(y, x);
					double wb = wmScale;
					for (int k = 0; k < harmonics; k++) wb *= 1 + amp[k] * Math.cos((k + 2) * theta + ph[k] + zph[k] * z);
					if (rho < wb) m = white;
					else {
						m = grey;
						if (Math.abs(fold[q]) < 0.12 * (rho - wb) / (0.87 - wb) + 0.02) m = csf;
					}
					final double ex = Math.abs(x) - vsep, ey = y + 0.05, ez = z - vcz;
					if ((ex / vx) * (ex / vx) + (ey / vy) * (ey / vy) + (ez / vz) * (ez / vz) < 1) m = csf;
					for (final double[] l : les) {
						final double dx = x - l[0], dy = y - l[1], dz = z - l[2];
						if (dx * dx + dy * dy + dz * dz < l[3] * l[3]) m = l[4];
					}
					m *= 1 + 0.06 * texture[q];
				}
				m *= 1 + 0.2 * (bias[0] * x + bias[1] * y + bias[2] * z + bias[3] * (x * x + y * y - 0.5));
				out[q] = (float) m;
			}
		}
		return out;
	}

	/** White noise blurred by a 3D Gaussian of {@code sigma128} pixels relative to a 128 grid (the same number of voxels along z), unit standard deviation. */
	static double[] smoothNoise3(final int n, final int nz, final double sigma128, final SplittableRandom r) {
		final double sigma = sigma128 * n / 128.0;
		final int rad = Math.max(1, (int) Math.ceil(3 * sigma));
		final double[] k = new double[2 * rad + 1];
		for (int i = -rad; i <= rad; i++) k[i + rad] = Math.exp(-0.5 * i * i / (sigma * sigma));
		double[] a = new double[n * n * nz];
		for (int q = 0; q < a.length; q++) a[q] = Noise.gauss(r);
		final int[] dims = { n, n, nz }, strides = { 1, n, n * n };
		for (int axis = 0; axis < 3; axis++) {
			final double[] b = new double[a.length];
			final int len = dims[axis], st = strides[axis];
			for (int q = 0; q < a.length; q++) {
				final int c = q / st % len;
				double s = 0;
				for (int d = -rad; d <= rad; d++) s += k[d + rad] * a[q + (Math.floorMod(c + d, len) - c) * st];
				b[q] = s;
			}
			a = b;
		}
		double var = 0;
		for (final double v : a) var += v * v;
		final double sd = Math.sqrt(var / a.length);
		for (int q = 0; q < a.length; q++) a[q] /= sd;
		return a;
	}
}
