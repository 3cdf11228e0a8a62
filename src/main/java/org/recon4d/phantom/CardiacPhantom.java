package org.recon4d.phantom;

/**
 * A cardiac-like 2D+t phantom for dynamic MRI: a short-axis slice through an elliptical torso
 * (fat rim, muscle), two lungs, the spine, the liver below, and the heart: left-ventricular blood
 * pool inside a myocardial ring and a crescent right ventricle. The ventricles contract over
 * {@code beats} cardiac cycles (blood-pool radius -30 % at end systole, wall thickening) and the
 * heart and liver move with {@code breaths} respiratory cycles. Values in [0, 1]; frames
 * (x fastest, then y, then t).
 */
public final class CardiacPhantom {

	private final double beats, breaths;

	public CardiacPhantom(final double beats, final double breaths) {
		this.beats = beats;
		this.breaths = breaths;
	}

	public float[] render(final int n, final int frames) {
		final float[] out = new float[n * n * frames];
		for (int t = 0; t < frames; t++) renderFrame(n, frames == 1 ? 0 : (double) t / frames, out, t * n * n);
		return out;
	}

	/** One frame at time tau in [0, 1). */
	public void renderFrame(final int n, final double tau, final float[] out, final int off) {
		final double contraction = 0.5 * (1 - Math.cos(2 * Math.PI * beats * tau));   // 0 diastole .. 1 systole
		final double resp = 0.06 * Math.sin(2 * Math.PI * breaths * tau);             // vertical shift (FOV units)
		final double lvR = 0.13 * (1 - 0.3 * contraction), wall = 0.05 * (1 + 0.4 * contraction);
		final double hx = 0.08, hy = -0.02 + resp;                                    // LV centre
		for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) {
			final double x = (i + 0.5) / n * 2 - 1, y = (j + 0.5) / n * 2 - 1;
			double v = 0;
			final double torso = sq(x / 0.88) + sq(y / 0.68);
			if (torso < 1) v = torso > sq(0.9) ? 0.75 : 0.35;                          // fat rim, muscle
			if (sq((x + 0.42) / 0.28) + sq((y + 0.05 - 0.5 * resp) / 0.4) < 1) v = 0.05;  // right lung
			if (sq((x - 0.48) / 0.24) + sq((y + 0.08 - 0.5 * resp) / 0.38) < 1) v = 0.05; // left lung
			if (sq((x - 0.05) / 0.55) + sq((y - 0.55 - resp) / 0.2) < 1 && torso < 1) v = 0.45; // liver
			if (sq(x / 0.09) + sq((y - 0.5) / 0.09) < 1) v = 0.85;                        // spine
			final double dl = Math.hypot(x - hx, (y - hy) / 0.92);
			final double drv = Math.hypot(x - hx + 0.2, (y - hy) / 0.8);
			if (drv < lvR + 0.09 && dl > lvR + wall) v = 0.9;                            // right ventricle (crescent)
			if (dl < lvR + wall) v = 0.55;                                                // myocardium
			if (dl < lvR) v = 1.0;                                                        // blood pool
			out[off + j * n + i] = (float) v;
		}
	}

	private static double sq(final double v) {
		return v * v;
	}
}
