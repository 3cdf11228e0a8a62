package org.recon4d.prior;

import java.util.List;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;

/**
 * DnCNN without batch normalisation (Zhang et al., IEEE TIP 2017; the RED-PSM variant): a 3x3
 * convolution to {@code channels} maps with ReLU, {@code hidden} 3x3 conv + ReLU layers, a 3x3
 * convolution back to one map that estimates the noise, and the residual output x - noise.
 * With 64 channels and 6 hidden layers it has 222,785 parameters. Input (B, 1, H, W).
 */
public final class DnCnn {

	private DnCnn() {}

	public static Block build(final int channels, final int hidden) {
		final SequentialBlock noise = new SequentialBlock();
		noise.add(conv(channels)).add(Activation.reluBlock());
		for (int i = 0; i < hidden; i++) noise.add(conv(channels)).add(Activation.reluBlock());
		noise.add(conv(1));
		return new ParallelBlock(
			outs -> new NDList(outs.get(0).singletonOrThrow().sub(outs.get(1).singletonOrThrow())),
			List.of(new LambdaBlock(x -> x, "identity"), noise));
	}

	private static Block conv(final int filters) {
		return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters).build();
	}
}
