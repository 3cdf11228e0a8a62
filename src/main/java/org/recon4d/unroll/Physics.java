package org.recon4d.unroll;

import ai.djl.ndarray.NDArray;

/** The SENSE pieces every unrolled block shares: reduce (coil k-space -> image) and expand (image -> coil k-space). */
final class Physics {

	private Physics() {}

	/** sum_c conj(S_c) F^-1 k_c: (B, C, H, W) -> (B, 1, H, W). */
	static Cx reduce(final Dft dft, final Cx k, final Cx maps) {
		return dft.inverse(k).mulConj(maps).sum(1);
	}

	/** F (S_c x): (B, 1, H, W) -> (B, C, H, W). */
	static Cx expand(final Dft dft, final Cx x, final Cx maps) {
		return dft.forward(maps.mul(x));
	}

	/** |sum_c conj(S_c) F^-1 k_c| (B, H, W). */
	static NDArray combined(final Dft dft, final Cx k, final Cx maps) {
		return reduce(dft, k, maps).absSquared().add(1e-12f).sqrt().squeeze(1);
	}

	/** Root-sum-of-squares image (B, H, W) of coil k-space. */
	static NDArray rss(final Dft dft, final Cx k) {
		return dft.inverse(k).absSquared().sum(new int[] { 1 }).add(1e-12f).sqrt();
	}
}
