package org.recon4d.command;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;

import org.recon4d.io.Cfl;
import org.recon4d.mri.CoilMaps;
import org.recon4d.op.mri.Masks;
import org.recon4d.op.mri.Sense;
import org.recon4d.phantom.SheppLogan;
import org.recon4d.tensor.Tensors;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Makes undersampled multi-coil k-space from an image (or the Shepp-Logan phantom): simulated
 * coil array, a sampling mask, complex Gaussian noise; writes BART arrays {@code out-k},
 * {@code out-maps} (true sensitivities) and {@code out-mask}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>MRI>Simulate k-space", headless = true, label = "Recon4D MRI Simulate")
public class MriSimulateCommand extends ContextCommand {

	@Parameter private LogService log;

	@Parameter(label = "Image (x, y; optional: Shepp-Logan when empty)", required = false, persist = false)
	private RandomAccessibleInterval<FloatType> image;

	@Parameter(label = "Phantom size (when no image)", min = "16")
	private int size = 256;

	@Parameter(label = "Coils", min = "1")
	private int coils = 8;

	@Parameter(label = "Mask", choices = { "random", "equispaced", "poisson", "full" })
	private String mask = "random";

	@Parameter(label = "Acceleration", min = "1")
	private double acceleration = 4;

	@Parameter(label = "Noise sigma (relative to the k-space maximum)", min = "0")
	private double noise = 0.001;

	@Parameter(label = "Seed")
	private long seed = 1;

	@Parameter(label = "Output prefix (writes PREFIX-k, PREFIX-maps, PREFIX-mask .cfl/.hdr)", persist = false)
	private String out = "";

	@Parameter(label = "Overwrite existing output")
	private boolean overwrite = false;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	public void run() {
		try {
			if (out == null || out.isBlank()) throw new IllegalArgumentException("no output prefix given (out=PATH)");
			final int nx, ny;
			final float[] mag;
			if (image != null) {
				if (image.numDimensions() != 2) throw new IllegalArgumentException("the image must be 2D, got " + image.numDimensions() + " dimensions");
				nx = (int) image.dimension(0);
				ny = (int) image.dimension(1);
				mag = Tensors.data(image);
			}
			else {
				nx = ny = size;
				mag = SheppLogan.image(size);
			}
			final float[] x = new float[2 * nx * ny];
			for (int p = 0; p < nx * ny; p++) x[2 * p] = mag[p];
			final float[] s = CoilMaps.simulate(nx, ny, coils);
			final float[] m;
			switch (mask) {
				case "random": m = Masks.lines(Masks.random1d(nx, acceleration, Math.min(0.08, 0.32 / acceleration), seed), ny); break;
				case "equispaced": m = Masks.lines(Masks.equispaced1d(nx, (int) Math.round(acceleration), Math.min(0.08, 0.32 / acceleration), seed), ny); break;
				case "poisson": m = Masks.poissonDisc(nx, ny, acceleration, Math.max(8, Math.min(nx, ny) / 10), 2, seed); break;
				case "full": m = null; break;
				default: throw new IllegalArgumentException("unknown mask '" + mask + "' (random, equispaced, poisson, full)");
			}
			final Sense a = new Sense(nx, ny, coils, 1, s, m);
			final float[] y = a.apply(x);
			float max = 0;
			for (final float v : y) max = Math.max(max, Math.abs(v));
			final SplittableRandom r = new SplittableRandom(seed + 1000);
			final double sigma = noise * max;
			for (int i = 0; i < y.length; i++) if (m == null || m[(i / 2) % (nx * ny)] != 0) y[i] += (float) (sigma * r.nextGaussian());
			Cfl.write(Path.of(out + "-k"), new long[] { nx, ny, 1, coils }, y, overwrite);
			Cfl.write(Path.of(out + "-maps"), new long[] { nx, ny, 1, coils }, s, overwrite);
			final float[] mc = new float[2 * nx * ny];
			for (int p = 0; p < nx * ny; p++) mc[2 * p] = m == null ? 1 : m[p];
			Cfl.write(Path.of(out + "-mask"), new long[] { nx, ny }, mc, overwrite);
			summary = String.format(Locale.ROOT, "%d x %d, %d coils, %s mask (%.1f%% sampled), noise %g of max: %s-k.cfl", nx, ny, coils, mask,
				100 * (m == null ? 1 : Masks.fraction(m)), noise, out);
			log.info(summary);
		}
		catch (final IllegalArgumentException | IOException e) {
			log.error("MRI simulate: " + e.getMessage(), e);
			cancel("MRI simulation failed: " + e.getMessage());
		}
	}
}
