package org.recon4d.unroll;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The fastMRI U-Net (Ronneberger et al.; fastMRI's {@code Unet}) on DJL arrays, with the
 * normalisation wrapper of fastMRI's {@code NormUnet}: the two channels of each complex input are
 * standardised per image and the output is scaled back, so the regulariser is equivariant to the
 * data scale. Blocks: [3x3 conv, instance norm, LeakyReLU(0.2)] x 2; 2x2 average pooling down;
 * up by nearest-neighbour upsampling + 3x3 conv + instance norm + LeakyReLU (DJL's PyTorch engine
 * has no transposed convolution), concatenation with the skip, a conv block; a final 1x1 conv.
 * Sizes that are not multiples of 2^pools are zero-padded and cropped back.
 * <p>
 * {@link #correction} is the form the unrolled networks use: the output is scaled back by the
 * standard deviation but the mean is not added, and the final 1x1 conv starts at zero, so every
 * correction branch starts as exactly zero (a deliberate change from fastMRI, whose NormUnet
 * adds the mean back and starts random): a network then starts from the classical answer
 * (zero-filled data consistency, ACS coil maps) and learns refinements, which is what makes the
 * few thousand steps a CPU can afford enough.
 */
final class UNet {

	private final Params p;
	private final String name;
	private final int pools;

	/** Defines the parameters {@code name.*} in {@code p}. */
	UNet(final Params p, final String name, final int in, final int out, final int chans, final int pools) {
		this.p = p;
		this.name = name;
		this.pools = pools;
		int ch = chans;
		block(name + ".down0", in, ch);
		for (int l = 1; l < pools; l++) { block(name + ".down" + l, ch, ch * 2); ch *= 2; }
		block(name + ".bottom", ch, ch * 2);
		for (int l = pools - 1; l >= 0; l--) {
			final int skip = chans << l;
			p.conv(name + ".upconv" + l + ".weight", skip, skip * 2, 3);
			p.bias(name + ".upconv" + l + ".bias", skip);
			block(name + ".up" + l, skip * 2, skip);
		}
		p.constant(name + ".final.weight", new Shape(out, chans, 1, 1), 0f);
		p.bias(name + ".final.bias", out);
	}

	private void block(final String b, final int in, final int out) {
		p.conv(b + ".conv1.weight", out, in, 3);
		p.conv(b + ".conv2.weight", out, out, 3);
	}

	private NDArray runBlock(final String b, final NDArray x) {
		final NDArray h = Nn.leaky(Nn.instanceNorm(Nn.conv(x, p.get(b + ".conv1.weight"), null)));
		return Nn.leaky(Nn.instanceNorm(Nn.conv(h, p.get(b + ".conv2.weight"), null)));
	}

	/** Plain U-Net forward on (N, in, H, W). */
	NDArray plain(final NDArray x0) {
		final Shape s = x0.getShape();
		final long h = s.get(2), w = s.get(3), m = 1L << pools;
		final long ph = (m - h % m) % m, pw = (m - w % m) % m;
		NDArray x = ph + pw > 0 ? x0.pad(new Shape(pw / 2, pw - pw / 2, ph / 2, ph - ph / 2), 0) : x0;
		final List<NDArray> skips = new ArrayList<>();
		for (int l = 0; l < pools; l++) {
			x = runBlock(name + ".down" + l, x);
			skips.add(x);
			x = Nn.avgPool2(x);
		}
		x = runBlock(name + ".bottom", x);
		for (int l = pools - 1; l >= 0; l--) {
			x = Nn.leaky(Nn.instanceNorm(Nn.conv(Nn.upsample2(x), p, name + ".upconv" + l)));
			x = runBlock(name + ".up" + l, x.concat(skips.get(l), 1));
		}
		x = Nn.conv(x, p, name + ".final");
		if (ph + pw > 0) x = x.get(":, :, " + ph / 2 + ":" + (ph / 2 + h) + ", " + pw / 2 + ":" + (pw / 2 + w));
		return x;
	}

	/** (N, 2, H, W) complex channels standardised per image and channel, the U-Net, scaled back by the standard deviation (no mean). */
	NDArray correction(final NDArray x) {
		final Shape s = x.getShape();
		final NDArray f = x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
		final NDArray mean = f.mean(new int[] { 2 }, true);
		final NDArray std = f.sub(mean).square().mean(new int[] { 2 }, true).add(1e-12f).sqrt();
		final NDArray mean4 = mean.reshape(s.get(0), s.get(1), 1, 1), std4 = std.reshape(s.get(0), s.get(1), 1, 1);
		return plain(x.sub(mean4).div(std4)).mul(std4);
	}
}
