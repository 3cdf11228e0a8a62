package org.recon4d.prior;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoopTranslator;

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
		return FramePredictor.run(predictor, name, frames, nx, ny, batch);
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
