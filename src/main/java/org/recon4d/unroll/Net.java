package org.recon4d.unroll;

import ai.djl.ndarray.NDArray;

/**
 * An unrolled reconstruction network on multi-coil Cartesian k-space. Inputs, as DJL arrays:
 * measured k-space {@code k0} (B, C, H, W) complex, zero where not sampled; the sampling mask
 * (B, 1, 1, W) or (B, 1, H, W), 0/1; the autocalibration mask (same shape), 1 on the fully
 * sampled centre. Output (B, H, W), by {@link Output}: the root-sum-of-squares of the predicted coil
 * images (fastMRI's target, the default), or the magnitude of their combination with the
 * network's own coil maps, |sum_c conj(S_c) F^-1 k_c|.
 */
public interface Net {

	/** How the predicted coil k-space becomes one magnitude image. */
	enum Output {
		/** Root-sum-of-squares over coils (fastMRI). */
		RSS,
		/**
		 * Coil combination with the network's estimated maps (unit RSS), as SENSE combines: the
		 * noise of the coils adds incoherently where the maps are small, so the empty background is
		 * not lifted by the RSS noise floor.
		 */
		COMBINED;

		public static Output parse(final String s) {
			switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
				case "rss": return RSS;
				case "combined": case "sense": return COMBINED;
				default: throw new IllegalArgumentException("unknown output '" + s + "' (use rss or combined)");
			}
		}
	}

	NDArray forward(Cx k0, NDArray mask, NDArray acs);

	void setOutput(Output output);

	Output output();

	Params params();

	String kind();
}
