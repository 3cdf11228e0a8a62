package org.recon4d.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * BART's array files: {@code name.hdr} (text: a "# Dimensions" line, then the sizes, first axis
 * fastest) and {@code name.cfl} (raw little-endian complex64, first axis fastest). Data come back
 * complex interleaved (re, im), the layout of the project's MRI operators, with the dims
 * trailing ones removed (at least one dim kept).
 */
public final class Cfl {

	/** A complex array: interleaved values and dims (without the re/im axis). */
	public static final class Array {
		public final long[] dims;
		public final float[] data;

		public Array(final long[] dims, final float[] data) {
			this.dims = dims;
			this.data = data;
		}
	}

	private Cfl() {}

	/** The base name without .cfl/.hdr; either file name or the base is accepted. */
	public static Path base(final Path p) {
		final String s = p.toString();
		return s.endsWith(".cfl") || s.endsWith(".hdr") ? p.resolveSibling(p.getFileName().toString().substring(0, p.getFileName().toString().length() - 4)) : p;
	}

	public static Array read(final Path path) throws IOException {
		final Path b = base(path);
		final Path hdr = b.resolveSibling(b.getFileName() + ".hdr"), cfl = b.resolveSibling(b.getFileName() + ".cfl");
		final List<String> lines;
		try {
			lines = Files.readAllLines(hdr);
		}
		catch (final NoSuchFileException e) {
			throw new BadFileException(hdr, "no such file (a BART array needs both .hdr and .cfl)", e);
		}
		long[] dims = null;
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).trim().startsWith("# Dimensions")) {
				if (i + 1 >= lines.size()) throw new BadFileException(hdr, "'# Dimensions' has no sizes after it");
				final String[] tok = lines.get(i + 1).trim().split("\\s+");
				dims = new long[tok.length];
				for (int k = 0; k < tok.length; k++) {
					try {
						dims[k] = Long.parseLong(tok[k]);
					}
					catch (final NumberFormatException e) {
						throw new BadFileException(hdr, "dimension '" + tok[k] + "' is not an integer", e);
					}
					if (dims[k] < 1) throw new BadFileException(hdr, "dimension " + k + " is " + dims[k] + "; sizes must be positive");
				}
				break;
			}
		}
		if (dims == null) throw new BadFileException(hdr, "no '# Dimensions' line (not a BART header)");
		long n = 1;
		for (final long d : dims) n = Math.multiplyExact(n, d);
		if (2 * n > Integer.MAX_VALUE - 8) throw new BadFileException(cfl, "array of " + n + " complex values is too large for one Java array");
		final long expect = 8 * n;
		final long size;
		try {
			size = Files.size(cfl);
		}
		catch (final NoSuchFileException e) {
			throw new BadFileException(cfl, "no such file (the header is there, the data are not)", e);
		}
		if (size != expect) throw new BadFileException(cfl, "has " + size + " bytes; the header's dims " + Arrays.toString(dims) + " need " + expect + " (truncated or wrong header)");
		final float[] data = new float[(int) (2 * n)];
		ByteBuffer.wrap(Files.readAllBytes(cfl)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
		int last = dims.length;
		while (last > 1 && dims[last - 1] == 1) last--;
		return new Array(Arrays.copyOf(dims, last), data);
	}

	/** Writes name.hdr and name.cfl; refuses existing files unless overwrite. */
	public static void write(final Path path, final long[] dims, final float[] interleaved, final boolean overwrite) throws IOException {
		final Path b = base(path);
		final Path hdr = b.resolveSibling(b.getFileName() + ".hdr"), cfl = b.resolveSibling(b.getFileName() + ".cfl");
		long n = 1;
		for (final long d : dims) n *= d;
		if (2 * n != interleaved.length) throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " need " + 2 * n + " floats, got " + interleaved.length);
		if (!overwrite) for (final Path p : new Path[] { hdr, cfl })
			if (Files.exists(p)) throw new FileAlreadyExistsException(p.toString(), null, "exists; pass overwrite=true to replace it");
		final List<String> sizes = new ArrayList<>();
		for (int k = 0; k < Math.max(dims.length, 16); k++) sizes.add(Long.toString(k < dims.length ? dims[k] : 1));
		SafeFiles.write(cfl, overwrite, t -> {
			final ByteBuffer bb = ByteBuffer.allocate(4 * interleaved.length).order(ByteOrder.LITTLE_ENDIAN);
			bb.asFloatBuffer().put(interleaved);
			Files.write(t, bb.array());
		});
		SafeFiles.write(hdr, overwrite, t -> Files.writeString(t, "# Dimensions\n" + String.join(" ", sizes) + "\n"));
	}
}
