package org.recon4d.command;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CancellationException;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import org.recon4d.io.Angles;
import org.recon4d.metrics.Metrics;
import org.recon4d.op.tomo.ParallelBeamProjector;
import org.recon4d.solve.Fbp;
import org.recon4d.solve.TomoRecon;
import org.recon4d.tensor.Tensors;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Reconstructs a parallel-beam sinogram (detector, view, [z,] frame) with FBP, SIRT, CGLS, TV or
 * space-time TV. Angles: a schedule name (linear, golden, bitreversed over [0, 180) degrees) or
 * the path of an angle file (degrees, one per line, acquisition order).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Dynamic Tomography>Reconstruct", headless = true,
	label = "Recon4D Reconstruct", description = "Classical tomographic reconstruction of static or dynamic sinograms")
public class ReconstructCommand extends ContextCommand {

	@Parameter private LogService log;
	@Parameter private StatusService status;

	@Parameter(label = "Sinogram (detector, view, [slice,] frame)")
	private RandomAccessibleInterval<FloatType> sinogram;

	@Parameter(label = "Angles (schedule name or angle file)")
	private String angles = "bitreversed";

	@Parameter(label = "Slices (z) in the sinogram", min = "1")
	private int slices = 1;

	@Parameter(label = "Method", choices = { "fbp", "sirt", "cgls", "tv", "tv-spacetime", "psm", "red-psm" })
	private String method = "tv-spacetime";

	@Parameter(label = "FBP filter", choices = { "ramp", "shepp-logan", "cosine", "hann" })
	private String filter = "hann";

	@Parameter(label = "FBP window (frames pooled per frame)", min = "1")
	private int window = 32;

	@Parameter(label = "Iterations", min = "1")
	private int iterations = 200;

	@Parameter(label = "TV weight lambda", min = "0")
	private double lambda = 0.1;

	@Parameter(label = "Time weight (space-time TV)", min = "0")
	private double timeWeight = 16;

	@Parameter(label = "Nonnegative")
	private boolean nonneg = true;

	@Parameter(label = "Reference for PSNR (optional)", required = false, persist = false)
	private RandomAccessibleInterval<FloatType> reference;

	@Parameter(type = ItemIO.OUTPUT, label = "Reconstruction")
	private Img<FloatType> reconstruction;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	public void run() {
		final long t0 = System.nanoTime();
		try {
			final ParallelBeamProjector a = geometry();
			final TomoRecon.Params p = new TomoRecon.Params().method(TomoRecon.Method.parse(method)).filter(Fbp.Filter.parse(filter))
				.window(window).iterations(iterations).lambda(lambda).timeWeight(timeWeight).nonneg(nonneg);
			log.info("Reconstruct: " + a.name() + ", " + p);
			final float[] x = TomoRecon.run(a, Tensors.data(sinogram), p, new CommandMonitor(this, status, log, "Reconstruct " + method, iterations));
			reconstruction = Tensors.wrap(x, a.nz() > 1 ? new long[] { a.nx(), a.ny(), a.nz(), a.frames() } : new long[] { a.nx(), a.ny(), a.frames() });
			summary = String.format(Locale.ROOT, "%s on %s in %.2f s", p, a.name(), (System.nanoTime() - t0) * 1e-9);
			if (reference != null) summary += String.format(Locale.ROOT, ", PSNR %.2f dB", Metrics.psnr(x, Tensors.data(reference)));
			log.info(summary);
			status.clearStatus();
		}
		catch (final CancellationException e) {
			cancel("Reconstruction cancelled");
			log.warn("Reconstruct: cancelled by the user");
		}
		catch (final IllegalArgumentException | IOException e) {
			log.error("Reconstruct: " + e.getMessage(), e);
			cancel("Reconstruct failed: " + e.getMessage());
		}
	}

	private ParallelBeamProjector geometry() throws IOException {
		final long[] d = sinogram.dimensionsAsLongArray();
		if (d.length < 2 || d.length > 4) throw new IllegalArgumentException("sinogram needs 2 to 4 dimensions (detector, view, [slice,] frame), got " + d.length);
		final int m = (int) d[0], views = (int) d[1];
		long rest = 1;
		for (int i = 2; i < d.length; i++) rest *= d[i];
		if (rest % slices != 0) throw new IllegalArgumentException("sinogram planes (" + rest + ") are not a multiple of slices=" + slices);
		final int frames = (int) (rest / slices);
		final double[][] ang = Angles.resolve(angles, frames, views);
		return new ParallelBeamProjector(m, m, slices, m, ang);
	}
}
