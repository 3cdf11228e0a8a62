package org.recon4d.op.mri;

import org.recon4d.op.LinearOperator;

/**
 * A multi-coil MRI forward model on a batch of complex images {2, nx, ny, batch}; the
 * reconstructions in {@code mri.MriRecon} take any of them (Cartesian {@link Sense}, radial
 * {@link RadialSense}).
 */
public interface MriOperator extends LinearOperator {
	int nx();
	int ny();
	int coils();
	int batch();
}
