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
import org.recon4d.unroll.UnrolledJob;

/**
 * ImageJ 1.x entry for unrolled-network MRI; shows the magnitude as a stack.
 * {@code run("Recon4D MRI Unrolled", "kspace=/data/k.h5 network=e2e-varnet undersample=random:4 output=combined slice_batch=4");}
 */
public class MRI_Unrolled implements PlugIn {

	@Override
	public void run(final String arg) {
		final GenericDialog gd = new GenericDialog("Recon4D MRI Unrolled");
		gd.addStringField("kspace", "", 40);
		gd.addStringField("network", "e2e-varnet", 40);
		gd.addStringField("undersample", "none", 20);
		gd.addChoice("output", new String[] { "combined", "rss" }, "combined");
		gd.addNumericField("slice_batch", 4, 0);
		gd.showDialog();
		if (gd.wasCanceled()) return;
		final String k = gd.getNextString(), network = gd.getNextString(), under = gd.getNextString();
		final String output = gd.getNextChoice();
		final int batch = (int) gd.getNextNumber();
		try {
			final MriJob.Kspace data = MriJob.undersample(MriJob.load(Path.of(k)), under, 1);
			final float[] mag = UnrolledJob.reconstruct(data, network, batch, org.recon4d.unroll.Net.Output.parse(output), (it, total, cost, x) -> IJ.showProgress(it, total));
			final ImageStack st = new ImageStack(data.nx, data.ny);
			final int img = data.nx * data.ny;
			for (int b = 0; b < data.batch; b++) st.addSlice(new FloatProcessor(data.nx, data.ny, java.util.Arrays.copyOfRange(mag, b * img, (b + 1) * img)));
			final ImagePlus imp = new ImagePlus("mri-" + Path.of(network).getFileName(), st);
			imp.resetDisplayRange();
			imp.show();
			IJ.log("Recon4D MRI unrolled: " + network + " on " + k);
		}
		catch (final IOException | RuntimeException e) {
			IJ.error("Recon4D MRI Unrolled", e.getMessage());
		}
	}
}
