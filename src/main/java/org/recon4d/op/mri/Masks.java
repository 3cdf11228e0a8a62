package org.recon4d.op.mri;

import java.util.SplittableRandom;

/**
 * Cartesian sampling masks, {nx, ny} floats (1 sampled, 0 not), first axis fastest.
 * <p>
 * One-dimensional masks sample whole lines along y at chosen x positions (the fastMRI convention:
 * the mask runs along the last k-space axis, kx here, the fastest one). Two-dimensional masks
 * (variable-density Poisson disc) sample points for 3D Cartesian acquisitions, where both phase
 * encodes are free.
 */
public final class Masks {

	private Masks() {}

	/** 1D column pattern -> {nx, ny} mask. */
	public static float[] lines(final boolean[] columns, final int ny) {
		final int nx = columns.length;
		final float[] m = new float[nx * ny];
		for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) m[j * nx + i] = columns[i] ? 1 : 0;
		return m;
	}

	/**
	 * fastMRI's {@code RandomMaskFunc}: a fully sampled centre of round(n * centerFraction) columns,
	 * other columns sampled independently with probability chosen so that the expected total is n /
	 * acceleration (centerFraction 0.08 for 4x and 0.04 for 8x in fastMRI).
	 */
	public static boolean[] random1d(final int n, final double acceleration, final double centerFraction, final long seed) {
		check(n, acceleration, centerFraction);
		final int low = (int) Math.round(n * centerFraction);
		final double prob = (n / acceleration - low) / (n - low);
		final SplittableRandom r = new SplittableRandom(seed);
		final boolean[] m = new boolean[n];
		for (int i = 0; i < n; i++) m[i] = r.nextDouble() < prob;
		final int pad = (n - low + 1) / 2;
		for (int i = pad; i < pad + low; i++) m[i] = true;
		return m;
	}

	/** Every acceleration-th column from a random offset, plus the fully sampled centre (fastMRI's equispaced mask). */
	public static boolean[] equispaced1d(final int n, final int acceleration, final double centerFraction, final long seed) {
		check(n, acceleration, centerFraction);
		final int low = (int) Math.round(n * centerFraction);
		final boolean[] m = new boolean[n];
		final int offset = new SplittableRandom(seed).nextInt(acceleration);
		for (int i = offset; i < n; i += acceleration) m[i] = true;
		final int pad = (n - low + 1) / 2;
		for (int i = pad; i < pad + low; i++) m[i] = true;
		return m;
	}

	/**
	 * Variable-density Poisson-disc mask: points at least r(k) apart, r growing linearly from r0 at
	 * the centre to r0 (1 + density) at the edge of the (elliptical) k-space radius, plus a fully
	 * sampled calib x calib centre. r0 is found by bisection so that the sampled fraction is 1 /
	 * acceleration within 2%. Dart throwing in a seeded random order.
	 */
	public static float[] poissonDisc(final int nx, final int ny, final double acceleration, final int calib, final double density, final long seed) {
		if (nx < 4 || ny < 4) throw new IllegalArgumentException("mask too small: " + nx + " x " + ny);
		if (!(acceleration >= 1)) throw new IllegalArgumentException("acceleration must be at least 1, got " + acceleration);
		if (calib < 0 || calib > Math.min(nx, ny)) throw new IllegalArgumentException("calibration size " + calib + " does not fit " + nx + " x " + ny);
		final double target = nx * ny / acceleration;
		final int[] order = shuffled(nx * ny, seed);
		double lo = 0.3, hi = Math.max(nx, ny);
		float[] best = null;
		double bestErr = Double.POSITIVE_INFINITY;
		for (int it = 0; it < 40; it++) {
			final double r0 = 0.5 * (lo + hi);
			final float[] m = dartThrow(nx, ny, r0, density, calib, order);
			double count = 0;
			for (final float v : m) count += v;
			final double err = Math.abs(count - target) / target;
			if (err < bestErr) { bestErr = err; best = m; }
			if (err < 0.02) break;
			if (count > target) lo = r0; else hi = r0;
		}
		return best;
	}

	/** 0..n-1 in a seeded random order (Fisher-Yates). */
	static int[] shuffled(final int n, final long seed) {
		final int[] order = new int[n];
		for (int i = 0; i < n; i++) order[i] = i;
		final SplittableRandom r = new SplittableRandom(seed);
		for (int i = n - 1; i > 0; i--) { final int j = r.nextInt(i + 1); final int t = order[i]; order[i] = order[j]; order[j] = t; }
		return order;
	}

	/** Accepts candidates in the given order when no accepted point lies within r(k). */
	static float[] dartThrow(final int nx, final int ny, final double r0, final double density, final int calib, final int[] order) {
		final float[] m = new float[nx * ny];
		final double cx = nx / 2.0, cy = ny / 2.0;
		final int reach = (int) Math.ceil(r0 * (1 + density));
		for (final int q : order) {
			final int i = q % nx, j = q / nx;
			final double rad = Math.min(1, Math.hypot((i - cx) / cx, (j - cy) / cy));
			final double rq = r0 * (1 + density * rad);
			boolean ok = true;
			search:
			for (int dj = -reach; dj <= reach; dj++) {
				final int jj = j + dj;
				if (jj < 0 || jj >= ny) continue;
				for (int di = -reach; di <= reach; di++) {
					final int ii = i + di;
					if (ii < 0 || ii >= nx || m[jj * nx + ii] == 0) continue;
					if (di * di + dj * dj < rq * rq) { ok = false; break search; }
				}
			}
			if (ok) m[q] = 1;
		}
		final int x0 = nx / 2 - calib / 2, y0 = ny / 2 - calib / 2;
		for (int j = y0; j < y0 + calib; j++) for (int i = x0; i < x0 + calib; i++) m[j * nx + i] = 1;
		return m;
	}

	/** Sampled fraction of a mask. */
	public static double fraction(final float[] mask) {
		double s = 0;
		for (final float v : mask) s += v != 0 ? 1 : 0;
		return s / mask.length;
	}

	private static void check(final int n, final double acceleration, final double centerFraction) {
		if (n < 2) throw new IllegalArgumentException("mask length must be at least 2, got " + n);
		if (!(acceleration >= 1)) throw new IllegalArgumentException("acceleration must be at least 1, got " + acceleration);
		if (!(centerFraction >= 0 && centerFraction < 1 / acceleration + 1e-12))
			throw new IllegalArgumentException("centre fraction " + centerFraction + " must be within [0, 1/acceleration]");
	}
}
