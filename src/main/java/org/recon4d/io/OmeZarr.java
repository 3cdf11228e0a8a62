package org.recon4d.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.zarr.zarrjava.ZarrException;
import dev.zarr.zarrjava.core.Attributes;
import dev.zarr.zarrjava.core.chunkkeyencoding.Separator;
import dev.zarr.zarrjava.v2.Array;
import dev.zarr.zarrjava.v2.DataType;
import dev.zarr.zarrjava.v2.Group;

/**
 * OME-Zarr v0.4 (OME-NGFF, Zarr v2 storage) for volumes with axes x, y, [z], [t].
 * <p>
 * NGFF lists axes slowest first (t, z, y, x), which is exactly the reverse of the ImgLib2 order,
 * so the flat data is written unchanged. A multiscale pyramid ({@link Pyramid}) is written as
 * datasets "0", "1", ... with scale transforms carrying voxel size and frame interval. Chunks are
 * one frame deep in t and at most 64 in space; zlib compression; '/' dimension separator.
 * Opens in Fiji's N5/Zarr viewer, napari and neuroglancer; Debian's python3-zarr reads it.
 */
public final class OmeZarr {

	private OmeZarr() {}

	public static void write(final Volume v, final Path root, final boolean overwrite) throws IOException {
		final List<Volume> levels = Pyramid.levels(v, 16, 4);
		SafeFiles.write(root, overwrite, tmp -> {
			try {
				final Attributes attrs = new Attributes();
				final Map<String, Object> ms = new LinkedHashMap<>();
				ms.put("version", "0.4");
				ms.put("name", root.getFileName().toString());
				ms.put("axes", axes(v));
				final List<Object> datasets = new ArrayList<>();
				for (int l = 0; l < levels.size(); l++)
					datasets.add(Map.of("path", Integer.toString(l), "coordinateTransformations",
						List.of(Map.of("type", "scale", "scale", reversed(levels.get(l).spacing())))));
				ms.put("datasets", datasets);
				ms.put("type", "mean");
				ms.put("metadata", Map.of("description", "2x block mean in x, y (and z)", "writer", "Recon4D"));
				attrs.put("multiscales", List.of(ms));
				final Group g = Group.create(tmp, attrs);
				for (int l = 0; l < levels.size(); l++) writeLevel(g, Integer.toString(l), levels.get(l));
			}
			catch (final ZarrException e) {
				throw new IOException("cannot write OME-Zarr " + root + ": " + e.getMessage(), e);
			}
		});
	}

	private static List<Object> axes(final Volume v) {
		final List<Object> out = new ArrayList<>();
		final String[] a = v.axes();
		for (int d = a.length - 1; d >= 0; d--) {
			final boolean time = "t".equals(a[d]);
			final Map<String, Object> ax = new LinkedHashMap<>();
			ax.put("name", a[d]);
			ax.put("type", time ? "time" : "space");
			final String unit = ngffUnit(time ? v.timeUnit() : v.unit());
			if (unit != null) ax.put("unit", unit);
			out.add(ax);
		}
		return out;
	}

	/** NGFF allows UDUNITS names only; "pixel"/"frame" have none, so they are left out. */
	static String ngffUnit(final String u) {
		if (u == null) return null;
		switch (u) {
			case "um": case "µm": case "micron": case "micrometer": return "micrometer";
			case "nm": case "nanometer": return "nanometer";
			case "mm": case "millimeter": return "millimeter";
			case "cm": case "centimeter": return "centimeter";
			case "m": case "meter": return "meter";
			case "s": case "sec": case "second": return "second";
			case "ms": case "millisecond": return "millisecond";
			case "min": case "minute": return "minute";
			case "h": case "hour": return "hour";
			default: return null;
		}
	}

	private static List<Double> reversed(final double[] s) {
		final List<Double> out = new ArrayList<>();
		for (int d = s.length - 1; d >= 0; d--) out.add(s[d]);
		return out;
	}

