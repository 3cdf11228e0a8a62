package org.recon4d.fiji;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

import org.recon4d.io.Tiff;
import org.recon4d.phantom.Acquisition;
import org.recon4d.phantom.AngleSchedule;

/**
 * ImageJ 1.x entry (plugins.config) for plain ImageJ and macros:
 * {@code run("Recon4D Simulate", "phantom=dynamic size=128 frames=128 views=1 schedule=bitreversed noise=gaussian level=0.005 seed=1");}
 * Opens two images: "truth" (x, y, t) and "sinogram" (detector, view, t), the sinogram last.
 */
public class Simulate_Acquisition implements PlugIn {

	@Override
	public void run(final String arg) {
		final GenericDialog gd = new GenericDialog("Recon4D Simulate");
		gd.addChoice("phantom", new String[] { "dynamic", "shepp-logan" }, "dynamic");
		gd.addNumericField("size", 128, 0);
		gd.addNumericField("frames", 128, 0);
		gd.addNumericField("views", 1, 0);
		gd.addChoice("schedule", new String[] { "bitreversed", "golden", "linear" }, "bitreversed");
		gd.addChoice("noise", new String[] { "gaussian", "poisson", "none" }, "gaussian");
		gd.addNumericField("level", 0.005, 4);
		gd.addNumericField("seed", 1, 0);
		gd.showDialog();
		if (gd.wasCanceled()) return;
		try {
			final Acquisition acq = Acquisition.simulate(gd.getNextChoice(), (int) gd.getNextNumber(), (int) gd.getNextNumber(),
				(int) gd.getNextNumber(), AngleSchedule.parse(gd.getNextChoice()), gd.getNextChoice(), gd.getNextNumber(), (long) gd.getNextNumber());
			Tiff.toImagePlus(acq.truth, "truth").show();
			Tiff.toImagePlus(acq.sinogram, "sinogram").show();
		}
		catch (final IllegalArgumentException e) {
			IJ.error("Recon4D Simulate", e.getMessage());
		}
	}
}
