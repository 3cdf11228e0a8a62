package org.recon4d.phantom;

import java.util.SplittableRandom;

/**
 * A procedural family of brain-like axial MR slices, one per seed: scalp and skull rings, a brain
 * whose cortex is folded (dark sulci from thresholded smooth noise), a white-matter region with a
 * wavy boundary, ventricles, a few small lesions, a smooth receive-bias field, fine texture, T1- or
 * T2-like contrast, and a smooth background phase. Not piecewise constant on purpose: real slices
 * are not, and a corpus of piecewise-constant ellipses would flatter sparsity priors.
 * <p>
 * Output is complex interleaved {2, n, n} (first axis fastest), magnitude at most about 1, zero
 * outside the head. The corpus for unrolled-network training draws seeds 0..; held-out sets use
 * seeds from 1,000,000 on.
 */
public final class BrainPhantom {

	private BrainPhantom() {}

	public static float[] complex(final int n, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
		final double ax = 0.78 + 0.1 * r.nextDouble(), ay = 0.86 + 0.1 * r.nextDouble();
		final double rot = (r.nextDouble() - 0.5) * 0.4, cx = (r.nextDouble() - 0.5) * 0.08, cy = (r.nextDouble() - 0.5) * 0.08;
		final boolean t2 = r.nextBoolean();
		final double scalp = 0.75 + 0.2 * r.nextDouble(), skull = 0.05 + 0.05 * r.nextDouble();
		final double grey = t2 ? 0.6 + 0.1 * r.nextDouble() : 0.5 + 0.1 * r.nextDouble();
		final double white = t2 ? 0.4 + 0.1 * r.nextDouble() : 0.75 + 0.1 * r.nextDouble();
		final double csf = t2 ? 0.95 : 0.12;
		final double wmScale = 0.55 + 0.1 * r.nextDouble();
		final int harmonics = 5;
		final double[] amp = new double[harmonics], ph = new double[harmonics];
		for (int k = 0; k < harmonics; k++) { amp[k] = 0.08 * r.nextDouble() / (1 + 0.3 * k); ph[k] = 2 * Math.PI * r.nextDouble(); }
		final double[] fold = smoothNoise(n, 2.0 + 1.5 * r.nextDouble(), r);
		final double[] texture = smoothNoise(n, 1.0, r);
		final double[] bias = { r.nextDouble() - 0.5, r.nextDouble() - 0.5, r.nextDouble() - 0.5 };
		final double[] phase = { Math.PI * (r.nextDouble() - 0.5), 1.2 * (r.nextDouble() - 0.5), 1.2 * (r.nextDouble() - 0.5), 0.8 * (r.nextDouble() - 0.5) };
		// ventricles: two mirrored ellipses; lesions: up to 4 small bright or dark blobs
		final double vx = 0.06 + 0.05 * r.nextDouble(), vy = 0.15 + 0.08 * r.nextDouble(), vsep = 0.07 + 0.04 * r.nextDouble();
		final int lesions = r.nextInt(5);
		final double[][] les = new double[lesions][];
		for (int i = 0; i < lesions; i++) {
			final double a = 2 * Math.PI * r.nextDouble(), d = 0.5 * r.nextDouble();
			les[i] = new double[] { d * Math.cos(a), d * Math.sin(a), 0.02 + 0.04 * r.nextDouble(), r.nextBoolean() ? 1 : 0.2 };
		}
		final float[] out = new float[2 * n * n];
		final double cr = Math.cos(rot), sr = Math.sin(rot);
		for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) {
			final double x0 = (2.0 * i + 1 - n) / n - cx, y0 = (2.0 * j + 1 - n) / n - cy;
			final double x = cr * x0 + sr * y0, y = -sr * x0 + cr * y0;
			final double rho = Math.hypot(x / ax, y / ay);
			if (rho >= 1) continue;
			double m;
			if (rho > 0.93) m = scalp;
			else if (rho > 0.87) m = skull;
			else {
				final double theta = Math.atan2(y, x);
				double wb = wmScale;
				for (int k = 0; k < harmonics; k++) wb *= 1 + amp[k] * Math.cos((k + 2) * theta + ph[k]);
				final int q = j * n + i;
				if (rho < wb) m = white;
				else {
					m = grey;
					// sulci: CSF where the folding field crosses a band, denser towards the surface
					final double band = Math.abs(fold[q]);
					if (band < 0.12 * (rho - wb) / (0.87 - wb) + 0.02) m = csf;
				}
				final double ex = Math.abs(x) - vsep, ey = y + 0.05;
				if ((ex / vx) * (ex / vx) + (ey / vy) * (ey / vy) < 1) m = csf;
				for (final double[] l : les) {
					final double dx = x - l[0], dy = y - l[1];
					if (dx * dx + dy * dy < l[2] * l[2]) m = l[3];
				}
				m *= 1 + 0.06 * texture[q];
			}
			m *= 1 + 0.25 * (bias[0] * x + bias[1] * y + bias[2] * (x * x + y * y - 0.5));
			final double p = phase[0] + phase[1] * x + phase[2] * y + phase[3] * (x * x + y * y);
			out[2 * (j * n + i)] = (float) (m * Math.cos(p));
			out[2 * (j * n + i) + 1] = (float) (m * Math.sin(p));
		}
		return out;
	}

	/** Magnitude of {@link #complex}. */
	public static float[] magnitude(final int n, final long seed) {
		final float[] c = complex(n, seed), m = new float[n * n];
		for (int p = 0; p < m.length; p++) m[p] = (float) Math.hypot(c[2 * p], c[2 * p + 1]);
		return m;
	}

	/** White noise blurred by a Gaussian of {@code sigma} pixels (relative to a 128 grid), scaled to unit standard deviation. */
	static double[] smoothNoise(final int n, final double sigma128, final SplittableRandom r) {
		final double sigma = sigma128 * n / 128.0;
		final int rad = (int) Math.ceil(3 * sigma);
		final double[] k = new double[2 * rad + 1];
		for (int i = -rad; i <= rad; i++) k[i + rad] = Math.exp(-0.5 * i * i / (sigma * sigma));
		final double[] a = new double[n * n], b = new double[n * n];
		for (int q = 0; q < a.length; q++) a[q] = Noise.gauss(r);
		for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) {
			double s = 0;
			for (int d = -rad; d <= rad; d++) s += k[d + rad] * a[j * n + Math.floorMod(i + d, n)];
			b[j * n + i] = s;
		}
		double var = 0;
		for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) {
			double s = 0;
			for (int d = -rad; d <= rad; d++) s += k[d + rad] * b[Math.floorMod(j + d, n) * n + i];
			a[j * n + i] = s;
			var += s * s;
		}
		final double sd = Math.sqrt(var / a.length);
		for (int q = 0; q < a.length; q++) a[q] /= sd;
		return a;
	}
}
