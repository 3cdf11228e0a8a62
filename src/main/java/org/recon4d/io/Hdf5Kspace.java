package org.recon4d.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.object.datatype.CompoundDataType;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FloatingPoint;

/**
 * fastMRI HDF5 files, read with jHDF: dataset {@code kspace} [slices, coils, ky, kx] (multi-coil) or
 * [slices, ky, kx] (single-coil), complex64 stored by h5py as a compound of two float32 members
 * {@code r}, {@code i} (ISMRMRD-style {@code real}/{@code imag} are accepted too), and the optional
 * {@code reconstruction_rss} / {@code reconstruction_esc} [slices, h, w] float32 references.
 * <p>
 * Slices are read through jHDF's raw slice buffer: the compound's bytes are already interleaved
 * (re, im), the layout of the project's MRI operators ({2, kx, ky, coils, slices}), so no per-value
 * conversion is needed. Where jHDF cannot give a raw buffer (e.g. filtered chunked storage) the
 * generic compound path is used.
 */
public final class Hdf5Kspace implements AutoCloseable {

	private final Path file;
	private final HdfFile hdf;
	private final Dataset kspace;
	private final int slices, coils, ny, nx;
	private final ByteOrder order;
	private final String[] members;

	/** Opens a file and checks its k-space dataset; errors name the file and the problem. */
	public Hdf5Kspace(final Path file) throws IOException {
		this.file = file;
		if (!Files.isRegularFile(file)) throw new BadFileException(file, "no such file");
		try {
			hdf = new HdfFile(file);
		}
		catch (final RuntimeException e) {
			throw new BadFileException(file, "not a readable HDF5 file (" + e.getMessage() + ")", e);
		}
		try {
			final Node n = hdf.getChildren().get("kspace");
			if (!(n instanceof Dataset))
				throw new BadFileException(file, "no dataset 'kspace' at the top level (found " + hdf.getChildren().keySet() + "; is this a fastMRI file?)");
			kspace = (Dataset) n;
			final int[] d = kspace.getDimensions();
			if (d.length != 3 && d.length != 4)
				throw new BadFileException(file, "'kspace' has rank " + d.length + " " + Arrays.toString(d) + "; expected [slices, coils, ky, kx] or [slices, ky, kx]");
			slices = d[0];
			coils = d.length == 4 ? d[1] : 1;
			ny = d[d.length - 2];
			nx = d[d.length - 1];
			final DataType t = kspace.getDataType();
			if (!(t instanceof CompoundDataType)) throw new BadFileException(file, "'kspace' is " + kspace.getJavaType().getSimpleName() + ", not complex (a compound of two floats)");
			final List<CompoundDataType.CompoundDataMember> m = ((CompoundDataType) t).getMembers();
			if (m.size() != 2 || !(m.get(0).getDataType() instanceof FloatingPoint) || !(m.get(1).getDataType() instanceof FloatingPoint)
				|| m.get(0).getDataType().getSize() != 4 || m.get(1).getDataType().getSize() != 4 || m.get(0).getOffset() != 0 || m.get(1).getOffset() != 4)
				throw new BadFileException(file, "'kspace' members " + names(m) + " are not two float32 values (complex64)");
			members = new String[] { m.get(0).getName(), m.get(1).getName() };
			if (!(members[0].equals("r") && members[1].equals("i")) && !(members[0].equals("real") && members[1].equals("imag")))
				throw new BadFileException(file, "'kspace' members " + names(m) + "; expected (r, i) as h5py writes or (real, imag) as ISMRMRD does");
			order = ((FloatingPoint) m.get(0).getDataType()).getByteOrder();
		}
		catch (final IOException | RuntimeException e) {
			hdf.close();
			if (e instanceof IOException) throw (IOException) e;
			throw new BadFileException(file, "cannot read the k-space dataset (" + e.getMessage() + ")", e);
		}
	}

	private static String names(final List<CompoundDataType.CompoundDataMember> m) {
		final StringBuilder b = new StringBuilder("(");
		for (final CompoundDataType.CompoundDataMember x : m) b.append(b.length() > 1 ? ", " : "").append(x.getName());
		return b.append(")").toString();
	}

	public int slices() { return slices; }
	public int coils() { return coils; }
	public int nx() { return nx; }
	public int ny() { return ny; }

