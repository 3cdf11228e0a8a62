package org.recon4d.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Reads and writes volumes by file name: .tif/.tiff, .npy, .ome.zarr/.zarr, and .xml (BDV, write only). */
public final class Volumes {

	private Volumes() {}

	public static Volume read(final Path p) throws IOException {
		final String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
		if (n.endsWith(".tif") || n.endsWith(".tiff")) return Tiff.read(p);
		if (n.endsWith(".npy")) return Npy.read(p);
		if (n.endsWith(".zarr") || n.endsWith(".zarr/")) return OmeZarr.read(p);
		throw new BadFileException(p, "unknown format (use .tif, .npy or .ome.zarr)");
	}

	public static void write(final Volume v, final Path p, final boolean overwrite) throws IOException {
		final String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
		if (n.endsWith(".tif") || n.endsWith(".tiff")) Tiff.write(v, p, overwrite);
		else if (n.endsWith(".npy")) Npy.write(p, v.data(), v.dims(), overwrite);
		else if (n.endsWith(".zarr")) OmeZarr.write(v, p, overwrite);
		else if (n.endsWith(".xml")) BdvN5.write(v, p, overwrite);
		else throw new IllegalArgumentException(p + ": unknown output format (use .tif, .npy, .ome.zarr or .xml for BigDataViewer)");
	}
}
