package org.recon4d.command;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CancellationException;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import org.recon4d.io.Cfl;
import org.recon4d.mri.MriJob;
import org.recon4d.mri.MriRecon;
import org.recon4d.tensor.Tensors;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Multi-coil Cartesian MRI reconstruction from a BART array: k-space dims (x, y, 1, coils[, more
 * dims = slices or frames]). The sampling pattern is where the k-space is nonzero (as in {@code
 * bart pics}); coil maps come from a file (e.g. {@code bart ecalib}) or are estimated from the
 * fully sampled centre (ESPIRiT, or the fast ACS estimate). Output: the magnitude (x, y, batch), and optionally the complex image as .cfl.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>MRI>Reconstruct", headless = true, label = "Recon4D MRI Reconstruct",
	description = "Zero-filled, CG-SENSE, L1-wavelet or TV reconstruction of multi-coil Cartesian k-space")
public class MriReconstructCommand extends ContextCommand {

	@Parameter private LogService log;
	@Parameter private StatusService status;

	@Parameter(label = "k-space (.cfl: x, y, 1, coils[, slices]; fastMRI or ISMRMRD .h5; complex .npy [slices, coils, ky, kx])", persist = false)
	private String kspace = "";

	@Parameter(label = "Coil maps (.cfl, empty: estimate from the calibration centre)", required = false, persist = false)
	private String maps = "";

	@Parameter(label = "Retrospective undersampling (none, random:R, equispaced:R)", persist = false)
	private String undersample = "none";

	@Parameter(label = "Estimate coil maps by (when no file)", choices = { "espirit", "acs" })
	private String estimate = "espirit";

	@Parameter(label = "Calibration size for estimated maps", min = "4")
	private int calib = 20;

	@Parameter(label = "Method", choices = { "sense", "l1-wavelet", "tv", "zero-filled" })
	private String method = "sense";

	@Parameter(label = "Regularisation lambda (on BART-scaled data)", min = "0")
	private double lambda = 0.01;

	@Parameter(label = "Time weight (TV over slices/frames as time; 0: per image)", min = "0")
	private double timeWeight = 0;

	@Parameter(label = "Iterations", min = "1")
	private int iterations = 30;

	@Parameter(label = "Write the complex image to (.cfl, optional)", required = false, persist = false)
	private String out = "";

	@Parameter(label = "Overwrite existing output")
	private boolean overwrite = false;

	@Parameter(type = ItemIO.OUTPUT, label = "Magnitude")
	private Img<FloatType> reconstruction;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	public void run() {
		final long t0 = System.nanoTime();
		try {
			if (kspace == null || kspace.isBlank()) throw new IllegalArgumentException("no k-space file given (kspace=PATH.cfl)");
			final MriRecon.Params p = new MriRecon.Params();
			p.method = MriRecon.Method.parse(method);
			p.lambda = lambda;
			p.iterations = iterations;
			p.timeWeight = timeWeight;
			log.info("MRI: " + kspace + ", " + p);
			final MriJob.Kspace k = MriJob.undersample(MriJob.load(Path.of(kspace)), undersample, 1);
			final MriJob.Result r = MriJob.reconstruct(k, maps == null || maps.isBlank() ? null : Path.of(maps), estimate, calib, p,
				new CommandMonitor(this, status, log, method, iterations));
			// ISMRMRD data keep their readout oversampling in k; the image is cropped to the reconstructed field of view
			reconstruction = k.reconNx < r.nx
				? Tensors.wrap(org.recon4d.io.Ismrmrd.cropX(MriRecon.magnitude(r.image), r.nx, r.ny, r.batch, k.reconNx), k.reconNx, r.ny, r.batch)
				: Tensors.wrap(MriRecon.magnitude(r.image), r.nx, r.ny, r.batch);
			if (out != null && !out.isBlank()) Cfl.write(Path.of(out), new long[] { r.nx, r.ny, 1, 1, r.batch }, r.image, overwrite);
			summary = String.format(Locale.ROOT, "%s, %d x %d, %d coils, %d image(s), %.1f%% sampled, %.1f s", p, r.nx, r.ny, r.coils, r.batch,
				100 * r.sampled, (System.nanoTime() - t0) * 1e-9);
			log.info(summary);
		}
		catch (final CancellationException e) {
			cancel("MRI reconstruction cancelled");
		}
		catch (final IllegalArgumentException | IOException e) {
			log.error("MRI: " + e.getMessage(), e);
			cancel("MRI reconstruction failed: " + e.getMessage());
		}
	}
}
