package org.recon4d.prior;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;

import org.recon4d.io.BadFileException;
import org.recon4d.tensor.Djl;

/**
 * A denoiser trained in PyTorch and saved with {@code torch.jit.save}: its {@code forward(x)}
 * takes (B, 1, H, W) float32 and returns the denoised batch of the same shape.
 */
public final class TorchScriptDenoiser implements Denoiser {

	private final ZooModel<NDList, NDList> model;
	private final Predictor<NDList, NDList> predictor;
	private final String name;

	public TorchScriptDenoiser(final Path file) throws IOException {
		model = load(file);
		predictor = model.newPredictor();
		name = "torchscript:" + file.getFileName();
	}

	/** Loads a TorchScript file on the preferred device (CUDA when present); a missing or unloadable file is named in the error. */
	public static ZooModel<NDList, NDList> load(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new BadFileException(file, "no such TorchScript file");
		Djl.configure();
		try {
			return Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(file.toAbsolutePath())
				.optEngine(Djl.ENGINE).optDevice(Djl.preferredDevice()).optTranslator(new NoopTranslator()).build().loadModel();
		}
		catch (final ModelNotFoundException | MalformedModelException | RuntimeException e) {
			throw new BadFileException(file, "not a loadable TorchScript model: " + e.getMessage(), e);
		}
	}

	@Override
	public float[] denoise(final float[] frames, final int nx, final int ny) {
		return FramePredictor.run(predictor, name, frames, nx, ny, 16);
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
