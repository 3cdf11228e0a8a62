package org.recon4d.command;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CancellationException;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import org.recon4d.diffusion.DiffusionJob;
import org.recon4d.mri.MriJob;
import org.recon4d.tensor.Tensors;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Compressed-sensing MRI (multi-coil Cartesian k-space, one or more slices) with a diffusion prior. */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Diffusion Prior>CS-MRI", headless = true, label = "Recon4D Diffusion MRI",
	description = "Undersampled multi-coil Cartesian MRI with a diffusion (score-model) prior")
public class DiffusionMriCommand extends ContextCommand {

	@Parameter private LogService log;
	@Parameter private StatusService status;

	@Parameter(label = "k-space (.cfl, fastMRI or ISMRMRD .h5, complex .npy)", persist = false)
	private String kspace = "";

	@Parameter(label = "Retrospective undersampling (none, random:R, equispaced:R)", persist = false)
	private String undersample = "none";

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
			if (kspace == null || kspace.isBlank()) throw new IllegalArgumentException("no k-space file given (kspace=PATH)");
			final MriJob.Kspace k = MriJob.undersample(MriJob.load(Path.of(kspace)), undersample, 1);
			final DiffusionJob.Settings s = DiffusionCtCommand.settings(method, model, contract, steps, lambdaZ, rho, zeta, lambda, samples, seed);
			log.info("Diffusion MRI: " + s + " on " + kspace + " (" + k.nx + " x " + k.ny + ", " + k.coils + " coils, " + k.batch + " slices)");
			final DiffusionJob.Result r = DiffusionJob.mri(k, s, new CommandMonitor(this, status, log, "Diffusion " + method, s.steps * s.samples));
			final long[] shape = k.batch > 1 ? new long[] { k.nx, k.ny, k.batch } : new long[] { k.nx, k.ny };
			reconstruction = Tensors.wrap(r.mean(), shape);
			sd = r.sd() == null ? null : Tensors.wrap(r.sd(), shape);
			summary = String.format(Locale.ROOT, "%s in %.1f s", r.describe(), (System.nanoTime() - t0) * 1e-9);
			log.info(summary);
			status.clearStatus();
		}
		catch (final CancellationException e) {
			cancel("Diffusion reconstruction cancelled");
			log.warn("Diffusion MRI: cancelled by the user");
		}
		catch (final IllegalArgumentException | IllegalStateException | IOException e) {
			log.error("Diffusion MRI: " + e.getMessage(), e);
			cancel("Diffusion MRI failed: " + e.getMessage());
		}
	}
}
