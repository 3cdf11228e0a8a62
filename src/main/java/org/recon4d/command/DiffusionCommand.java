package org.recon4d.command;

import java.util.Locale;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import org.recon4d.diffusion.DiffusionJob;
import org.recon4d.tensor.Tensors;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;

/** The parameters and outputs the diffusion-prior commands share (method, model, weights, draws). */
abstract class DiffusionCommand extends ContextCommand {

	@Parameter protected LogService log;
	@Parameter protected StatusService status;

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
	private double zeta = 25;

	@Parameter(label = "Regularisation lambda (RED-diff)", min = "0")
	private double lambda = 0.02;

	@Parameter(label = "Posterior samples (more than 1: mean and standard deviation)", min = "1")
	private int samples = 1;

	@Parameter(label = "Seed")
	private long seed = 1;

	@Parameter(type = ItemIO.OUTPUT, label = "Reconstruction")
	protected Img<FloatType> reconstruction;

	@Parameter(type = ItemIO.OUTPUT, label = "Standard deviation", required = false)
	protected Img<FloatType> sd;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	protected String summary;

	DiffusionJob.Settings settings() {
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

	CommandMonitor monitor(final DiffusionJob.Settings s) {
		return new CommandMonitor(this, status, log, "Diffusion " + s.method, s.steps * s.samples);
	}

	/** Sets the outputs from a result of the given image shape. */
	void publish(final DiffusionJob.Result r, final long[] shape, final long t0) {
		reconstruction = Tensors.wrap(r.mean(), shape);
		sd = r.sd() == null ? null : Tensors.wrap(r.sd(), shape);
		summary = String.format(Locale.ROOT, "%s in %.1f s", r.describe(), (System.nanoTime() - t0) * 1e-9);
	}
}
