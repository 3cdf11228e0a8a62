package org.recon4d.command;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;


import org.recon4d.diffusion.DiffusionJob;
import org.recon4d.mri.MriJob;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Compressed-sensing MRI (multi-coil Cartesian k-space, one or more slices) with a diffusion prior. */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Diffusion Prior>CS-MRI", headless = true, label = "Recon4D Diffusion MRI",
	description = "Undersampled multi-coil Cartesian MRI with a diffusion (score-model) prior")
public class DiffusionMriCommand extends DiffusionCommand {

	@Parameter(label = "k-space (.cfl, fastMRI or ISMRMRD .h5, complex .npy)", persist = false)
	private String kspace = "";

	@Parameter(label = "Retrospective undersampling (none, random:R, equispaced:R)", persist = false)
	private String undersample = "none";

	@Override
	public void run() {
		final long t0 = System.nanoTime();
		try {
			if (kspace == null || kspace.isBlank()) throw new IllegalArgumentException("no k-space file given (kspace=PATH)");
			final MriJob.Kspace k = MriJob.undersample(MriJob.load(Path.of(kspace)), undersample, 1);
			final DiffusionJob.Settings s = settings();
			log.info("Diffusion MRI: " + s + " on " + kspace + " (" + k.nx + " x " + k.ny + ", " + k.coils + " coils, " + k.batch + " slices)");
			final DiffusionJob.Result r = DiffusionJob.mri(k, s, monitor(s));
			publish(r, k.batch > 1 ? new long[] { k.nx, k.ny, k.batch } : new long[] { k.nx, k.ny }, t0);
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
