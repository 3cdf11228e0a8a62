package org.recon4d.fiji;

import java.io.IOException;
import java.nio.file.Paths;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

import org.recon4d.io.Tiff;
import org.recon4d.io.Volumes;

/**
 * ImageJ 1.x entry: writes the current image as OME-Zarr (.ome.zarr), BigDataViewer XML+N5 (.xml),
 * TIFF or .npy, keeping ImageJ's calibration.
 * {@code run("Recon4D Write Volume", "path=/data/rec.ome.zarr overwrite=false");}
 */
public class Write_Volume implements PlugIn {

	@Override
	public void run(final String arg) {
		final GenericDialog gd = new GenericDialog("Recon4D Write Volume");
		gd.addStringField("path", "", 40);
		gd.addCheckbox("overwrite", false);
		gd.showDialog();
		if (gd.wasCanceled()) return;
		final String path = gd.getNextString();
		try {
			Volumes.write(Tiff.fromImagePlus(IJ.getImage()), Paths.get(path), gd.getNextBoolean());
			IJ.log("Recon4D: wrote " + path);
		}
		catch (final IOException | IllegalArgumentException e) {
			IJ.error("Recon4D Write Volume", e.getMessage());
		}
	}
}
