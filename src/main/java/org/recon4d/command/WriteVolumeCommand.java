package org.recon4d.command;

import java.io.File;
import java.io.IOException;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.recon4d.io.Volume;
import org.recon4d.io.Volumes;
import org.recon4d.tensor.Tensors;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Writes a volume (x, y, [z,] t) as OME-Zarr (.ome.zarr), BigDataViewer XML + N5 (.xml), TIFF or
 * NumPy, atomically; an existing file is kept unless overwrite is checked.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Write Volume", headless = true,
	label = "Recon4D Write Volume", description = "OME-Zarr, BigDataViewer XML+N5, TIFF or .npy")
public class WriteVolumeCommand extends ContextCommand {

	@Parameter private LogService log;

	@Parameter(label = "Volume")
	private RandomAccessibleInterval<FloatType> volume;

	@Parameter(label = "Output (.ome.zarr, .xml, .tif, .npy)", style = "save", persist = false)
	private File output;

	@Parameter(label = "Has z axis (4D: x, y, z, t)")
	private boolean hasZ = false;

	@Parameter(label = "Voxel size (x = y)")
	private double voxelSize = 1;

	@Parameter(label = "Slice spacing (z)")
	private double sliceSpacing = 1;

	@Parameter(label = "Frame interval")
	private double frameInterval = 1;

	@Parameter(label = "Spatial unit")
	private String unit = "pixel";

	@Parameter(label = "Time unit")
	private String timeUnit = "frame";

	@Parameter(label = "Overwrite an existing output", persist = false)
	private boolean overwrite = false;

	@Parameter(type = ItemIO.OUTPUT)
	private String written;

	@Override
	public void run() {
		try {
			final long[] d = volume.dimensionsAsLongArray();
			final String[] axes;
			final double[] sp;
			if (d.length == 2) { axes = new String[] { "x", "y" }; sp = new double[] { voxelSize, voxelSize }; }
			else if (d.length == 3) {
				axes = hasZ ? new String[] { "x", "y", "z" } : new String[] { "x", "y", "t" };
				sp = new double[] { voxelSize, voxelSize, hasZ ? sliceSpacing : frameInterval };
			}
			else if (d.length == 4) { axes = new String[] { "x", "y", "z", "t" }; sp = new double[] { voxelSize, voxelSize, sliceSpacing, frameInterval }; }
			else throw new IllegalArgumentException("volumes have 2 to 4 dimensions, got " + d.length);
			final Volume v = new Volume(Tensors.data(volume), d, axes, sp, unit, timeUnit);
			Volumes.write(v, output.toPath(), overwrite);
			written = output.getAbsolutePath();
			log.info("wrote " + v + " to " + written);
		}
		catch (final IOException | IllegalArgumentException e) {
			log.error("Write Volume: " + e.getMessage(), e);
			cancel("Write Volume failed: " + e.getMessage());
		}
	}
}
