package org.recon4d.fiji;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

import org.recon4d.avatar.AvatarFit;
import org.recon4d.avatar.AvatarJob;
import org.recon4d.solve.Monitor;

/**
 * ImageJ 1.x entry for the avatar fit; shows the turntable of the fitted avatar as a hyperstack.
 * {@code run("Recon4D Avatar Fit", "capture=[DIR] template=[] output=[DIR] start_scale=1 appearance=150 shape=150 detail=0 final=150");}
 * An empty template means {@code capture/template.glb}. Esc cancels; existing files are kept.
 */
public class Avatar_Fit implements PlugIn {

	@Override
	public void run(final String arg) {
		final GenericDialog gd = new GenericDialog("Recon4D Avatar Fit");
		gd.addStringField("capture", "", 40);
		gd.addStringField("template", "", 40);
		gd.addStringField("output", "", 40);
		gd.addNumericField("start_scale", 1, 3);
		gd.addNumericField("appearance", 150, 0);
		gd.addNumericField("shape", 150, 0);
		gd.addNumericField("detail", 0, 0);
		gd.addNumericField("final", 150, 0);
		gd.showDialog();
		if (gd.wasCanceled()) return;
		final String capture = gd.getNextString(), template = gd.getNextString(), output = gd.getNextString();
		final double scale = gd.getNextNumber();
		final AvatarFit.Settings s = new AvatarFit.Settings();
		s.appearanceSteps = (int) gd.getNextNumber();
		s.shapeSteps = (int) gd.getNextNumber();
		s.detailSteps = (int) gd.getNextNumber();
		s.finalSteps = (int) gd.getNextNumber();
		final Monitor mon = new Monitor() {
			@Override public void iteration(final int k, final int total, final double cost, final float[] x) {
				IJ.showProgress(k, total);
				IJ.showStatus("Recon4D avatar: step " + k + "/" + total);
			}
			@Override public boolean isCanceled() { return IJ.escapePressed(); }
		};
		try {
			final Path cap = Path.of(capture);
			final Path tpl = template.isEmpty() ? cap.resolve("template.glb") : Path.of(template);
			final AvatarJob.Outcome r = AvatarJob.run(cap, tpl, Path.of(output), scale, s, false, mon, IJ::log);
			r.turntable.show();
			IJ.log("Recon4D avatar: " + r.metrics);
		}
		catch (final CancellationException e) {
			IJ.showStatus("Recon4D avatar: cancelled");
		}
		catch (final IOException | IllegalArgumentException | IllegalStateException e) {
			IJ.error("Recon4D Avatar Fit", e.getMessage());
		}
	}
}
