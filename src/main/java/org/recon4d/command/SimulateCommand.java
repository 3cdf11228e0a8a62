package org.recon4d.command;

import java.io.IOException;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import org.recon4d.io.Angles;
import org.recon4d.phantom.Acquisition;
import org.recon4d.phantom.AngleSchedule;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Simulates a (dynamic) parallel-beam acquisition: phantom, angle schedule, noise. */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Dynamic Tomography>Simulate Acquisition", headless = true,
	label = "Recon4D Simulate Acquisition", description = "Phantom, angle schedule and noisy sinogram, deterministic from a seed")
public class SimulateCommand extends ContextCommand {

	@Parameter private LogService log;

	@Parameter(label = "Phantom", choices = { "dynamic", "shepp-logan", "shepp-logan-3d" })
	private String phantom = "dynamic";

	@Parameter(label = "Image size (pixels)", min = "8", max = "4096")
	private int size = 128;

	@Parameter(label = "Time frames", min = "1")
	private int frames = 128;

	@Parameter(label = "Views per frame", min = "1")
	private int viewsPerFrame = 1;

	@Parameter(label = "Angle schedule", choices = { "bitreversed", "golden", "linear" })
	private String schedule = "bitreversed";

	@Parameter(label = "Noise", choices = { "gaussian", "poisson", "none" })
	private String noise = "gaussian";

	@Parameter(label = "Noise level (Gaussian: sigma / max sinogram; Poisson: photons per bin)")
	private double noiseLevel = 0.005;

	@Parameter(label = "Seed")
	private long seed = 1;

	@Parameter(label = "Save angles to (text file, optional)", required = false, persist = false)
	private String angleFile = "";

	@Parameter(type = ItemIO.OUTPUT, label = "Ground truth")
	private Img<FloatType> truth;

	@Parameter(type = ItemIO.OUTPUT, label = "Sinogram")
	private Img<FloatType> sinogram;

	@Override
	public void run() {
		try {
			final Acquisition acq = Acquisition.simulate(phantom, size, frames, viewsPerFrame, AngleSchedule.parse(schedule), noise, noiseLevel, seed);
			truth = acq.truth.img();
			sinogram = acq.sinogram.img();
			if (angleFile != null && !angleFile.isBlank()) Angles.write(java.nio.file.Paths.get(angleFile), acq.angles, false);
			log.info("simulated " + phantom + " " + size + "x" + size + "x" + frames + ", " + viewsPerFrame + " view(s)/frame, " + schedule + ", " + noise + " " + noiseLevel);
		}
		catch (final IllegalArgumentException | IOException e) {
			log.error("Simulate Acquisition: " + e.getMessage(), e);
			cancel("Simulate Acquisition failed: " + e.getMessage());
		}
	}
}
