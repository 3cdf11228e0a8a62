package org.recon4d.diffusion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

import org.recon4d.prior.TorchScriptDenoiser;
import org.recon4d.tensor.Djl;

/**
 * A diffusion prior trained in PyTorch and saved with {@code torch.jit.save}. Its
 * {@code forward(x, c)} takes a float32 batch (N, 1, H, W) and a float32 vector (N) and returns
 * (N, 1, H, W); what c and the output mean is the file's contract (documented in
 * {@code docs/diffusion.md}):
 * <ul>
 * <li>{@code denoiser}: x in VE coordinates (x0 + sigma n), c = sigma, output D(x; sigma) (EDM
 * convention).</li>
 * <li>{@code score-ve}: x in VE coordinates, c = sigma, output the score grad log p_sigma(x)
 * (NCSN / NCSN++ VE checkpoints); D = x + sigma^2 s.</li>
 * <li>{@code eps-vp}: x in VP coordinates z = x0 sqrt(abar) + sqrt(1 - abar) n, c = 999 t with t
 * the continuous time of the linear-beta VP SDE ({@link Schedule}; the DDPM label convention of
 * score_sde), output the noise prediction eps; D = (z - sqrt(1 - abar) eps) / sqrt(abar).</li>
 * </ul>
 */
public final class TorchScriptScore implements ScoreModel {

	public enum Contract {
		DENOISER, SCORE_VE, EPS_VP;

		public static Contract parse(final String s) {
			for (final Contract c : values()) if (c.label().equals(s.trim().toLowerCase(Locale.ROOT))) return c;
			throw new IllegalArgumentException("unknown TorchScript score contract '" + s + "' (use denoiser, score-ve or eps-vp)");
		}

		public String label() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }
	}

	private final ZooModel<NDList, NDList> model;
	private final Predictor<NDList, NDList> predictor;
	private final Contract contract;
	private final String name;
	private int chunk = 16;

	public TorchScriptScore(final Path file, final Contract contract) throws IOException {
		this.model = TorchScriptDenoiser.load(file);
		this.predictor = model.newPredictor();
		this.contract = contract;
		this.name = "torchscript:" + file.getFileName() + " (" + contract.label() + ")";
	}

	public TorchScriptScore chunk(final int images) { this.chunk = Math.max(1, images); return this; }

	@Override
	public float[] denoise(final float[] x, final int batch, final int h, final int w, final double sigma) {
		final int img = h * w;
		final float[] out = new float[x.length];
		final double a = Schedule.vpScale(sigma);
		final float c = (float) (contract == Contract.EPS_VP ? 999 * Schedule.vpTime(sigma) : sigma);
		try (NDManager m = NDManager.newBaseManager(Djl.preferredDevice(), Djl.ENGINE)) {
			for (int b0 = 0; b0 < batch; b0 += chunk) {
				final int nb = Math.min(chunk, batch - b0);
				final float[] in = Arrays.copyOfRange(x, b0 * img, (b0 + nb) * img);
				if (contract == Contract.EPS_VP) for (int i = 0; i < in.length; i++) in[i] *= (float) a;
				try (NDManager sub = m.newSubManager()) {
					final NDArray xs = sub.create(in, new Shape(nb, 1, h, w));
					final NDArray cs = sub.full(new Shape(nb), c);
					try (NDList y = predictor.predict(new NDList(xs, cs))) {
						final NDArray r = y.get(0);
						if (!r.getShape().equals(xs.getShape())) throw new IllegalStateException(name + " returned shape " + r.getShape() + " for input " + xs.getShape());
						final float[] o = r.toFloatArray();
						for (int i = 0; i < o.length; i++) {
							final int q = b0 * img + i;
							out[q] = switch (contract) {
								case DENOISER -> o[i];
								case SCORE_VE -> (float) (x[q] + sigma * sigma * o[i]);
								case EPS_VP -> (float) (x[q] - sigma * o[i]);
							};
						}
					}
				}
			}
		}
		catch (final TranslateException e) {
			throw new IllegalStateException("score model " + name + " failed: " + e.getMessage(), e);
		}
		return out;
	}

	@Override
	public String describe() {
		return name;
	}

	@Override
	public void close() {
		predictor.close();
		model.close();
	}
}
