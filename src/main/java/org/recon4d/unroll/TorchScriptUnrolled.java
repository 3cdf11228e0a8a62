package org.recon4d.unroll;

import java.io.IOException;
import java.nio.file.Path;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

import org.recon4d.solve.Monitor;

/**
 * An unrolled network exported from PyTorch with TorchScript, with fastMRI VarNet's calling
 * convention: {@code forward(masked_kspace, mask)}, masked_kspace float32 (B, coils, H, W, 2),
 * mask float32 (B, 1, 1, W, 1) (retried as bool, which fastMRI's own VarNet needs); returns the RSS
 * image (B, H, W). Recon4D's own networks export to
 * this contract with {@code scripts/unrolled_torch.py export}.
 */
public final class TorchScriptUnrolled implements Reconstructor {

	private final ZooModel<NDList, NDList> model;
	private final Predictor<NDList, NDList> predictor;
	private final Path file;
	/** fastMRI's own VarNet indexes with a boolean mask; set after the first float mask is refused. */
	private boolean boolMask;

	public TorchScriptUnrolled(final Path file) throws IOException {
		this.file = file;
		model = org.recon4d.prior.TorchScriptDenoiser.load(file);
		predictor = model.newPredictor();
	}

	@Override
	public float[] reconstruct(final float[] kspace, final float[] columns, final int nx, final int ny, final int coils, final int slices,
		final int sliceBatch, final Monitor mon)
	{
		final int per = 2 * nx * ny * coils;
		if (kspace.length != per * slices) throw new IllegalArgumentException("k-space has " + kspace.length + " values, expected 2 x " + nx + " x " + ny + " x " + coils + " x " + slices);
		if (columns.length != nx && columns.length != nx * slices) throw new IllegalArgumentException("mask has " + columns.length + " columns, expected " + nx + " or " + nx * slices);
		final float[] out = new float[nx * ny * slices];
		final NDManager base = model.getNDManager();
		for (int s0 = 0; s0 < slices; s0 += sliceBatch) {
			mon.checkCanceled();
			final int b = Math.min(sliceBatch, slices - s0);
			final float[] cols = new float[nx * b];
			for (int i = 0; i < b; i++) System.arraycopy(columns, columns.length == nx ? 0 : (s0 + i) * nx, cols, i * nx, nx);
			try (NDManager sub = base.newSubManager()) {
				final NDArray k = sub.create(java.util.Arrays.copyOfRange(kspace, s0 * per, (s0 + b) * per), new Shape(b, coils, ny, nx, 2));
				final NDArray m = sub.create(cols, new Shape(b, 1, 1, nx, 1));
				NDArray img;
				try {
					img = predictor.predict(new NDList(k, boolMask ? m.toType(ai.djl.ndarray.types.DataType.BOOLEAN, false) : m)).singletonOrThrow();
				}
				catch (final TranslateException | RuntimeException e) {
					if (boolMask) throw e;
					// fastMRI's VarNet uses torch.where(mask, ...): retry once with a boolean mask
					try {
						img = predictor.predict(new NDList(k, m.toType(ai.djl.ndarray.types.DataType.BOOLEAN, false))).singletonOrThrow();
					}
					catch (final TranslateException | RuntimeException again) {
						again.addSuppressed(e); // the float-mask failure, often the informative one
						throw again;
					}
					boolMask = true;
				}
				if (img.size() != (long) b * nx * ny)
					throw new IllegalStateException(file.getFileName() + " returned shape " + img.getShape() + ", expected (" + b + ", " + ny + ", " + nx + ")");
				System.arraycopy(img.toFloatArray(), 0, out, s0 * nx * ny, b * nx * ny);
			}
			catch (final TranslateException e) {
				throw new IllegalStateException(file.getFileName() + " failed on input (" + b + ", " + coils + ", " + ny + ", " + nx + ", 2): " + e.getMessage(), e);
			}
			mon.iteration(Math.min(s0 + b, slices), slices, Double.NaN, null);
		}
		return out;
	}

	@Override
	public String describe() {
		return "TorchScript " + file.getFileName();
	}

	@Override
	public void close() {
		predictor.close();
		model.close();
	}
}
