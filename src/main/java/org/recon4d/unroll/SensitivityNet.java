package org.recon4d.unroll;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Coil sensitivities learned from the autocalibration region (E2E-VarNet's sensitivity model):
 * each coil's ACS-only image goes through a normalised U-Net as a separate 2-channel sample, and
 * the maps are divided by their root-sum-of-squares over coils. Here the U-Net adds a correction
 * to the ACS image (zero at the start, see {@link UNet#correction}), so training starts from the
 * classical ACS estimate, image / RSS.
 */
final class SensitivityNet {

	private final UNet unet;

	SensitivityNet(final Params p, final String name, final int chans, final int pools) {
		this.unet = new UNet(p, name, 2, 2, chans, pools);
	}

	/** Maps (B, C, H, W) from k-space (B, C, H, W) and the ACS mask. */
	Cx maps(final Dft dft, final Cx k0, final NDArray acs) {
		final Cx img = dft.inverse(k0.mul(acs));
		final Shape s = img.shape();
		final long b = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
		final NDArray ch = img.re().reshape(b * c, 1, h, w).concat(img.im().reshape(b * c, 1, h, w), 1);
		final NDArray out = ch.add(unet.correction(ch));
		final Cx maps = new Cx(out.get(":, 0").reshape(b, c, h, w), out.get(":, 1").reshape(b, c, h, w));
		final NDArray rss = maps.absSquared().sum(new int[] { 1 }, true).add(1e-12f).sqrt();
		return new Cx(maps.re().div(rss), maps.im().div(rss));
	}
}
