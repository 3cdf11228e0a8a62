package org.recon4d.io;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * BigDataViewer XML + N5 ({@code bdv.n5} image loader) without the n5 or bdv libraries, which
 * are not on Maven Central. Layout as bigdataviewer-core's BdvN5Format writes it:
 * <pre>
 *   NAME.n5/attributes.json                       {"n5": "4.0.0"}
 *   NAME.n5/setup0/attributes.json                dataType, downsamplingFactors
 *   NAME.n5/setup0/timepointT/attributes.json     resolution, multiScale
 *   NAME.n5/setup0/timepointT/sL/attributes.json  dimensions, blockSize, dataType, compression
 *   NAME.n5/setup0/timepointT/sL/bx/by/bz         block: header + gzip(big-endian float32, x fastest)
 * </pre>
 * One setup, one BDV timepoint per frame; 2D frames are stored with z = 1. Each pyramid level
 * halves x and y (and z when the stack is deeper than one slice).
 * Open with Plugins &gt; BigDataViewer &gt; Open XML/HDF5 in Fiji.
 */
public final class BdvN5 {

	private BdvN5() {}

	/** Writes XML and its sibling N5 folder (named after the XML, ".xml" replaced by ".n5"). */
	public static void write(final Volume v, final Path xml, final boolean overwrite) throws IOException {
		final String base = xml.getFileName().toString().replaceFirst("(?i)\\.xml$", "");
		final Path n5 = xml.toAbsolutePath().resolveSibling(base + ".n5");
		if (!overwrite && Files.exists(n5)) throw new java.nio.file.FileAlreadyExistsException(n5.toString(), null, "exists; pass overwrite=true to replace it");
		if (!overwrite && Files.exists(xml)) throw new java.nio.file.FileAlreadyExistsException(xml.toString(), null, "exists; pass overwrite=true to replace it");
		final List<Volume> levels = Pyramid.levels(v, 16, 4);
		final int nx = (int) v.size("x"), ny = (int) v.size("y"), nz = (int) v.size("z"), nt = (int) v.size("t");
		final double sx = v.spacing("x"), sy = v.spacing("y"), sz = v.has("z") ? v.spacing("z") : 1;
		SafeFiles.write(n5, overwrite, tmp -> {
			json(tmp.resolve("attributes.json"), "{\"n5\":\"4.0.0\"}");
			final StringBuilder f = new StringBuilder("[");
			for (int l = 0; l < levels.size(); l++) {
				final int[] fl = Pyramid.factors(v, l);
				f.append(l == 0 ? "" : ",").append('[').append(fl[0]).append(',').append(fl[1]).append(',').append(fl[2]).append(']');
			}
			f.append(']');
			json(tmp.resolve("setup0/attributes.json"), "{\"downsamplingFactors\":" + f + ",\"dataType\":\"float32\"}");
			for (int t = 0; t < nt; t++) {
				final Path tp = tmp.resolve("setup0/timepoint" + t);
				json(tp.resolve("attributes.json"), String.format(Locale.ROOT, "{\"resolution\":[%s,%s,%s],\"multiScale\":true}", sx, sy, sz));
				for (int l = 0; l < levels.size(); l++) writeLevel(tp.resolve("s" + l), levels.get(l), t, Pyramid.factors(v, l));
			}
		});
		final String unit = v.unit() == null ? "pixel" : v.unit();
		final StringBuilder regs = new StringBuilder();
		for (int t = 0; t < nt; t++)
			regs.append(String.format(Locale.ROOT,
				"    <ViewRegistration timepoint=\"%d\" setup=\"0\">\n      <ViewTransform type=\"affine\">\n" +
				"        <affine>%s 0.0 0.0 0.0 0.0 %s 0.0 0.0 0.0 0.0 %s 0.0</affine>\n      </ViewTransform>\n    </ViewRegistration>\n",
				t, sx, sy, sz));
		final String text = String.format(Locale.ROOT,
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SpimData version=\"0.2\">\n  <BasePath type=\"relative\">.</BasePath>\n" +
			"  <SequenceDescription>\n    <ImageLoader format=\"bdv.n5\" version=\"1.0\">\n      <n5 type=\"relative\">%s</n5>\n    </ImageLoader>\n" +
			"    <ViewSetups>\n      <ViewSetup>\n        <id>0</id>\n        <name>%s</name>\n        <size>%d %d %d</size>\n" +
			"        <voxelSize>\n          <unit>%s</unit>\n          <size>%s %s %s</size>\n        </voxelSize>\n" +
			"        <attributes>\n          <channel>0</channel>\n        </attributes>\n      </ViewSetup>\n" +
			"      <Attributes name=\"channel\">\n        <Channel>\n          <id>0</id>\n          <name>0</name>\n        </Channel>\n      </Attributes>\n" +
			"    </ViewSetups>\n    <Timepoints type=\"range\">\n      <first>0</first>\n      <last>%d</last>\n    </Timepoints>\n" +
			"  </SequenceDescription>\n  <ViewRegistrations>\n%s  </ViewRegistrations>\n</SpimData>\n",
			n5.getFileName(), xmlEscape(base), nx, ny, nz, xmlEscape(unit), sx, sy, sz, nt - 1, regs);
		SafeFiles.write(xml, overwrite, tmp -> Files.write(tmp, text.getBytes(StandardCharsets.UTF_8)));
	}

	private static void writeLevel(final Path ds, final Volume level, final int t, final int[] factors) throws IOException {
		final int nx = (int) level.size("x"), ny = (int) level.size("y"), nz = (int) level.size("z");
		final int bx = 64, by = 64, bz = nz == 1 ? 1 : 64;
		json(ds.resolve("attributes.json"), String.format(Locale.ROOT,
			"{\"dimensions\":[%d,%d,%d],\"blockSize\":[%d,%d,%d],\"dataType\":\"float32\"," +
			"\"compression\":{\"type\":\"gzip\",\"level\":-1,\"useZlib\":false},\"downsamplingFactors\":[%d,%d,%d]}",
			nx, ny, nz, bx, by, bz, factors[0], factors[1], factors[2]));
		final float[] data = level.data();
		final long frame = (long) nx * ny * nz;
		for (int gz = 0; gz * bz < nz; gz++) for (int gy = 0; gy * by < ny; gy++) for (int gx = 0; gx * bx < nx; gx++) {
			final int sx = Math.min(bx, nx - gx * bx), sy = Math.min(by, ny - gy * by), sz = Math.min(bz, nz - gz * bz);
			final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			final DataOutputStream h = new DataOutputStream(bytes);
			h.writeShort(0); // mode: default
			h.writeShort(3); // number of dimensions
			h.writeInt(sx); h.writeInt(sy); h.writeInt(sz);
			try (DataOutputStream z = new DataOutputStream(new GZIPOutputStream(bytes))) {
				for (int k = 0; k < sz; k++) for (int j = 0; j < sy; j++) for (int i = 0; i < sx; i++)
					z.writeFloat(data[(int) (t * frame + ((long) (gz * bz + k) * ny + gy * by + j) * nx + gx * bx + i)]);
			}
			final Path p = ds.resolve(gx + "/" + gy + "/" + gz);
			Files.createDirectories(p.getParent());
			Files.write(p, bytes.toByteArray());
		}
	}

	private static void json(final Path p, final String s) throws IOException {
		Files.createDirectories(p.getParent());
		Files.write(p, s.getBytes(StandardCharsets.UTF_8));
	}

	private static String xmlEscape(final String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}
}
