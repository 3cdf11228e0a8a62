package org.recon4d.command;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CancellationException;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import org.recon4d.mri.MriJob;
import org.recon4d.tensor.Djl;
import org.recon4d.tensor.Tensors;
import org.recon4d.unroll.UnrolledJob;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Multi-coil Cartesian MRI by an unrolled network (E2E-VarNet, RecurrentVarNet, or a TorchScript
 * model with fastMRI VarNet's calling convention), on the GPU when DJL sees one. The sampling
 * pattern is where the k-space is nonzero (1D column masks); slices go through in batches.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>MRI>Unrolled network", headless = true, label = "Recon4D MRI Unrolled",
	description = "E2E-VarNet / RecurrentVarNet reconstruction of undersampled multi-coil k-space")
public class MriUnrolledCommand extends ContextCommand {

	@Parameter private LogService log;
	@Parameter private StatusService status;

	@Parameter(label = "k-space (.cfl: x, y, 1, coils[, slices]; fastMRI or ISMRMRD .h5; complex .npy [slices, coils, ky, kx])", persist = false)
	private String kspace = "";

	@Parameter(label = "Network (e2e-varnet, recurrentvarnet: shipped weights; or a .npz checkpoint / TorchScript .pt file)", persist = false)
	private String network = "e2e-varnet";

	@Parameter(label = "Retrospective undersampling (none, random:R, equispaced:R)", persist = false)
	private String undersample = "none";

	@Parameter(label = "Output (Recon4D networks): combined = |coil combination with the learned maps|, rss = root-sum-of-squares (fastMRI)",
		choices = { "combined", "rss" }, persist = false)
	private String output = "combined";

	@Parameter(label = "Slices per batch", min = "1")
	private int sliceBatch = 4;

	@Parameter(type = ItemIO.OUTPUT, label = "Magnitude")
	private Img<FloatType> reconstruction;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	public void run() {
		final long t0 = System.nanoTime();
		try {
			if (kspace == null || kspace.isBlank()) throw new IllegalArgumentException("no k-space file given (kspace=PATH)");
			final MriJob.Kspace k = MriJob.undersample(MriJob.load(Path.of(kspace)), undersample, 1);
			log.info("MRI unrolled: " + network + " on " + kspace + " (" + k.nx + " x " + k.ny + ", " + k.coils + " coils, " + k.batch + " slices), device " + Djl.preferredDevice());
			final float[] mag = UnrolledJob.reconstruct(k, network, sliceBatch, org.recon4d.unroll.Net.Output.parse(output), new CommandMonitor(this, status, log, "unrolled " + network, k.batch));
			reconstruction = k.reconNx < k.nx
				? Tensors.wrap(org.recon4d.io.Ismrmrd.cropX(mag, k.nx, k.ny, k.batch, k.reconNx), k.reconNx, k.ny, k.batch)
				: Tensors.wrap(mag, k.nx, k.ny, k.batch);
			summary = String.format(Locale.ROOT, "%s, %d x %d, %d coils, %d slice(s), %.1f s", network, k.nx, k.ny, k.coils, k.batch, (System.nanoTime() - t0) * 1e-9);
			log.info(summary);
		}
		catch (final CancellationException e) {
			cancel("Unrolled reconstruction cancelled");
		}
		catch (final IllegalArgumentException | IllegalStateException | IOException e) {
			log.error("MRI unrolled: " + e.getMessage(), e);
			cancel("Unrolled reconstruction failed: " + e.getMessage());
		}
	}
}
