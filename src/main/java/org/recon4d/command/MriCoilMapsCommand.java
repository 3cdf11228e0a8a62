package org.recon4d.command;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import org.recon4d.io.Cfl;
import org.recon4d.mri.CoilMaps;
import org.recon4d.mri.Espirit;
import org.recon4d.mri.MriJob;
import org.recon4d.mri.MriRecon;
import org.recon4d.tensor.Tensors;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Coil sensitivities from Cartesian k-space (first slice): ESPIRiT or the ACS estimate; writes
 * them as a BART array (usable as {@code maps=} here and by {@code bart pics}) and shows their
 * magnitudes (x, y, coil).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>MRI>Estimate Coil Maps", headless = true, label = "Recon4D MRI Coil Maps")
public class MriCoilMapsCommand extends ContextCommand {

	@Parameter private LogService log;

	@Parameter(label = "k-space (.cfl, fastMRI .h5, complex .npy)", persist = false)
	private String kspace = "";

	@Parameter(label = "Method", choices = { "espirit", "acs" })
	private String method = "espirit";

	@Parameter(label = "Calibration size", min = "4")
	private int calib = 24;

	@Parameter(label = "ESPIRiT kernel size", min = "2")
	private int kernel = 6;

	@Parameter(label = "ESPIRiT singular-value threshold", min = "0")
	private double threshold = 0.02;

	@Parameter(label = "ESPIRiT eigenvalue crop", min = "0")
	private double crop = 0.8;

	@Parameter(label = "Write the maps to (.cfl, optional)", required = false, persist = false)
	private String out = "";

	@Parameter(label = "Overwrite existing output")
	private boolean overwrite = false;

	@Parameter(type = ItemIO.OUTPUT, label = "Map magnitudes")
	private Img<FloatType> magnitudes;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	public void run() {
		final long t0 = System.nanoTime();
		try {
			if (kspace == null || kspace.isBlank()) throw new IllegalArgumentException("no k-space file given (kspace=PATH)");
			final MriJob.Kspace k = MriJob.load(Path.of(kspace));
			final int per = 2 * k.nx * k.ny * k.coils;
			final float[] first = Arrays.copyOf(k.data, per);
			final float[] m;
			if (method.equals("espirit")) {
				final Espirit.Params p = new Espirit.Params();
				p.calib = calib;
				p.kernel = kernel;
				p.threshold = threshold;
				p.crop = crop;
				final Espirit.Result r = Espirit.maps(first, k.nx, k.ny, k.coils, p);
				m = r.maps;
				summary = String.format(Locale.ROOT, "%s: %d kernels", p, r.kernels);
			}
			else {
				m = CoilMaps.fromCalibration(first, k.nx, k.ny, k.coils, calib, 0.05);
				summary = "ACS estimate, calib " + calib;
			}
			magnitudes = Tensors.wrap(MriRecon.magnitude(m), k.nx, k.ny, k.coils);
			if (out != null && !out.isBlank()) Cfl.write(Path.of(out), new long[] { k.nx, k.ny, 1, k.coils }, m, overwrite);
			summary += String.format(Locale.ROOT, ", %d x %d, %d coils, %.1f s", k.nx, k.ny, k.coils, (System.nanoTime() - t0) * 1e-9);
			log.info(summary);
		}
		catch (final IllegalArgumentException | IOException e) {
			log.error("MRI coil maps: " + e.getMessage(), e);
			cancel("Coil maps failed: " + e.getMessage());
		}
	}
}
