package org.recon4d.unroll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.recon4d.io.BadFileException;
import org.recon4d.mri.MriJob;
import org.recon4d.solve.Monitor;

/**
 * The unrolled-network reconstruction as users call it (command, macro, Groovy): k-space from any
 * file {@link MriJob#load} reads, optional retrospective undersampling, a network by name (the
 * shipped weights in {@code sample-data/unrolled}) or by file (.npz checkpoint or TorchScript).
 */
public final class UnrolledJob {

	private UnrolledJob() {}

	/** "e2e-varnet" / "recurrentvarnet": the shipped weights; anything else: a file path. */
	public static Path resolveNetwork(final String network) {
		if (UnrolledModel.E2E.equals(network) || UnrolledModel.RECURRENT.equals(network)) {
			final String home = System.getProperty("recon4d.home");
			final Path base = home != null ? Paths.get(home) : Paths.get("");
			return base.resolve("sample-data/unrolled").resolve(network + ".npz");
		}
		return Paths.get(network);
	}

	/**
	 * Sampled k-space columns per image {nx, batch}. Unrolled networks here take 1D masks along x
	 * (fastMRI's convention): a column counts as sampled when any of its entries is nonzero, and
	 * it must then be nonzero on at least half of its rows (readouts may carry zeros, e.g. partial echo), else the pattern is 2D and is refused.
	 */
	public static float[] columns(final MriJob.Kspace k) {
		final float[] pattern = MriJob.samplingPattern(k.data, k.nx, k.ny, k.coils, k.batch);
		final float[] cols = new float[k.nx * k.batch];
		for (int b = 0; b < k.batch; b++) for (int i = 0; i < k.nx; i++) {
			int hits = 0;
			for (int j = 0; j < k.ny; j++) if (pattern[b * k.nx * k.ny + j * k.nx + i] != 0) hits++;
			if (hits == 0) continue;
			if (hits < 0.5 * k.ny)
				throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
					"image %d: k-space column %d is sampled on %d of %d rows; unrolled networks take 1D (column) masks, not 2D patterns", b, i, hits, k.ny));
			cols[b * k.nx + i] = 1;
		}
		return cols;
	}

	/** Magnitude images {nx, ny, batch}, Recon4D networks with the coil-combined output. */
	public static float[] reconstruct(final MriJob.Kspace k, final String network, final int sliceBatch, final Monitor mon) throws IOException {
		return reconstruct(k, network, sliceBatch, Net.Output.COMBINED, mon);
	}

	/**
	 * Magnitude images {nx, ny, batch}; {@code output} chooses the coil combination of Recon4D
	 * networks (a TorchScript model has its own).
	 */
	public static float[] reconstruct(final MriJob.Kspace k, final String network, final int sliceBatch, final Net.Output output, final Monitor mon) throws IOException {
		final Path file = resolveNetwork(network);
		if (!Files.isRegularFile(file)) throw new BadFileException(file, "no such network weights file (give e2e-varnet, recurrentvarnet, a .npz checkpoint or a TorchScript .pt)");
		final float[] cols = columns(k);
		try (Reconstructor r = Reconstructor.open(file)) {
			if (r instanceof UnrolledModel m) m.output(output);
			return r.reconstruct(k.data, cols, k.nx, k.ny, k.coils, k.batch, Math.max(1, sliceBatch), mon);
		}
	}
}
