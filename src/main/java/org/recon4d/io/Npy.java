package org.recon4d.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format versions 1, 2 and 3).
 * <p>
 * Reading accepts bool, (u)int8/16/32/64 and float32/64 in either byte order, C or Fortran order,
 * and returns float32 in ImgLib2 order: a C-order array of shape (t, y, x) becomes dims (x, y, t);
 * a Fortran-order array of shape (x, y, t) becomes the same. Writing produces little-endian
 * float32 in C order with the reversed shape, which NumPy reads as {@code a[t, y, x]}.
 * NaN or infinite values are rejected with the index of the first one.
 */
public final class Npy {

	private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };
	private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
	private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
	private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

	private Npy() {}

	/** A parsed header and the data bytes. */
	private static final class Raw {
		String descr, kind;
		boolean fortran;
		long[] shape;
		ByteBuffer data;
		long n;

		/** ImgLib2 dims (first axis fastest). */
		long[] dims() {
			final long[] dims = new long[Math.max(1, shape.length)];
			if (shape.length == 0) dims[0] = 1;
			for (int d = 0; d < shape.length; d++) dims[d] = fortran ? shape[d] : shape[shape.length - 1 - d];
			return dims;
		}
	}

	/** Reads an array; returns data (x fastest) and ImgLib2 dims. */
	public static Volume read(final Path file) throws IOException {
		final Raw r = raw(file, false);
		final float[] out = decodeReal(file, r, 1);
		final long[] dims = r.dims();
		if (dims.length > 4) throw new BadFileException(file, r.shape.length + " axes; Recon4D volumes have at most 4 (x, y, z, t)");
		return Volume.of(out, dims);
	}

	/**
	 * Reads a complex array (complex64 or complex128; real dtypes give zero imaginary parts) as
	 * interleaved (re, im) floats, first axis fastest: the layout of {@link Cfl} and the MRI operators.
	 */
	public static Cfl.Array readComplex(final Path file) throws IOException {
		final Raw r = raw(file, true);
		final float[] out;
		if (r.kind.equals("c8") || r.kind.equals("c16")) {
			final int n = (int) (2 * r.n);
			out = new float[n];
			if (r.kind.equals("c8")) r.data.asFloatBuffer().get(out);
			else for (int i = 0; i < n; i++) out[i] = (float) r.data.getDouble(8 * i);
			for (int i = 0; i < n; i++)
				if (!Float.isFinite(out[i])) throw new BadFileException(file, "value " + i / 2 + " is not finite (NaN or infinite values are not accepted)");
		}
		else out = decodeReal(file, r, 2);
		return new Cfl.Array(r.dims(), out);
	}

	/** Writes little-endian complex64, C order, shape = reversed dims; data interleaved (re, im). */
	public static void writeComplex(final Path file, final float[] interleaved, final long[] dims, final boolean overwrite) throws IOException {
		writeArray(file, "<c8", interleaved, dims, 2, overwrite);
	}

	private static Raw raw(final Path file, final boolean complexAllowed) throws IOException {
		final byte[] all;
		try {
			all = Files.readAllBytes(file);
		}
		catch (final java.nio.file.NoSuchFileException e) {
			throw new BadFileException(file, "no such file", e);
		}
		return raw(file, all, complexAllowed);
	}

	/**
	 * Decodes {@code .npy} bytes (for example an entry of an {@code .npz} archive) as a real array;
	 * {@code label} names the source in errors.
	 */
	public static Volume decode(final Path label, final byte[] bytes) throws BadFileException {
		final Raw r = raw(label, bytes, false);
		return Volume.of(decodeReal(label, r, 1), r.dims());
	}

	/** Encodes little-endian float32 {@code .npy} bytes, C order, shape = reversed dims. */
	public static byte[] encode(final float[] data, final long[] dims) {
		return bytes("<f4", data, dims, 1);
	}

	private static Raw raw(final Path file, final byte[] all, final boolean complexAllowed) throws BadFileException {
		if (all.length < 10) throw new BadFileException(file, "too short for an .npy header (" + all.length + " bytes)");
		for (int i = 0; i < MAGIC.length; i++)
			if (all[i] != MAGIC[i]) throw new BadFileException(file, "not an .npy file (bad magic string)");
		final int major = all[6] & 0xff;
		final ByteBuffer hb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
		final int headerLen, headerStart;
		if (major == 1) { headerLen = hb.getShort(8) & 0xffff; headerStart = 10; }
		else if (major == 2 || major == 3) {
			if (all.length < 12) throw new BadFileException(file, "truncated header");
			headerLen = hb.getInt(8); headerStart = 12;
		}
		else throw new BadFileException(file, "unsupported .npy format version " + major);
		if (headerLen < 0 || headerStart + headerLen > all.length) throw new BadFileException(file, "truncated header (needs " + headerLen + " bytes)");
		final String header = new String(all, headerStart, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
		final String descr = group(file, DESCR, header, "descr");
		final boolean fortran = "True".equals(group(file, FORTRAN, header, "fortran_order"));
		final long[] shape = parseShape(file, group(file, SHAPE, header, "shape"));

		final ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
		final String kind = descr.substring(descr.charAt(0) == '<' || descr.charAt(0) == '>' || descr.charAt(0) == '|' || descr.charAt(0) == '=' ? 1 : 0);
		final int size;
		switch (kind) {
			case "b1": case "u1": case "i1": size = 1; break;
			case "u2": case "i2": size = 2; break;
			case "u4": case "i4": case "f4": size = 4; break;
			case "u8": case "i8": case "f8": size = 8; break;
			case "c8": case "c16":
				if (!complexAllowed) throw new BadFileException(file, "unsupported dtype '" + descr + "' (use bool, integers, float32 or float64; complex data are read by the MRI commands)");
				size = kind.equals("c8") ? 8 : 16;
				break;
			default: throw new BadFileException(file, "unsupported dtype '" + descr + "' (use bool, integers, float32 or float64" + (complexAllowed ? ", complex64 or complex128)" : ")"));
		}
		long n = 1;
		for (final long s : shape) n *= s;
		if (n * (size > 8 ? 2 : 1) > Integer.MAX_VALUE / 2 - 8) throw new BadFileException(file, "array of " + n + " elements is too large");
		final int dataStart = headerStart + headerLen;
		final long need = n * size;
		if (all.length - dataStart < need)
			throw new BadFileException(file, "truncated data: shape " + java.util.Arrays.toString(shape) + " " + descr +
				" needs " + need + " bytes, file has " + (all.length - dataStart));
		final Raw r = new Raw();
		r.descr = descr;
		r.kind = kind;
		r.fortran = fortran;
		r.shape = shape;
		r.n = n;
		r.data = ByteBuffer.wrap(all, dataStart, (int) need).slice().order(order);
		return r;
	}

	/** Real dtypes to float, every stride-th value (stride 2 leaves zero imaginary parts). */
	private static float[] decodeReal(final Path file, final Raw r, final int stride) throws BadFileException {
		final ByteBuffer b = r.data;
		final String kind = r.kind;
		final float[] out = new float[(int) (stride * r.n)];
		for (int i = 0; i < r.n; i++) {
			final float v;
			switch (kind) {
				case "b1": case "i1": v = kind.equals("b1") ? (b.get(i) != 0 ? 1 : 0) : b.get(i); break;
				case "u1": v = b.get(i) & 0xff; break;
				case "i2": v = b.getShort(2 * i); break;
				case "u2": v = b.getShort(2 * i) & 0xffff; break;
				case "i4": v = b.getInt(4 * i); break;
				case "u4": v = b.getInt(4 * i) & 0xffffffffL; break;
				case "i8": v = b.getLong(8 * i); break;
				case "u8": { final long w = b.getLong(8 * i); v = (float) (w >= 0 ? w : w + 0x1p64); break; }
				case "f4": v = b.getFloat(4 * i); break;
				case "f8": v = (float) b.getDouble(8 * i); break;
				default: throw new AssertionError(kind);
			}
			if (!Float.isFinite(v)) throw new BadFileException(file, "value " + i + " is " + v + " (NaN or infinite values are not accepted)");
			out[stride * i] = v;
		}
		return out;
	}

	/** Writes little-endian float32, C order, shape = reversed ImgLib2 dims. */
	public static void write(final Path file, final float[] data, final long[] dims, final boolean overwrite) throws IOException {
		writeArray(file, "<f4", data, dims, 1, overwrite);
	}

	private static void writeArray(final Path file, final String descr, final float[] data, final long[] dims, final int per, final boolean overwrite) throws IOException {
		final byte[] b = bytes(descr, data, dims, per);
		SafeFiles.write(file, overwrite, tmp -> Files.write(tmp, b));
	}

	private static byte[] bytes(final String descr, final float[] data, final long[] dims, final int per) {
		long n = 1;
		for (final long d : dims) n *= d;
		if (per * n != data.length) throw new IllegalArgumentException("dims " + java.util.Arrays.toString(dims) + " do not match " + data.length + " values");
		final StringBuilder shape = new StringBuilder("(");
		for (int d = dims.length - 1; d >= 0; d--) shape.append(dims[d]).append(dims.length == 1 ? ",)" : d == 0 ? ")" : ", ");
		String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
		final int total = 10 + header.length() + 1;
		header = header + " ".repeat((64 - total % 64) % 64) + "\n";
		final ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
		buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
		buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
		buf.asFloatBuffer().put(data);
		return buf.array();
	}

	private static String group(final Path file, final Pattern p, final String header, final String key) throws BadFileException {
		final Matcher m = p.matcher(header);
		if (!m.find()) throw new BadFileException(file, "header has no '" + key + "' entry: " + header.trim());
		return m.group(1);
	}

	private static long[] parseShape(final Path file, final String s) throws BadFileException {
		final List<Long> out = new ArrayList<>();
		for (final String part : s.split(",")) {
			final String t = part.trim().toUpperCase(Locale.ROOT).replace("L", "");
			if (t.isEmpty()) continue;
			try {
				final long v = Long.parseLong(t);
				if (v < 1) throw new BadFileException(file, "shape (" + s + ") has an empty or negative axis");
				out.add(v);
			}
			catch (final NumberFormatException e) {
				throw new BadFileException(file, "cannot parse shape (" + s + ")", e);
			}
		}
		return out.stream().mapToLong(Long::longValue).toArray();
	}
}
