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

	/** Multi-coil k-space in memory: interleaved {2, nx, ny, coils, batch}. */
	public static final class Kspace {
		public final float[] data;
		public final int nx, ny, coils, batch;
		/** Width of the reconstructed field of view in x (ISMRMRD: without readout oversampling); nx otherwise. */
		public int reconNx;

		public Kspace(final float[] data, final int nx, final int ny, final int coils, final int batch) {
			if (data.length != 2L * nx * ny * coils * batch)
				throw new IllegalArgumentException("k-space has " + data.length + " values, expected 2 x " + nx + " x " + ny + " x " + coils + " x " + batch);
			this.data = data;
			this.nx = nx;
			this.ny = ny;
			this.coils = coils;
			this.batch = batch;
			this.reconNx = nx;
		}
	}

	/**
	 * Reads k-space by extension: BART {@code .cfl/.hdr} (x, y, 1, coils[, more dims = batch]);
	 * fastMRI {@code .h5} (kspace [slices, coils, ky, kx] or [slices, ky, kx]); ISMRMRD {@code .h5}
	 * (Cartesian readouts, see {@link org.recon4d.io.Ismrmrd}); NumPy {@code .npy}
	 * complex, C order [[slices,] coils, ky, kx] as fastMRI's arrays.
	 */
	public static Kspace load(final Path file) throws IOException {
		final String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
		if ((name.endsWith(".h5") || name.endsWith(".hdf5")) && org.recon4d.io.Ismrmrd.looksLike(file)) {
			final org.recon4d.io.Ismrmrd.Data d = org.recon4d.io.Ismrmrd.read(file);
			final Kspace k = new Kspace(d.kspace, d.nx, d.ny, d.coils, d.batch);
			k.reconNx = Math.min(d.reconNx, d.nx);
			return k;
		}
		if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
			try (org.recon4d.io.Hdf5Kspace h = new org.recon4d.io.Hdf5Kspace(file)) {
				return new Kspace(h.read(0, h.slices()), h.nx(), h.ny(), h.coils(), h.slices());
			}
		}
		if (name.endsWith(".npy")) {
			final Cfl.Array a = org.recon4d.io.Npy.readComplex(file);
			if (a.dims.length < 3 || a.dims.length > 4)
				throw new org.recon4d.io.BadFileException(file, "shape with " + a.dims.length + " axes; expected [coils, ky, kx] or [slices, coils, ky, kx]");
			return new Kspace(a.data, (int) a.dims[0], (int) a.dims[1], (int) a.dims[2], a.dims.length == 4 ? (int) a.dims[3] : 1);
		}
		final Cfl.Array k = Cfl.read(file);
		final long[] d = Arrays.copyOf(k.dims, Math.max(4, k.dims.length));
		for (int i = k.dims.length; i < d.length; i++) d[i] = 1;
		if (d[2] != 1) throw new IllegalArgumentException(file + ": dims " + Arrays.toString(k.dims) + " have z = " + d[2]
			+ "; 2D k-space (x, y, 1, coils, ...) expected (3D Cartesian: transform along z first)");
		long b = 1;
		for (int i = 4; i < d.length; i++) b *= d[i];
		return new Kspace(k.data, (int) d[0], (int) d[1], (int) d[3], Math.toIntExact(b));
	}

	/**
	 * Retrospective undersampling for evaluation on fully sampled data: "none", "random:R" (fastMRI
	 * random lines, centre fraction 0.08 for R &lt;= 4, 0.04 above) or "equispaced:R"; one mask per
	 * image of the batch (seeds seed, seed + 1, ...).
	 */
	public static Kspace undersample(final Kspace k, final String spec, final long seed) {
		if (spec == null || spec.isBlank() || spec.equals("none")) return k;
		final String[] parts = spec.split(":");
		if (parts.length != 2) throw new IllegalArgumentException("undersampling '" + spec + "': use none, random:R or equispaced:R");
		final double r;
		try {
			r = Double.parseDouble(parts[1]);
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException("undersampling '" + spec + "': acceleration '" + parts[1] + "' is not a number", e);
		}
		final double cf = r <= 4 ? 0.08 : 0.04;
		final float[] out = k.data.clone();
		final int img = k.nx * k.ny;
		for (int b = 0; b < k.batch; b++) {
			final boolean[] cols;
			switch (parts[0]) {
				case "random": cols = org.recon4d.op.mri.Masks.random1d(k.nx, r, cf, seed + b); break;
				case "equispaced": cols = org.recon4d.op.mri.Masks.equispaced1d(k.nx, (int) Math.round(r), cf, seed + b); break;
				default: throw new IllegalArgumentException("undersampling '" + spec + "': use none, random:R or equispaced:R");
			}
			for (int c = 0; c < k.coils; c++) for (int p = 0; p < img; p++)
				if (!cols[p % k.nx]) { final int o = 2 * ((b * k.coils + c) * img + p); out[o] = 0; out[o + 1] = 0; }
		}
		final Kspace u = new Kspace(out, k.nx, k.ny, k.coils, k.batch);
		u.reconNx = k.reconNx;
		return u;
	}

	public static Result reconstruct(final Path kspace, final Path maps, final String estimate, final int calib, final MriRecon.Params p, final Monitor mon)
		throws IOException
	{
		return reconstruct(load(kspace), maps, estimate, calib, p, mon);
	}

	/**
	 * @param maps a coil-map file (.cfl, e.g. from {@code bart ecalib -m1}), or null to estimate them
	 * @param estimate "espirit" ({@link Espirit}) or "acs" (the fast low-resolution estimate)
	 * @param calib size of the fully sampled k-space centre used for estimated maps
	 */
	public static Result reconstruct(final Kspace k, final Path maps, final String estimate, final int calib, final MriRecon.Params p, final Monitor mon)
		throws IOException
	{
		final int nx = k.nx, ny = k.ny, coils = k.coils, batch = k.batch;
		final float[] y = k.data;
		final float[] mask = samplingPattern(y, nx, ny, coils, batch);
		final float[] s;
		if (maps != null) {
			final Cfl.Array m = Cfl.read(maps);
			if (m.data.length != 2L * nx * ny * coils && m.data.length != 2L * nx * ny * coils * batch)
				throw new IllegalArgumentException(maps + ": coil maps dims " + Arrays.toString(m.dims) + " do not match k-space "
					+ nx + " x " + ny + " x " + coils + " coils x " + batch + " (one map set per coil: ecalib -m1)");
			s = m.data;
		}
		else {
			final int per = 2 * nx * ny * coils;
			s = new float[per * batch];
			final Espirit.Params ep = new Espirit.Params();
			ep.calib = calib;
			ep.kernel = Math.min(ep.kernel, Math.max(2, calib / 2)); // small calibration regions need small kernels
			for (int i = 0; i < batch; i++) {
				mon.checkCanceled();
				final float[] one = Arrays.copyOfRange(y, per * i, per * (i + 1));
				final float[] m;
				switch (estimate == null ? "espirit" : estimate) {
					case "espirit": m = Espirit.maps(one, nx, ny, coils, ep).maps; break;
					case "acs": m = CoilMaps.fromCalibration(one, nx, ny, coils, calib, 0.05); break;
					default: throw new IllegalArgumentException("unknown coil-map estimate '" + estimate + "' (espirit or acs)");
				}
				System.arraycopy(m, 0, s, per * i, per);
			}
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