	private static void writeLevel(final Group g, final String name, final Volume v) throws IOException, ZarrException {
		final long[] dims = v.dims();
		final String[] axes = v.axes();
		final int nd = dims.length;
		final long[] shape = new long[nd];
		final int[] chunks = new int[nd], ishape = new int[nd];
		for (int d = 0; d < nd; d++) {
			final int src = nd - 1 - d;
			shape[d] = dims[src];
			ishape[d] = (int) dims[src];
			chunks[d] = "t".equals(axes[src]) ? 1 : (int) Math.min(64, dims[src]);
		}
		final Array a = g.createArray(name, b -> b.withShape(shape).withChunks(chunks).withDataType(DataType.FLOAT32)
			.withFillValue(0f).withDimensionSeparator(Separator.SLASH).withZlibCompressor(5));
		a.write(ucar.ma2.Array.factory(ucar.ma2.DataType.FLOAT, ishape, v.data()));
	}

	/** Reads level 0 of an OME-Zarr written by any NGFF 0.4 writer with axes among t, z, y, x. */
	@SuppressWarnings("unchecked")
	public static Volume read(final Path root) throws IOException {
		if (!Files.isDirectory(root)) throw new BadFileException(root, "no such OME-Zarr folder");
		if (!Files.exists(root.resolve(".zattrs"))) throw new BadFileException(root, "not an OME-Zarr v0.4 group (no .zattrs)");
		try {
			final Group g = Group.open(root);
			final Object msObj = g.metadata().attributes.get("multiscales");
			if (!(msObj instanceof List) || ((List<?>) msObj).isEmpty()) throw new BadFileException(root, "no 'multiscales' metadata");
			final Map<String, Object> ms = (Map<String, Object>) ((List<?>) msObj).get(0);
			final List<Map<String, Object>> axes = (List<Map<String, Object>>) ms.get("axes");
			final List<Map<String, Object>> datasets = (List<Map<String, Object>>) ms.get("datasets");
			if (axes == null || datasets == null || datasets.isEmpty()) throw new BadFileException(root, "multiscales lacks axes or datasets");
			final Map<String, Object> ds0 = datasets.get(0);
			final Array a = Array.open(root.resolve((String) ds0.get("path")));
			final ucar.ma2.Array data = a.read();
			final int[] shape = data.getShape();
			if (shape.length != axes.size()) throw new BadFileException(root, "array has " + shape.length + " axes, metadata lists " + axes.size());
			final int nd = shape.length;
			final long[] dims = new long[nd];
			final String[] names = new String[nd];
			final double[] spacing = new double[nd];
			java.util.Arrays.fill(spacing, 1);
			List<Number> scale = null;
			for (final Map<String, Object> ct : (List<Map<String, Object>>) ds0.getOrDefault("coordinateTransformations", List.of()))
				if ("scale".equals(ct.get("type"))) scale = (List<Number>) ct.get("scale");
			String unit = "pixel", timeUnit = "frame";
			for (int d = 0; d < nd; d++) {
				final Map<String, Object> ax = axes.get(nd - 1 - d);
				names[d] = String.valueOf(ax.get("name"));
				dims[d] = shape[nd - 1 - d];
				if (scale != null) spacing[d] = scale.get(nd - 1 - d).doubleValue();
				if (ax.get("unit") != null) {
					if ("t".equals(names[d])) timeUnit = (String) ax.get("unit");
					else unit = (String) ax.get("unit");
				}
			}
			final float[] values = (float[]) data.get1DJavaArray(float.class);
			for (int i = 0; i < values.length; i++)
				if (!Float.isFinite(values[i])) throw new BadFileException(root, "value " + i + " is " + values[i] + " (NaN or infinite values are not accepted)");
			return new Volume(values, dims, names, spacing, unit, timeUnit);
		}
		catch (final ZarrException | RuntimeException e) {
			throw new BadFileException(root, "cannot read OME-Zarr: " + e.getMessage(), e);
		}
	}
}
