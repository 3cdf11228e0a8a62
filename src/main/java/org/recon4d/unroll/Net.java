package org.recon4d.unroll;

import ai.djl.ndarray.NDArray;

/**
 * An unrolled reconstruction network on multi-coil Cartesian k-space. Inputs, as DJL arrays:
 * measured k-space {@code k0} (B, C, H, W) complex, zero where not sampled; the sampling mask
 * (B, 1, 1, W) or (B, 1, H, W), 0/1; the autocalibration mask (same shape), 1 on the fully
 * sampled centre. Output: the root-sum-of-squares image (B, H, W) of the predicted k-space, the
 * target of fastMRI's models.
 */
public interface Net {

	NDArray forward(Cx k0, NDArray mask, NDArray acs);

	Params params();

	String kind();
}
