package org.recon4d.fiji;

import java.io.IOException;
import java.util.concurrent.CancellationException;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

import org.recon4d.io.Angles;
import org.recon4d.io.Tiff;
import org.recon4d.io.Volume;
import org.recon4d.op.tomo.ParallelBeamProjector;
import org.recon4d.solve.Fbp;
import org.recon4d.solve.Monitor;
import org.recon4d.solve.TomoRecon;

/**
 * ImageJ 1.x entry: reconstructs the current image as a sinogram (width = detector bins,
 * height = views per frame, stack = frames). Progress in the status bar; Esc cancels.
 * {@code run("Recon4D Reconstruct", "angles=bitreversed method=tv-spacetime iterations=200 lambda=0.1 time_weight=16 filter=hann window=32");}
 */
public class Reconstruct_Tomography implements PlugIn {

	@Override
	public void run(final String arg) {
		final ImagePlus sino = IJ.getImage();
		final GenericDialog gd = new GenericDialog("Recon4D Reconstruct");
		gd.addStringField("angles", "bitreversed", 20);
		gd.addChoice("method", new String[] { "fbp", "sirt", "cgls", "tv", "tv-spacetime", "psm", "red-psm" }, "tv-spacetime");
		gd.addNumericField("iterations", 200, 0);
		gd.addNumericField("lambda", 0.1, 4);
		gd.addNumericField("time_weight", 16, 2);
		gd.addChoice("filter", new String[] { "ramp", "shepp-logan", "cosine", "hann" }, "hann");
		gd.addNumericField("window", 32, 0);
		gd.showDialog();
		if (gd.wasCanceled()) return;
		final String angles = gd.getNextString();
		final TomoRecon.Params p = new TomoRecon.Params().method(TomoRecon.Method.parse(gd.getNextChoice()))
			.iterations((int) gd.getNextNumber()).lambda(gd.getNextNumber()).timeWeight(gd.getNextNumber())
			.filter(Fbp.Filter.parse(gd.getNextChoice())).window((int) gd.getNextNumber());
		try {
			final Volume s = Tiff.fromImagePlus(sino);
			final int m = (int) s.size("x"), views = (int) s.size("y"), frames = (int) (s.size("z") * s.size("t"));
			final double[][] ang = Angles.resolve(angles, frames, views);
			final ParallelBeamProjector a = new ParallelBeamProjector(m, m, 1, m, ang);
			final float[] x = TomoRecon.run(a, s.data(), p, new Monitor() {
				@Override public void iteration(final int k, final int total, final double cost, final float[] it) {
					IJ.showProgress(k, total);
					IJ.showStatus("Recon4D " + p.method + ": iteration " + k + "/" + total);
				}
				@Override public boolean isCanceled() { return IJ.escapePressed(); }
			});
			Tiff.toImagePlus(Volume.of(x, m, m, frames), "reconstruction").show();
		}
		catch (final CancellationException e) {
			IJ.showStatus("Recon4D: reconstruction cancelled");
		}
		catch (final IOException | IllegalArgumentException e) {
			IJ.error("Recon4D Reconstruct", e.getMessage());
		}
	}
}
