package org.recon4d.command;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CancellationException;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import org.recon4d.io.Cfl;
import org.recon4d.mri.DynamicMri;
import org.recon4d.mri.MriRecon;
import org.recon4d.op.mri.RadialSense;
import org.recon4d.tensor.Tensors;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Dynamic MRI from radial (e.g. golden-angle) data in BART's layout: k-space [1, readout, spokes,
 * coils, ..., frames on dim 10] and trajectory [3, readout, spokes, ..., frames]. Coil maps from a
 * file or estimated from the time-averaged data. Methods: frame-by-frame CG-SENSE, space-time TV,
 * PSM (from the TV result). Output: magnitude (x, y, t).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>MRI>Dynamic Radial", headless = true, label = "Recon4D MRI Dynamic",
	description = "Golden-angle radial dynamic MRI: frame-by-frame SENSE, space-time TV or PSM")
public class MriDynamicCommand extends ContextCommand {

	@Parameter private LogService log;
	@Parameter private StatusService status;

	@Parameter(label = "k-space (.cfl: 1, readout, spokes, coils, ..., frames on dim 10)", persist = false)
	private String kspace = "";

	@Parameter(label = "Trajectory (.cfl: 3, readout, spokes, ..., frames)", persist = false)
	private String trajectory = "";

	@Parameter(label = "Coil maps (.cfl, empty: estimate from the time average)", required = false, persist = false)
	private String maps = "";

	@Parameter(label = "Method", choices = { "tv-spacetime", "psm", "red-psm", "frame-sense" })
	private String method = "tv-spacetime";

	@Parameter(label = "Lambda (on BART-scaled data)", min = "0")
	private double lambda = 0.002;

	@Parameter(label = "Time weight (space-time TV)", min = "0")
	private double timeWeight = 4;

	@Parameter(label = "Iterations", min = "1")
	private int iterations = 30;

	@Parameter(label = "PSM rank K", min = "1")
	private int rank = 6;

	@Parameter(label = "PSM latents per temporal function", min = "3")
	private int latents = 9;

	@Parameter(label = "RED-PSM denoiser (builtin, gaussian:SIGMA, TorchScript .pt, DnCNN weights)")
	private String denoiser = "builtin";

	@Parameter(label = "Write the complex frames to (.cfl, optional)", required = false, persist = false)
	private String out = "";

	@Parameter(label = "Overwrite existing output")
	private boolean overwrite = false;

	@Parameter(type = ItemIO.OUTPUT, label = "Frames")
	private Img<FloatType> reconstruction;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	public void run() {
		final long t0 = System.nanoTime();
		try {
			if (kspace == null || kspace.isBlank() || trajectory == null || trajectory.isBlank())
				throw new IllegalArgumentException("give both kspace=K.cfl and trajectory=TRAJ.cfl");
			final DynamicMri.RadialFiles r = DynamicMri.readBart(Path.of(kspace), Path.of(trajectory), 0);
			final float[] s = maps != null && !maps.isBlank() ? Cfl.read(Path.of(maps)).data : DynamicMri.estimateMaps(r, 24);
			final RadialSense a = new RadialSense(r.n, r.n, r.coils, s, r.nufft);
			final DynamicMri.Params p = new DynamicMri.Params();
			p.lambda = lambda;
			p.timeWeight = timeWeight;
			p.iterations = iterations;
			p.rank = rank;
			p.latents = latents;
			p.denoiser = denoiser;
			log.info("MRI dynamic: " + a.name() + ", " + method + " " + p);
			final float[] x = DynamicMri.reconstruct(a, r.kspace, method, p, new CommandMonitor(this, status, log, method, iterations));
			reconstruction = Tensors.wrap(MriRecon.magnitude(x), r.n, r.n, r.frames);
			if (out != null && !out.isBlank()) Cfl.write(Path.of(out), new long[] { r.n, r.n, 1, 1, 1, 1, 1, 1, 1, 1, r.frames }, x, overwrite);
			summary = String.format(Locale.ROOT, "%s %s, %d x %d x %d frames, %d coils, %d samples per frame, %.1f s", method, p, r.n, r.n, r.frames, r.coils,
				r.samples, (System.nanoTime() - t0) * 1e-9);
			log.info(summary);
		}
		catch (final CancellationException e) {
			cancel("Dynamic MRI cancelled");
		}
		catch (final IllegalArgumentException | IOException e) {
			log.error("MRI dynamic: " + e.getMessage(), e);
			cancel("Dynamic MRI failed: " + e.getMessage());
		}
	}
}
