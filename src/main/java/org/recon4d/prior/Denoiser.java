package org.recon4d.prior;

/**
 * A frame-by-frame image denoiser: the narrow contract learned priors sit behind.
 * Input and output: a stack of nx x ny frames, x fastest, values on the scale of the object
 * (the dynamic phantom's are in [0, 1]).
 */
public interface Denoiser extends AutoCloseable {

	float[] denoise(float[] frames, int nx, int ny);

	String name();

	@Override
	default void close() {
		// most denoisers hold nothing
	}
}
