package org.recon4d.op.mri;

import org.recon4d.util.Parallel;

/**
 * Multi-coil Cartesian MRI forward model (SENSE): for each image b of the batch (slice or frame)
 * and coil c, {@code y_bc = M_b . F (S_c . x_b)}, with F the centred orthonormal 2D FFT
 * ({@link Fft2c}), S_c the coil sensitivity and M_b a sampling mask (0/1, or any real weights).
 * The adjoint is {@code x_b = sum_c conj(S_c) . F^H (M_b . y_bc)}.
 * <p>
 * Shapes (first axis fastest, complex interleaved): image {2, nx, ny, batch}; k-space
 * {2, nx, ny, coils, batch} (the layout of fastMRI's complex64 [slices, coils, ky, kx]);
 * sensitivities {2, nx, ny, coils, 1 or batch}; mask {nx, ny, 1 or batch}.
 */
public final class Sense implements MriOperator {

	private final int nx, ny, coils, batch;
	private final float[] maps, mask;
	private final int mapSets, maskSets;
	private final Fft2c fft;

	/**
	 * @param maps interleaved sensitivities, {@code coils * mapSets} images
	 * @param mask sampling weights, nx * ny per set; null for full sampling
	 */
	public Sense(final int nx, final int ny, final int coils, final int batch, final float[] maps, final float[] mask) {
		final int img = nx * ny;
		if (coils < 1 || batch < 1) throw new IllegalArgumentException("need at least one coil and one image, got " + coils + " coils, batch " + batch);
		if (maps.length % (2 * img * coils) != 0 || (maps.length / (2 * img * coils) != 1 && maps.length / (2 * img * coils) != batch))
			throw new IllegalArgumentException("coil maps have " + maps.length + " values; expected 2 x " + nx + " x " + ny + " x " + coils + " x (1 or " + batch + ")");
		if (mask != null && (mask.length % img != 0 || (mask.length / img != 1 && mask.length / img != batch)))
			throw new IllegalArgumentException("mask has " + mask.length + " values; expected " + nx + " x " + ny + " x (1 or " + batch + ")");
		this.nx = nx;
		this.ny = ny;
		this.coils = coils;
		this.batch = batch;
		this.maps = maps.clone();
		this.mask = mask == null ? null : mask.clone();
		this.mapSets = maps.length / (2 * img * coils);
		this.maskSets = mask == null ? 0 : mask.length / img;
		this.fft = new Fft2c(nx, ny, 1);
	}

	@Override public int nx() { return nx; }
	@Override public int ny() { return ny; }
	@Override public int coils() { return coils; }
	@Override public int batch() { return batch; }
	/** A copy of the sampling weights (null when fully sampled). */
	public float[] mask() { return mask == null ? null : mask.clone(); }
	/** A copy of the sensitivities. */
	public float[] maps() { return maps.clone(); }

	/** The same physics with other sampling weights. */
	public Sense withMask(final float[] newMask) {
		return new Sense(nx, ny, coils, batch, maps, newMask);
	}

	/**
	 * A^H A. When every mask depends on kx only (1D Cartesian undersampling: whole ky lines at
	 * chosen kx), the mask commutes with the transform along y, so F^H M F = F_x^H M F_x and the y
	 * transforms drop out: half the FFT work of applying A and then A^H.
	 */
	@Override
	public org.recon4d.op.LinearOperator normal() {
		if (mask == null || !columnMasks()) return MriOperator.super.normal();
		final Sense self = this;
		return new org.recon4d.op.LinearOperator() {
			@Override public long[] domainShape() { return self.domainShape(); }
			@Override public long[] rangeShape() { return self.domainShape(); }
			@Override public String name() { return "Normal(" + self.name() + ", kx-only masks)"; }
			@Override public void apply(final float[] x, final float[] y) { normalColumns(x, y); }
			@Override public void adjoint(final float[] y, final float[] x) { normalColumns(y, x); }
		};
	}

	private boolean columnMasks() {
		for (int b = 0; b < maskSets; b++) for (int j = 1; j < ny; j++) for (int i = 0; i < nx; i++)
			if (mask[(b * ny + j) * nx + i] != mask[b * ny * nx + i]) return false;
		return true;
	}

	private void normalColumns(final float[] x, final float[] out) {
		final int img = nx * ny;
		final float[] coilImg = new float[2 * img * coils * batch];
		Parallel.forEach(batch * coils, bc -> {
			final int b = bc / coils, c = bc % coils;
			final int xo = 2 * b * img, so = 2 * ((b % mapSets) * coils + c) * img, o = 2 * bc * img, mo = (b % maskSets) * img;
			CoilOps.multiply(x, xo, maps, so, coilImg, o, img);
			fft.transformRows(coilImg, o, false);
			for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) {
				final float w = mask[mo + i];
				final int q = o + 2 * (j * nx + i);
				coilImg[q] *= w;
				coilImg[q + 1] *= w;
			}
			fft.transformRows(coilImg, o, true);
			CoilOps.multiplyConjugate(coilImg, o, maps, so, img);
		});
		CoilOps.sumCoils(coilImg, out, img, coils, batch);
	}

	@Override public long[] domainShape() { return new long[] { 2, nx, ny, batch }; }
	@Override public long[] rangeShape() { return new long[] { 2, nx, ny, coils, batch }; }
	@Override public String name() { return "Sense(" + nx + "x" + ny + ", " + coils + " coils, batch " + batch + (mask == null ? ", full" : ", masked") + ")"; }

	@Override
	public void apply(final float[] x, final float[] y) {
		final int img = nx * ny;
		Parallel.forEach(batch * coils, bc -> {
			final int b = bc / coils, c = bc % coils;
			final int xo = 2 * b * img, so = 2 * ((b % mapSets) * coils + c) * img, yo = 2 * bc * img;
			CoilOps.multiply(x, xo, maps, so, y, yo, img);
			fft.transformOne(y, yo, false);
			if (mask != null) {
				final int mo = (b % maskSets) * img;
				for (int p = 0; p < img; p++) { y[yo + 2 * p] *= mask[mo + p]; y[yo + 2 * p + 1] *= mask[mo + p]; }
			}
		});
	}

	@Override
	public void adjoint(final float[] y, final float[] x) {
		final int img = nx * ny;
		// coil images in parallel over (image, coil), then the coil sum per image
		final float[] coilImg = new float[2 * img * coils * batch];
		Parallel.forEach(batch * coils, bc -> {
			final int b = bc / coils, c = bc % coils;
			final int o = 2 * bc * img, so = 2 * ((b % mapSets) * coils + c) * img;
			System.arraycopy(y, o, coilImg, o, 2 * img);
			if (mask != null) {
				final int mo = (b % maskSets) * img;
				for (int p = 0; p < img; p++) { coilImg[o + 2 * p] *= mask[mo + p]; coilImg[o + 2 * p + 1] *= mask[mo + p]; }
			}
			fft.transformOne(coilImg, o, true);
			CoilOps.multiplyConjugate(coilImg, o, maps, so, img);
		});
		CoilOps.sumCoils(coilImg, x, img, coils, batch);
	}
}
