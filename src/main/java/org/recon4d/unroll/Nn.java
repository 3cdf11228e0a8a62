package org.recon4d.unroll;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/**
 * Functional layers on DJL arrays (N, C, H, W) for the unrolled networks. Only ops that the
 * PyTorch engine of DJL 0.36 differentiates are used: upsampling is nearest-neighbour by
 * {@code repeat} (element-wise, like {@code repeat_interleave}) and instance normalisation is
 * computed over a flattened (H W) axis, since multi-axis means throw on this engine.
 */
public final class Nn {

	private Nn() {}

	public static NDArray conv(final NDArray x, final NDArray w, final NDArray b) {
		final long k = w.getShape().get(2);
		final long pad = k / 2;
		return Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1), 1).singletonOrThrow();
	}

	public static NDArray conv(final NDArray x, final Params p, final String name) {
		return conv(x, p.get(name + ".weight"), p.all().get(name + ".bias"));
	}

	/** Instance norm without affine parameters (eps 1e-5), as PyTorch's {@code InstanceNorm2d}. */
	public static NDArray instanceNorm(final NDArray x) {
		final Shape s = x.getShape();
		final NDArray f = x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
		final NDArray mean = f.mean(new int[] { 2 }, true);
		final NDArray c = f.sub(mean);
		final NDArray var = c.square().mean(new int[] { 2 }, true);
		return c.div(var.add(1e-5f).sqrt()).reshape(s);
	}

	public static NDArray leaky(final NDArray x) {
		return Activation.leakyRelu(x, 0.2f);
	}

	public static NDArray avgPool2(final NDArray x) {
		return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
	}

	public static NDArray upsample2(final NDArray x) {
		return x.repeat(2, 2).repeat(3, 2);
	}
}
