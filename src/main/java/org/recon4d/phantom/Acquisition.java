package org.recon4d.phantom;

import java.util.Locale;

import org.recon4d.io.Volume;
import org.recon4d.op.tomo.ParallelBeamProjector;

/**
 * A simulated tomographic acquisition: ground truth, its sinogram and the angles.
 * The sinogram volume uses axes (x = detector, y = view, t = frame).
 */
public final class Acquisition {

	public final Volume truth;
	public final Volume sinogram;
	public final double[][] angles;

	private Acquisition(final Volume truth, final Volume sinogram, final double[][] angles) {
		this.truth = truth;
		this.sinogram = sinogram;
		this.angles = angles;
	}

	/**
	 * @param phantom "dynamic" (2D+t sample), "shepp-logan" (static 2D, repeated over frames) or
	 *        "shepp-logan-3d" (size^3 volume, projected slice by slice; axes x, y, z, t)
	 * @param noise "gaussian" (level = sigma relative to the sinogram max), "poisson" (level =
	 *        incident photons per bin), or "none"
	 */
	public static Acquisition simulate(final String phantom, final int size, final int frames, final int viewsPerFrame,
		final AngleSchedule schedule, final String noise, final double level, final long seed)
	{
		if (size < 8 || size > 4096) throw new IllegalArgumentException("size must be within 8..4096, got " + size);
		if (frames < 1) throw new IllegalArgumentException("frames must be positive, got " + frames);
		final float[] truth;
		int nz = 1;
		switch (phantom.toLowerCase(Locale.ROOT).replace("_", "-")) {
			case "dynamic": case "walnut": truth = new DynamicPhantom(seed).render(size, frames); break;
			case "shepp-logan": case "shepplogan": {
				final float[] one = SheppLogan.image(size);
				truth = new float[size * size * frames];
				for (int t = 0; t < frames; t++) System.arraycopy(one, 0, truth, t * size * size, one.length);
				break;
			}
			case "shepp-logan-3d": case "shepplogan3d": {
				nz = size;
				final float[] one = SheppLogan.volume(size);
				truth = new float[one.length * frames];
				for (int t = 0; t < frames; t++) System.arraycopy(one, 0, truth, t * one.length, one.length);
				break;
			}
			default: throw new IllegalArgumentException("unknown phantom '" + phantom + "' (use dynamic, shepp-logan or shepp-logan-3d)");
		}
		final double[][] angles = schedule.angles(frames, viewsPerFrame);
		final ParallelBeamProjector a = new ParallelBeamProjector(size, size, nz, size, angles);
		float[] sino = a.apply(truth);
		switch (noise.toLowerCase(Locale.ROOT)) {
			case "gaussian": sino = Noise.gaussian(sino, level, seed + 1); break;
			case "poisson": sino = Noise.poisson(sino, level, 2.0, seed + 1); break;
			case "none": break;
			default: throw new IllegalArgumentException("unknown noise '" + noise + "' (use gaussian, poisson or none)");
		}
		if (nz > 1) return new Acquisition(Volume.of(truth, size, size, nz, frames),
			new Volume(sino, new long[] { size, viewsPerFrame, nz, frames }, new String[] { "x", "y", "z", "t" }, new double[] { 1, 1, 1, 1 }, "pixel", "frame"),
			angles);
		return new Acquisition(Volume.of(truth, size, size, frames),
			new Volume(sino, new long[] { size, viewsPerFrame, frames }, new String[] { "x", "y", "t" }, new double[] { 1, 1, 1 }, "pixel", "frame"),
			angles);
	}
}
