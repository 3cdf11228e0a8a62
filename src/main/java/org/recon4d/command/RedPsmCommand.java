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
 * RED-PSM (Iskender, Klasky, Bresler, ICCV 2023): partially separable model + regularisation by
 * denoising, solved by ADMM; or plain PSM. Sinogram (detector, view, frame) of a 2D+t object.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Dynamic Tomography>RED-PSM", headless = true,
	label = "Recon4D RED-PSM", description = "Partially separable model with a learned denoiser prior (RED-PSM)")
public class RedPsmCommand extends ContextCommand {

	@Parameter private LogService log;
	@Parameter private StatusService status;

	@Parameter(label = "Sinogram (detector, view, frame)")
	private RandomAccessibleInterval<FloatType> sinogram;

	@Parameter(label = "Angles (schedule name or angle file)")
	private String angles = "bitreversed";

	@Parameter(label = "Method", choices = { "red-psm", "psm" })
	private String method = "red-psm";

	@Parameter(label = "Rank K (K + 1 components)", min = "1")
	private int rank = 8;

	@Parameter(label = "Latents per temporal function d", min = "3")
	private int latents = 17;

	@Parameter(label = "RED weight lambda", min = "0")
	private double lambda = 20;

	@Parameter(label = "ADMM penalty beta", min = "0")
	private double beta = 100;

	@Parameter(label = "Outer iterations", min = "1")
	private int iterations = 16;

	@Parameter(label = "PSM steps per iteration", min = "1")
	private int innerSteps = 10;

	@Parameter(label = "Denoiser (artefact, builtin, gaussian:SIGMA, TorchScript .pt, or DnCNN weights)")
	private String denoiser = "artefact";

	@Parameter(label = "Start from", choices = { "tv-spacetime", "fbp", "prosep", "prosep-tv" })
	private String init = "tv-spacetime";

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
			final long[] d = sinogram.dimensionsAsLongArray();
			if (d.length != 3) throw new IllegalArgumentException("RED-PSM takes a (detector, view, frame) sinogram, got " + d.length + " dimensions");
			final int m = (int) d[0], views = (int) d[1], frames = (int) d[2];
			final double[][] ang = Angles.resolve(angles, frames, views);
			final ParallelBeamProjector a = new ParallelBeamProjector(m, m, 1, m, ang);
			final TomoRecon.Params p = new TomoRecon.Params().method(TomoRecon.Method.parse(method));
			p.psm.rank = rank;
			p.psm.latents = latents;
			p.psm.lambda = lambda;
			p.psm.beta = beta;
			p.psm.outer = iterations;
			p.psm.innerSteps = innerSteps;
			p.denoiser = denoiser;
			p.psmInit = init;
			log.info("RED-PSM: " + a.name() + ", " + p);
			final float[] x = TomoRecon.run(a, Tensors.data(sinogram), p, new CommandMonitor(this, status, log, method, iterations));
			reconstruction = Tensors.wrap(x, m, m, frames);
			summary = String.format(Locale.ROOT, "%s in %.1f s", p, (System.nanoTime() - t0) * 1e-9);
			if (reference != null) summary += String.format(Locale.ROOT, ", PSNR %.2f dB", Metrics.psnr(x, Tensors.data(reference)));
			log.info(summary);
		}
		catch (final CancellationException e) {
			cancel("RED-PSM cancelled");
		}
		catch (final IllegalArgumentException | IOException e) {
			log.error("RED-PSM: " + e.getMessage(), e);
			cancel("RED-PSM failed: " + e.getMessage());
		}
	}
}
