package org.recon4d.command;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CancellationException;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import org.recon4d.diffusion.DiffusionJob;
import org.recon4d.io.Angles;
import org.recon4d.metrics.Metrics;
import org.recon4d.tensor.Tensors;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Sparse-view CT with a diffusion prior, 2D (one slice) or 3D (a stack of slices, each seen by
 * the 2D prior, slices tied by TV along z in the DiffusionMBIR methods). With samples &gt; 1 it
 * also returns the per-voxel standard deviation over the posterior draws.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Diffusion Prior>Sparse-view CT", headless = true, label = "Recon4D Diffusion CT",
	description = "Sparse-view parallel-beam CT with a diffusion (score-model) prior")
public class DiffusionCtCommand extends ContextCommand {

	@Parameter private LogService log;
	@Parameter private StatusService status;

	@Parameter(label = "Sinogram (detector, view[, slice])")
	private RandomAccessibleInterval<FloatType> sinogram;

	@Parameter(label = "Angles (linear = uniform over [0, pi), another schedule name, or an angle file)")
	private String angles = "linear";

	@Parameter(label = "Method", choices = { "diffusion-mbir-bdia", "diffusion-mbir", "dps", "red-diff", "projection" })
	private String method = "diffusion-mbir-bdia";

	@Parameter(label = "Score model (builtin, .npz, or TorchScript .pt)", persist = false)
	private String model = "builtin";

	@Parameter(label = "TorchScript contract", choices = { "denoiser", "score-ve", "eps-vp" })
	private String contract = "denoiser";

	@Parameter(label = "Diffusion steps", min = "1")
	private int steps = 25;

	@Parameter(label = "TV-z weight (DiffusionMBIR)", min = "0")
	private double lambdaZ = 0.001;

	@Parameter(label = "ADMM penalty rho (DiffusionMBIR)", min = "0")
	private double rho = 0.01;

	@Parameter(label = "Guidance zeta (DPS)", min = "0")
	private double zeta = 1;

	@Parameter(label = "Regularisation lambda (RED-diff)", min = "0")
	private double lambda = 0.25;

	@Parameter(label = "Posterior samples (more than 1: mean and standard deviation)", min = "1")
	private int samples = 1;

	@Parameter(label = "Seed")
	private long seed = 1;

	@Parameter(label = "Reference for PSNR (optional)", required = false, persist = false)
	private RandomAccessibleInterval<FloatType> reference;

	@Parameter(type = ItemIO.OUTPUT, label = "Reconstruction")
	private Img<FloatType> reconstruction;

	@Parameter(type = ItemIO.OUTPUT, label = "Standard deviation", required = false)
	private Img<FloatType> sd;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	public void run() {
		final long t0 = System.nanoTime();
		try {
			final long[] d = sinogram.dimensionsAsLongArray();
			if (d.length < 2 || d.length > 3) throw new IllegalArgumentException("sinogram needs 2 or 3 dimensions (detector, view[, slice]), got " + d.length);
			final int m = (int) d[0], views = (int) d[1], slices = d.length == 3 ? (int) d[2] : 1;
			final double[] ang = Angles.resolve(angles, 1, views)[0];
			final DiffusionJob.Settings s = settings(method, model, contract, steps, lambdaZ, rho, zeta, lambda, samples, seed);
			log.info("Diffusion CT: " + s + " on " + m + " detectors x " + views + " views x " + slices + " slices");
			final DiffusionJob.Result r = DiffusionJob.ct(Tensors.data(sinogram), m, views, slices, ang, s,
				new CommandMonitor(this, status, log, "Diffusion " + method, s.steps * s.samples));
			final long[] shape = slices > 1 ? new long[] { m, m, slices } : new long[] { m, m };
			reconstruction = Tensors.wrap(r.mean(), shape);
			sd = r.sd() == null ? null : Tensors.wrap(r.sd(), shape);
			summary = String.format(Locale.ROOT, "%s in %.1f s", r.describe(), (System.nanoTime() - t0) * 1e-9);
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

	static DiffusionJob.Settings settings(final String method, final String model, final String contract, final int steps, final double lambdaZ,
		final double rho, final double zeta, final double lambda, final int samples, final long seed)
	{
		final DiffusionJob.Settings s = new DiffusionJob.Settings();
		s.method = method;
		s.model = model;
		s.contract = contract;
		s.steps = steps;
		s.lambdaZ = lambdaZ;
		s.rho = rho;
		s.zeta = zeta;
		s.lambda = lambda;
		s.samples = samples;
		s.seed = seed;
		return s;
	}
}
