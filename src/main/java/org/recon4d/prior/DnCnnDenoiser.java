package org.recon4d.prior;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;

import org.recon4d.io.BadFileException;
import org.recon4d.tensor.Djl;

/** A trained {@link DnCnn} (DJL .params file) applied frame by frame, in batches. */
public final class DnCnnDenoiser implements Denoiser {

	private final Model model;
	private final Predictor<NDList, NDList> predictor;
	private final String name;
	private final int batch;

	/** Loads {@code dir/name-0000.params} (as DJL's Model.save writes it). */
	public DnCnnDenoiser(final Path dir, final String name, final int channels, final int hidden) throws IOException {
		final Path params = dir.resolve(name + "-0000.params");
		if (!Files.isRegularFile(params)) throw new BadFileException(params, "no such denoiser weights file");
		Djl.configure();
		this.model = Model.newInstance(name, Djl.preferredDevice(), Djl.ENGINE);
		model.setBlock(DnCnn.build(channels, hidden));
		try {
			model.load(dir, name);
		}
		catch (final MalformedModelException | RuntimeException e) {
			model.close();
			throw new BadFileException(params, "not DnCNN weights with " + channels + " channels and " + hidden + " hidden layers: " + e.getMessage(), e);
		}
		this.predictor = model.newPredictor(new NoopTranslator());
		this.name = "dncnn:" + params.getFileName();
		this.batch = 16;
	}

	/** Wraps an in-memory model (used right after training). */
	public DnCnnDenoiser(final Model model) {
		this.model = model;
		this.predictor = model.newPredictor(new NoopTranslator());
		this.name = "dncnn:" + model.getName();
		this.batch = 16;
	}

	@Override
	public float[] denoise(final float[] frames, final int nx, final int ny) {
		final int n = frames.length / (nx * ny);
		final float[] out = new float[frames.length];
		// at most 2^18 pixels a batch: libtorch's convolution buffers grow with batch x pixels x 576
		// (16 frames of 128^2 need ~0.6 GB; 16 frames of 256^2 needed several GB and the machine ran out)
		final int perBatch = Math.max(1, Math.min(batch, (1 << 18) / (nx * ny)));
		try (NDManager m = NDManager.newBaseManager(Djl.preferredDevice(), Djl.ENGINE)) {
			for (int b0 = 0; b0 < n; b0 += perBatch) {
				final int b = Math.min(perBatch, n - b0);
				final float[] chunk = new float[b * nx * ny];
				System.arraycopy(frames, b0 * nx * ny, chunk, 0, chunk.length);
				// a manager per batch: the network's activations attach to the input's manager, and
				// keeping them for the whole stack grew to 24 GB at 256 frames of 256 x 256
				try (NDManager sub = m.newSubManager()) {
					final NDArray x = sub.create(chunk, new Shape(b, 1, ny, nx));
					final NDList y = predictor.predict(new NDList(x));
					System.arraycopy(y.singletonOrThrow().toFloatArray(), 0, out, b0 * nx * ny, chunk.length);
					y.close();
				}
			}
		}
		catch (final TranslateException e) {
			throw new IllegalStateException("denoiser " + name + " failed: " + e.getMessage(), e);
		}
		return out;
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public void close() {
		predictor.close();
		model.close();
	}
}
