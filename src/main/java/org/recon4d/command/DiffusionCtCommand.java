package org.recon4d.command;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CancellationException;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.recon4d.diffusion.DiffusionJob;
import org.recon4d.io.Angles;
import org.recon4d.metrics.Metrics;
import org.recon4d.tensor.Tensors;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Sparse-view CT with a diffusion prior, 2D (one slice) or 3D (a stack of slices, each seen by
 * the 2D prior, slices tied by TV along z in the DiffusionMBIR methods). With samples &gt; 1 it
 * also returns the per-voxel standard deviation over the posterior draws.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Diffusion Prior>Sparse-view CT", headless = true, label = "Recon4D Diffusion CT",
	description = "Sparse-view parallel-beam CT with a diffusion (score-model) prior")
public class DiffusionCtCommand extends DiffusionCommand {

	@Parameter(label = "Sinogram (detector, view[, slice])")
	private RandomAccessibleInterval<FloatType> sinogram;

	@Parameter(label = "Angles (linear = uniform over [0, pi), another schedule name, or an angle file)")
	private String angles = "linear";

	@Parameter(label = "Reference for PSNR (optional)", required = false, persist = false)
	private RandomAccessibleInterval<FloatType> reference;

	@Override
	public void run() {
		final long t0 = System.nanoTime();
		try {
			final long[] d = sinogram.dimensionsAsLongArray();
			if (d.length < 2 || d.length > 3) throw new IllegalArgumentException("sinogram needs 2 or 3 dimensions (detector, view[, slice]), got " + d.length);
			final int m = (int) d[0], views = (int) d[1], slices = d.length == 3 ? (int) d[2] : 1;
			final double[] ang = Angles.resolve(angles, 1, views)[0];
			final DiffusionJob.Settings s = settings();
			log.info("Diffusion CT: " + s + " on " + m + " detectors x " + views + " views x " + slices + " slices");
			final DiffusionJob.Result r = DiffusionJob.ct(Tensors.data(sinogram), m, views, slices, ang, s, monitor(s));
			publish(r, slices > 1 ? new long[] { m, m, slices } : new long[] { m, m }, t0);
			if (reference != null) summary += String.format(Locale.ROOT, ", PSNR %.2f dB", Metrics.psnr(r.mean(), Tensors.data(reference)));
			log.info(summary);
			status.clearStatus();
		}
		catch (final CancellationException e) {
			cancel("Diffusion reconstruction cancelled");
			log.warn("Diffusion CT: cancelled by the user");
		}
		catch (final IllegalArgumentException | IllegalStateException | IOException e) {
			log.error("Diffusion CT: " + e.getMessage(), e);
			cancel("Diffusion CT failed: " + e.getMessage());
		}
	}
}
