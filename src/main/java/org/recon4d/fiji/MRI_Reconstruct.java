package org.recon4d.fiji;

import java.io.IOException;
import java.nio.file.Path;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import ij.process.FloatProcessor;

import org.recon4d.mri.MriJob;
import org.recon4d.mri.MriRecon;
import org.recon4d.solve.Monitor;

/**
 * ImageJ 1.x entry for multi-coil MRI from BART k-space files; shows the magnitude as a stack.
 * {@code run("Recon4D MRI Reconstruct", "kspace=/data/k.h5 maps=[] estimate=espirit calib=20 method=tv lambda=0.005 iterations=30");}
 */
public class MRI_Reconstruct implements PlugIn {

	@Override
	public void run(final String arg) {
		final GenericDialog gd = new GenericDialog("Recon4D MRI Reconstruct");
		gd.addStringField("kspace", "", 40);
		gd.addStringField("maps", "", 40);
		gd.addChoice("estimate", new String[] { "espirit", "acs" }, "espirit");
		gd.addNumericField("calib", 20, 0);
		gd.addChoice("method", new String[] { "sense", "l1-wavelet", "tv", "zero-filled" }, "sense");
		gd.addNumericField("lambda", 0.01, 5);
		gd.addNumericField("iterations", 30, 0);
		gd.showDialog();
		if (gd.wasCanceled()) return;
		final String k = gd.getNextString(), m = gd.getNextString();
		final String estimate = gd.getNextChoice();
		final int calib = (int) gd.getNextNumber();
		final MriRecon.Params p = new MriRecon.Params();
		p.method = MriRecon.Method.parse(gd.getNextChoice());
		p.lambda = gd.getNextNumber();
		p.iterations = (int) gd.getNextNumber();
		try {
			final MriJob.Result r = MriJob.reconstruct(Path.of(k), m.isBlank() ? null : Path.of(m), estimate, calib, p,
				(it, total, cost, x) -> IJ.showProgress(it, total));
			final float[] mag = MriRecon.magnitude(r.image);
			final ImageStack st = new ImageStack(r.nx, r.ny);
			for (int b = 0; b < r.batch; b++)
				st.addSlice(new FloatProcessor(r.nx, r.ny, java.util.Arrays.copyOfRange(mag, b * r.nx * r.ny, (b + 1) * r.nx * r.ny)));
			final ImagePlus imp = new ImagePlus("mri-" + p.method.name().toLowerCase(java.util.Locale.ROOT), st);
			imp.resetDisplayRange();
			imp.show();
			IJ.log("Recon4D MRI: " + p + " on " + k);
		}
		catch (final IOException | IllegalArgumentException e) {
			IJ.error("Recon4D MRI Reconstruct", e.getMessage());
		}
	}
}
