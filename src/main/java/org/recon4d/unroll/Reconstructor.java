package org.recon4d.unroll;

import java.io.IOException;
import java.nio.file.Path;

import org.recon4d.io.BadFileException;
import org.recon4d.solve.Monitor;

/** A trained unrolled network ready to reconstruct multi-coil Cartesian slices. */
public interface Reconstructor extends AutoCloseable {

	/**
	 * @param kspace interleaved {2, nx, ny, coils, slices}, zero where not sampled
	 * @param columns sampled k-space columns (mask along x), {nx} for all slices or {nx, slices}
	 * @return RSS images {nx, ny, slices}
	 */
	float[] reconstruct(float[] kspace, float[] columns, int nx, int ny, int coils, int slices, int sliceBatch, Monitor mon);

	String describe();

	@Override
	void close();

	/** A Recon4D checkpoint ({@code .npz}) or a TorchScript file ({@code .pt}, {@code .pth}, {@code .torchscript}). */
	static Reconstructor open(final Path file) throws IOException {
		final String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
		if (n.endsWith(".npz")) return UnrolledModel.load(file);
		if (n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".torchscript") || n.endsWith(".zip")) return new TorchScriptUnrolled(file);
		throw new BadFileException(file, "unknown network file type (use a Recon4D .npz checkpoint or a TorchScript .pt file)");
	}
}
