package org.recon4d.phantom;

import java.util.SplittableRandom;

/**
 * A 2D+t material sample in the spirit of the walnut used by RED-PSM (Iskender et al., ICCV 2023):
 * an elliptical shell around two kernel lobes split by a septum, pores and dense inclusions.
 * Over normalised time tau in [0, 1] the sample deforms smoothly and non-rigidly (breathing
 * scale plus sinusoidal shear), the lobes dry out (intensity 0.6 to 0.45), the inclusions pulse
 * and the pores grow by half. Pore and inclusion layout follows the seed.
 * <p>
 * Output: n x n x frames, x fastest, values in [0, 1], zero outside a disc of radius n/2 (so a
 * detector of n bins covers it at every angle).
 */
public final class DynamicPhantom {

	private final double[][] pores;      // x, y, r
	private final double[][] inclusions; // x, y, r, phase

	public DynamicPhantom(final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		pores = new double[6][];
		for (int p = 0; p < pores.length; p++) {
			final double a = r.nextDouble() * 2 * Math.PI, d = 0.15 + 0.3 * r.nextDouble();
			pores[p] = new double[] { d * Math.cos(a) * 0.8, d * Math.sin(a), 0.03 + 0.03 * r.nextDouble() };
		}
		inclusions = new double[3][];
		for (int p = 0; p < inclusions.length; p++) {
			final double a = r.nextDouble() * 2 * Math.PI, d = 0.2 + 0.25 * r.nextDouble();
			inclusions[p] = new double[] { d * Math.cos(a) * 0.8, d * Math.sin(a), 0.04 + 0.03 * r.nextDouble(), r.nextDouble() * 2 * Math.PI };
		}
	}

	/** All frames: n x n x frames. */
	public float[] render(final int n, final int frames) {
		final float[] out = new float[n * n * frames];
		org.recon4d.util.Parallel.forEach(frames, t -> {
			final double tau = frames == 1 ? 0 : t / (double) (frames - 1);
			frame(n, tau, out, t * n * n);
		});
		return out;
	}

	/** One frame at normalised time tau in [0, 1] into out[off ...]. */
	public void renderFrame(final int n, final double tau, final float[] out, final int off) {
		frame(n, tau, out, off);
	}

	void frame(final int n, final double tau, final float[] out, final int off) {
		final double ph = 2 * Math.PI * tau;
		final double scaleX = 1 + 0.06 * Math.sin(ph), scaleY = 1 - 0.04 * Math.sin(ph);
		for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) {
			double acc = 0;
			for (int sy = 0; sy < 2; sy++) for (int sx = 0; sx < 2; sx++) {
				final double x = (i + 0.25 + 0.5 * sx - n / 2.0) / (n / 2.0);
				final double y = -(j + 0.25 + 0.5 * sy - n / 2.0) / (n / 2.0);
				if (x * x + y * y > 0.98) continue;
				// backward map to the reference configuration: breathing + smooth shear
				final double xr = x / scaleX + 0.05 * Math.sin(ph) * Math.sin(Math.PI * y + 0.5);
				final double yr = y / scaleY + 0.04 * Math.sin(ph) * Math.cos(Math.PI * x);
				acc += value(xr, yr, tau);
			}
			out[off + j * n + i] = (float) (acc / 4);
		}
	}

	double value(final double x, final double y, final double tau) {
		final double outer = sq(x / 0.62) + sq(y / 0.78);
		if (outer > 1) return 0;
		final double inner = sq(x / 0.54) + sq(y / 0.70);
		if (inner > 1) return 1.0; // shell
		if (Math.abs(x + 0.04 * Math.sin(3 * y)) < 0.035) return 0.85; // septum
		for (final double[] p : inclusions)
			if (sq(x - p[0]) + sq(y - p[1]) < sq(p[2])) return 0.75 + 0.25 * Math.sin(2 * Math.PI * tau + p[3]);
		for (final double[] p : pores)
			if (sq(x - p[0]) + sq(y - p[1]) < sq(p[2] * (1 + 0.5 * tau))) return 0.1;
		// kernel lobes with a faint texture, drying over time
		final double lobe = 0.6 - 0.15 * tau;
		return lobe + 0.05 * Math.cos(9 * x) * Math.cos(7 * y);
	}

	private static double sq(final double v) {
		return v * v;
	}
}