	/** A string or numeric attribute of the file (null when absent), e.g. "acquisition", "max". */
	public Object attribute(final String name) {
		final Attribute a = hdf.getAttribute(name);
		return a == null ? null : a.getData();
	}

	/** Slices [from, from + count) as interleaved complex {2, nx, ny, coils, count}. */
	public float[] read(final int from, final int count) throws IOException {
		return read(from, count, true);
	}

	/** As {@link #read(int, int)}; {@code raw} false forces jHDF's generic compound path (for comparison). */
	public float[] read(final int from, final int count, final boolean raw) throws IOException {
		if (from < 0 || count < 1 || from + count > slices)
			throw new IllegalArgumentException("slices " + from + ".." + (from + count - 1) + " outside 0.." + (slices - 1) + " of " + file);
		final int rank = kspace.getDimensions().length;
		final long[] off = new long[rank];
		off[0] = from;
		final int[] shape = rank == 4 ? new int[] { count, coils, ny, nx } : new int[] { count, ny, nx };
		final float[] out = new float[2 * nx * ny * coils * count];
		try {
			if (raw && kspace instanceof DatasetBase) {
				try {
					final ByteBuffer b = ((DatasetBase) kspace).getSliceDataBuffer(off, shape).order(order);
					if (b.remaining() >= 4 * out.length) {
						b.asFloatBuffer().get(out);
						return checked(out);
					}
				}
				catch (final UnsupportedOperationException e) {
					// fall through to the generic path
				}
			}
			final Object data = kspace.getData(off, shape);
			if (!(data instanceof Map)) throw new BadFileException(file, "'kspace' did not read as a compound");
			final Map<?, ?> map = (Map<?, ?>) data;
			final float[] re = flatten(map.get(members[0])), im = flatten(map.get(members[1]));
			for (int i = 0; i < re.length; i++) { out[2 * i] = re[i]; out[2 * i + 1] = im[i]; }
			return checked(out);
		}
		catch (final RuntimeException e) {
			throw new BadFileException(file, "cannot read k-space slices " + from + ".." + (from + count - 1) + " (truncated or damaged file? " + e.getMessage() + ")", e);
		}
	}

	private float[] checked(final float[] v) throws BadFileException {
		for (int i = 0; i < v.length; i++)
			if (!Float.isFinite(v[i])) throw new BadFileException(file, "k-space value " + i / 2 + " is not finite");
		return v;
	}

	/** A reference image dataset (e.g. "reconstruction_rss") for one slice, {w, h}; null when absent. */
	public float[] reference(final String name, final int slice, final int[] sizeOut) throws IOException {
		final Node n = hdf.getChildren().get(name);
		if (!(n instanceof Dataset)) return null;
		final Dataset d = (Dataset) n;
		final int[] dims = d.getDimensions();
		if (dims.length != 3) throw new BadFileException(file, "'" + name + "' has rank " + dims.length + "; expected [slices, h, w]");
		try {
			final float[] v = flatten(d.getData(new long[] { slice, 0, 0 }, new int[] { 1, dims[1], dims[2] }));
			sizeOut[0] = dims[2];
			sizeOut[1] = dims[1];
			return v;
		}
		catch (final RuntimeException e) {
			throw new BadFileException(file, "cannot read '" + name + "' (" + e.getMessage() + ")", e);
		}
	}

	/** Nested float/double arrays (C order) to one flat float array. */
	static float[] flatten(final Object o) {
		final java.util.ArrayList<float[]> parts = new java.util.ArrayList<>();
		collect(o, parts);
		int n = 0;
		for (final float[] p : parts) n += p.length;
		final float[] out = new float[n];
		int k = 0;
		for (final float[] p : parts) { System.arraycopy(p, 0, out, k, p.length); k += p.length; }
		return out;
	}

	private static void collect(final Object o, final List<float[]> parts) {
		if (o instanceof float[]) parts.add((float[]) o);
		else if (o instanceof double[]) {
			final double[] d = (double[]) o;
			final float[] f = new float[d.length];
			for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
			parts.add(f);
		}
		else if (o instanceof Object[]) for (final Object x : (Object[]) o) collect(x, parts);
		else throw new IllegalArgumentException("not a float array: " + (o == null ? "null" : o.getClass().getSimpleName()));
	}

	@Override
	public void close() {
		hdf.close();
	}
}
