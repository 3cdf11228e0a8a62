package org.recon4d.diffusion;

/**
 * The prior every diffusion sampler and solver in this package uses: a denoiser
 * D(x; sigma) = E[x0 | x], where x = x0 + sigma n with n white Gaussian ("variance exploding"
 * coordinates, as in Karras et al., EDM). The score follows by Tweedie's formula,
 * grad log p_sigma(x) = (D(x; sigma) - x) / sigma^2, and the noise prediction of DDPM is
 * eps = (x - D) / sigma; models trained in another parametrisation are adapted to this one
 * (see {@link TorchScriptScore}).
 * <p>
 * Images are single-channel, {@code batch} of them, {@code h x w} each, first axis fastest, in
 * the data scale the model was trained on (for the shipped model: attenuation or magnitude in
 * about [0, 1]).
 */
public interface ScoreModel extends AutoCloseable {

	/** D(x; sigma) for {@code batch} images of {@code h x w}. */
	float[] denoise(float[] x, int batch, int h, int w, double sigma);

	/**
	 * D(x; sigma) and the vector-Jacobian product J^T v with J = dD/dx and v = {@code cotangent}(D)
	 * (what DPS needs: v is the data-term gradient at D). Models without autograd throw
	 * {@link UnsupportedOperationException}.
	 */
	default float[][] denoiseVjp(final float[] x, final int batch, final int h, final int w, final double sigma, final java.util.function.UnaryOperator<float[]> cotangent) {
		throw new UnsupportedOperationException(describe() + " has no vector-Jacobian product (DPS needs one)");
	}

	/** One line for logs and reports. */
	String describe();

	@Override
	default void close() {}
}
