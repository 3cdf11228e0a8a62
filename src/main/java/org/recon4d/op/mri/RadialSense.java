package org.recon4d.op.mri;

import org.recon4d.util.Parallel;

/**
 * Multi-coil non-Cartesian MRI (e.g. radial or golden-angle radial), one trajectory per image of
 * the batch (per frame for dynamic MRI): {@code y_bc = N_b (S_c x_b)}, N_b a {@link Nufft}.
 * Shapes: image {2, nx, ny, batch}; samples {2, m, coils, batch} (m samples per frame, the same
 * count for every frame); sensitivities {2, nx, ny, coils, 1 or batch}.
 */
public final class RadialSense implements MriOperator {

	private final int nx, ny, coils, batch, m;
	private final Nufft[] nufft;
	private final float[] maps;
	private final int mapSets;

	public RadialSense(final int nx, final int ny, final int coils, final float[] maps, final Nufft... perFrame) {
		if (perFrame.length == 0) throw new IllegalArgumentException("no trajectory given");
		this.nx = nx;
		this.ny = ny;
		this.coils = coils;
		this.batch = perFrame.length;
		this.m = perFrame[0].samples();
		for (final Nufft f : perFrame) {
			if (f.samples() != m) throw new IllegalArgumentException("every frame needs the same sample count: " + f.samples() + " vs " + m);
			if (f.domainShape()[1] != nx || f.domainShape()[2] != ny) throw new IllegalArgumentException("trajectory image size differs from " + nx + " x " + ny);
		}
		final int img = 2 * nx * ny * coils;
		if (maps.length != img && maps.length != img * batch)
			throw new IllegalArgumentException("coil maps have " + maps.length + " values; expected 2 x " + nx + " x " + ny + " x " + coils + " x (1 or " + batch + ")");
		this.nufft = perFrame.clone();
		this.maps = maps.clone();
		this.mapSets = maps.length / img;
	}

	@Override public int nx() { return nx; }
	@Override public int ny() { return ny; }
	@Override public int coils() { return coils; }
	@Override public int batch() { return batch; }
	public int samplesPerFrame() { return m; }

	@Override public long[] domainShape() { return new long[] { 2, nx, ny, batch }; }
	@Override public long[] rangeShape() { return new long[] { 2, m, coils, batch }; }
	@Override public String name() { return "RadialSense(" + nx + "x" + ny + ", " + coils + " coils, " + batch + " frames x " + m + " samples)"; }

	@Override
	public void apply(final float[] x, final float[] y) {
		final int img = nx * ny;
		Parallel.forEach(batch * coils, bc -> {
			final int b = bc / coils, c = bc % coils;
			final float[] tmp = new float[2 * img];
			final int xo = 2 * b * img, so = 2 * ((b % mapSets) * coils + c) * img;
			CoilOps.multiply(x, xo, maps, so, tmp, 0, img);
			final float[] k = new float[2 * m];
			nufft[b].apply(tmp, k);
			System.arraycopy(k, 0, y, 2 * m * bc, 2 * m);
		});
	}

	@Override
	public void adjoint(final float[] y, final float[] x) {
		final int img = nx * ny;
		final float[] coilImg = new float[2 * img * coils * batch];
		Parallel.forEach(batch * coils, bc -> {
			final int b = bc / coils, c = bc % coils;
			final float[] tmp = new float[2 * img];
			nufft[b].adjoint(java.util.Arrays.copyOfRange(y, 2 * m * bc, 2 * m * (bc + 1)), tmp);
			final int so = 2 * ((b % mapSets) * coils + c) * img;
			CoilOps.multiplyConjugate(tmp, 0, maps, so, img);
			System.arraycopy(tmp, 0, coilImg, 2 * bc * img, 2 * img);
		});
		CoilOps.sumCoils(coilImg, x, img, coils, batch);
	}
}
