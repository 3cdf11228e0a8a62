package org.recon4d.unroll;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.recon4d.tensor.Djl;

/**
 * A complex tensor as two real DJL arrays of the same shape (real part, imaginary part).
 * <p>
 * Why not DJL's complex64: on the PyTorch engine {@code NDArray.complex()} is
 * {@code view_as_complex_copy}, which has no autograd (measured: "does not support automatic
 * differentiation"), so a network trained through the physics cannot use it. Every operation
 * here is built from real ops that autograd differentiates. Layout of multi-coil tensors:
 * (batch, coil, y, x), x fastest, like fastMRI's (slice, coil, ky, kx).
 */
public record Cx(NDArray re, NDArray im) {

	/** From interleaved floats {2, x, y, ...} (x fastest) into shape {@code shape} (without the pair axis). */
	public static Cx fromInterleaved(final NDManager m, final float[] v, final Shape shape) {
		final NDArray pair = m.create(v, new Shape(shape.size(), 2));
		return new Cx(pair.get(":, 0").reshape(shape), pair.get(":, 1").reshape(shape));
	}

	/** Interleaved floats {2, ...}, the inverse of {@link #fromInterleaved}. */
	public float[] toInterleaved() {
		return NDArrays.stack(new ai.djl.ndarray.NDList(re.flatten(), im.flatten()), 1).toFloatArray();
	}

	public Shape shape() { return re.getShape(); }

	public Cx add(final Cx o) { return new Cx(re.add(o.re), im.add(o.im)); }

	public Cx sub(final Cx o) { return new Cx(re.sub(o.re), im.sub(o.im)); }

	public Cx mul(final Cx o) { return new Cx(re.mul(o.re).sub(im.mul(o.im)), re.mul(o.im).add(im.mul(o.re))); }

	/** conj(o) * this. */
	public Cx mulConj(final Cx o) { return new Cx(re.mul(o.re).add(im.mul(o.im)), im.mul(o.re).sub(re.mul(o.im))); }

	/** Times a real array (broadcast). */
	public Cx mul(final NDArray real) { return new Cx(re.mul(real), im.mul(real)); }

	public Cx mul(final float s) { return new Cx(Djl.mul(re, s), Djl.mul(im, s)); }

	/** Sum over an axis, keeping it (size 1). */
	public Cx sum(final int axis) { return new Cx(re.sum(new int[] { axis }, true), im.sum(new int[] { axis }, true)); }

	public NDArray absSquared() { return re.square().add(im.square()); }

	/** Real and imaginary parts as two channels: (B, 1, H, W) pairs -> (B, 2, H, W). */
	public NDArray toChannels() { return re.concat(im, 1); }

	/** (B, 2, H, W) -> complex (B, 1, H, W). */
	public static Cx fromChannels(final NDArray x) { return new Cx(x.get(":, 0:1"), x.get(":, 1:2")); }
}
