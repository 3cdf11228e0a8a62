package org.recon4d.unroll;

import java.util.SplittableRandom;

import org.recon4d.op.mri.Masks;
import org.recon4d.op.mri.Sense;
import org.recon4d.phantom.BrainPhantom;

/**
 * Simulated multi-coil training and test data: a {@link BrainPhantom} slice (complex, smooth
 * phase), a ring of {@code coils} loop coils at a random rotation and distance (the sensitivity
 * model of {@code CoilMaps.simulate}), normalised per pixel to unit root-sum-of-squares (so the
 * fully sampled RSS image equals the magnitude image, which is the target), complex Gaussian noise
 * of standard deviation {@code noise} x (image maximum) per k-space sample, and a fastMRI random 1D
 * mask (centre fraction 0.08 at 4x, 0.04 at 8x).
 * <p>
 * Arrays are interleaved {2, n, n, coils, batch} for k-space and {n, n, batch} for targets;
 * mask columns {n, batch}. Everything follows from the seeds.
 */
public final class MriSamples {

	/** One batch. */
	public record Batch(int n, int coils, int size, float[] kspace, float[] columns, float[] target, float[] maps) {}

	private MriSamples() {}

	/** Centre fraction of fastMRI's masks for an acceleration. */
	public static double centerFraction(final double acceleration) {
		return acceleration <= 4 ? 0.08 : 0.04;
	}

	/**
	 * @param imageSeeds one phantom seed per batch entry
	 * @param accelerations one acceleration per entry
	 * @param seed coil geometry, noise and mask seed
	 */
	public static Batch make(final int n, final int coils, final long[] imageSeeds, final double[] accelerations, final double noise, final long seed) {
		final int b = imageSeeds.length, img = n * n;
		final float[] k = new float[2 * img * coils * b], cols = new float[n * b], target = new float[img * b], allMaps = new float[2 * img * coils * b];
		for (int s = 0; s < b; s++) {
			final SplittableRandom r = new SplittableRandom(seed * 1_000_003L + s);
			final float[] x = BrainPhantom.complex(n, imageSeeds[s]);
			final float[] maps = coilMaps(n, coils, 2 * Math.PI * r.nextDouble(), 0.65 + 0.25 * r.nextDouble());
			final float[] ks = new float[2 * img * coils];
			new Sense(n, n, coils, 1, maps, null).apply(x, ks);
			double max = 0;
			for (int p = 0; p < img; p++) {
				target[s * img + p] = (float) Math.hypot(x[2 * p], x[2 * p + 1]);
				max = Math.max(max, target[s * img + p]);
			}
			final boolean[] m = Masks.random1d(n, accelerations[s], centerFraction(accelerations[s]), r.nextLong());
			final double sd = noise * max;
			for (int c = 0; c < coils; c++) for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) {
				final int o = 2 * ((c * n + j) * n + i);
				if (!m[i]) { ks[o] = 0; ks[o + 1] = 0; continue; }
				ks[o] += (float) (sd * org.recon4d.phantom.Noise.gauss(r));
				ks[o + 1] += (float) (sd * org.recon4d.phantom.Noise.gauss(r));
			}
			System.arraycopy(ks, 0, k, s * ks.length, ks.length);
			System.arraycopy(maps, 0, allMaps, s * maps.length, maps.length);
			for (int i = 0; i < n; i++) cols[s * n + i] = m[i] ? 1 : 0;
		}
		return new Batch(n, coils, b, k, cols, target, allMaps);
	}

	/** Loop coils on a ring of radius {@code ring} FOV, rotated by {@code rotation}; unit RSS at every pixel. */
	public static float[] coilMaps(final int n, final int coils, final double rotation, final double ring) {
		final int img = n * n;
		final float[] s = org.recon4d.mri.CoilMaps.loops(n, n, coils, rotation, ring);
		for (int p = 0; p < img; p++) {
			double acc = 0;
			for (int c = 0; c < coils; c++) acc += s[2 * (c * img + p)] * s[2 * (c * img + p)] + s[2 * (c * img + p) + 1] * s[2 * (c * img + p) + 1];
			final float k = (float) (1 / Math.sqrt(acc));
			for (int c = 0; c < coils; c++) { s[2 * (c * img + p)] *= k; s[2 * (c * img + p) + 1] *= k; }
		}
		return s;
	}

	/**
	 * The fully sampled centre as fastMRI's VarNet finds it: from the middle column, the runs of
	 * sampled columns to the left and to the right; width max(2 min(left, right), 1), starting at
	 * (n - width + 1) / 2.
	 */
	public static float[] acsColumns(final float[] columns, final int off, final int n) {
		final int cent = n / 2;
		int left = 0, right = 0;
		while (left < cent && columns[off + cent - 1 - left] != 0) left++;
		while (right < n - cent && columns[off + cent + right] != 0) right++;
		final int low = Math.max(2 * Math.min(left, right), 1), pad = (n - low + 1) / 2;
		final float[] acs = new float[n];
		for (int i = pad; i < pad + low; i++) acs[i] = 1;
		return acs;
	}
}
