package org.recon4d.prior;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;

import org.recon4d.tensor.Djl;

/**
 * Runs a (B, 1, H, W) -> (B, 1, H, W) network over a stack of frames in batches of at most 2^18
 * pixels, each batch in its own NDManager. The network's activations attach to the input's
 * manager; one manager for the whole stack kept every batch's activations alive and grew to
 * 24 GB at 256 frames of 256 x 256.
 */
final class FramePredictor {

	private FramePredictor() {}

	static float[] run(final Predictor<NDList, NDList> predictor, final String name, final float[] frames, final int nx, final int ny, final int maxBatch) {
		final int npix = nx * ny, n = frames.length / npix;
		final int perBatch = Math.max(1, Math.min(maxBatch, (1 << 18) / npix));
		final float[] out = new float[frames.length];
		try (NDManager m = NDManager.newBaseManager(Djl.preferredDevice(), Djl.ENGINE)) {
			for (int b0 = 0; b0 < n; b0 += perBatch) {
				final int b = Math.min(perBatch, n - b0);
				final float[] chunk = new float[b * npix];
				System.arraycopy(frames, b0 * npix, chunk, 0, chunk.length);
				try (NDManager sub = m.newSubManager()) {
					final NDArray x = sub.create(chunk, new Shape(b, 1, ny, nx));
					try (NDList y = predictor.predict(new NDList(x))) {
						final NDArray r = y.singletonOrThrow();
						if (!r.getShape().equals(x.getShape())) throw new IllegalStateException(name + " returned shape " + r.getShape() + " for input " + x.getShape());
						System.arraycopy(r.toFloatArray(), 0, out, b0 * npix, chunk.length);
					}
				}
			}
		}
		catch (final TranslateException e) {
			throw new IllegalStateException("denoiser " + name + " failed: " + e.getMessage(), e);
		}
		return out;
	}
}
