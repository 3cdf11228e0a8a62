package org.recon4d.command;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.recon4d.fiji.BdvBridge;
import org.recon4d.tensor.Tensors;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Opens a volume (x, y, [z,] t) in BigDataViewer inside Fiji; headless or without BDV it says so. */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Show in BigDataViewer", label = "Recon4D Show in BigDataViewer")
public class ShowInBdvCommand extends ContextCommand {

	@Parameter private LogService log;

	@Parameter(label = "Volume")
	private RandomAccessibleInterval<FloatType> volume;

	@Parameter(label = "Title")
	private String title = "Recon4D";

	@Override
	public void run() {
		if (!BdvBridge.isAvailable()) {
			final String why = "BigDataViewer is not available (" + (java.awt.GraphicsEnvironment.isHeadless() ? "headless" : "bdv-core not installed") +
				"); write the volume as BDV XML+N5 or OME-Zarr with Write Volume instead";
			log.error(why);
			cancel(why);
			return;
		}
		final float[] d = Tensors.data(volume);
		BdvBridge.show(volume, title, new double[] { 1, 1, 1 },
			org.recon4d.util.Vec.min(d), org.recon4d.util.Vec.max(d));
	}
}
