package org.recon4d.mri;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.recon4d.io.Cfl;
import org.recon4d.op.mri.Sense;
import org.recon4d.solve.Monitor;

/**
 * File-to-image MRI reconstruction shared by the SciJava command and the ImageJ 1.x plugin:
 * BART k-space (x, y, 1, coils[, slices/frames...]), sampling pattern = where the k-space is
 * nonzero (as {@code bart pics} takes it), coil maps from a file or the calibration centre.
 */
public final class MriJob {

	/** The complex result {2, nx, ny, batch} and its sizes. */
	public static final class Result {
		public final float[] image;
		public final int nx, ny, coils, batch;
		public final double sampled;

		Result(final float[] image, final int nx, final int ny, final int coils, final int batch, final double sampled) {
			this.image = image;
			this.nx = nx;
			this.ny = ny;
			this.coils = coils;
			this.batch = batch;
			this.sampled = sampled;
		}
	}

	private MriJob() {}

	public static Result reconstruct(final Path kspace, final Path maps, final int calib, final MriRecon.Params p, final Monitor mon) throws IOException {
		final Cfl.Array k = Cfl.read(kspace);
		final long[] d = Arrays.copyOf(k.dims, Math.max(4, k.dims.length));
		for (int i = k.dims.length; i < d.length; i++) d[i] = 1;
		if (d[2] != 1) throw new IllegalArgumentException(kspace + ": dims " + Arrays.toString(k.dims) + " have z = " + d[2]
			+ "; 2D k-space (x, y, 1, coils, ...) expected (3D Cartesian: transform along z first)");
		final int nx = (int) d[0], ny = (int) d[1], coils = (int) d[3];
		long b = 1;
		for (int i = 4; i < d.length; i++) b *= d[i];
		final int batch = Math.toIntExact(b);
		final float[] y = k.data;
		final float[] mask = samplingPattern(y, nx, ny, coils, batch);
		final float[] s;
		if (maps != null) {
			final Cfl.Array m = Cfl.read(maps);
			if (m.data.length != 2L * nx * ny * coils && m.data.length != 2L * nx * ny * coils * batch)
				throw new IllegalArgumentException(maps + ": coil maps dims " + Arrays.toString(m.dims) + " do not match k-space "
					+ Arrays.toString(k.dims) + " (one map set per coil: ecalib -m1)");
			s = m.data;
		}
		else {
			final int per = 2 * nx * ny * coils;
			s = new float[per * batch];
			for (int i = 0; i < batch; i++)
				System.arraycopy(CoilMaps.fromCalibration(Arrays.copyOfRange(y, per * i, per * (i + 1)), nx, ny, coils, calib, 0.05), 0, s, per * i, per);
		}
		final Sense a = new Sense(nx, ny, coils, batch, s, mask);
		return new Result(MriRecon.run(a, y, p, mon), nx, ny, coils, batch, org.recon4d.op.mri.Masks.fraction(mask));
	}

	/** 1 where any coil's k-space is nonzero, per image of the batch. */
	public static float[] samplingPattern(final float[] y, final int nx, final int ny, final int coils, final int batch) {
		final int img = nx * ny;
		final float[] m = new float[img * batch];
		for (int b = 0; b < batch; b++) for (int c = 0; c < coils; c++) for (int p = 0; p < img; p++) {
			final int o = 2 * ((b * coils + c) * img + p);
			if (y[o] != 0 || y[o + 1] != 0) m[b * img + p] = 1;
		}
		return m;
	}
}
