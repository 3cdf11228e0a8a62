package org.recon4d.avatar;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.recon4d.io.BadFileException;

/**
 * An avatar capture: frames (image, optional mask/albedo/normal, camera, pose index, split)
 * from a Nerfstudio {@code transforms.json}, and joint rotations per pose from a
 * {@code poses.json} (format in docs/avatar.md). Colours are returned as linear RGB (PNG/TIFF
 * 8-bit data are sRGB-decoded), masks in [0, 1], normals as unit vectors in the world frame.
 */
public final class Dataset {

	public static final class Frame {
		public final Camera camera;
		public final int pose;
		public final String split, name;
		public final float[] rgb, mask, albedo, normal;

		Frame(final Camera camera, final int pose, final String split, final String name, final float[] rgb, final float[] mask,
			final float[] albedo, final float[] normal)
		{
			this.camera = camera;
			this.pose = pose;
			this.split = split;
			this.name = name;
			this.rgb = rgb;
			this.mask = mask;
			this.albedo = albedo;
			this.normal = normal;
		}
	}

	public final List<Frame> frames;
	public final List<Pose> poses;
	public final String[] jointNames;

	private Dataset(final List<Frame> frames, final List<Pose> poses, final String[] jointNames) {
		this.frames = Collections.unmodifiableList(frames);
		this.poses = Collections.unmodifiableList(poses);
		this.jointNames = jointNames;
	}

	public List<Frame> split(final String name) {
		final List<Frame> out = new ArrayList<>();
		for (final Frame f : frames) if (f.split.equals(name)) out.add(f);
		return out;
	}

	/** Reads {@code dir/transforms.json} and {@code dir/poses.json}, checking them against the rig's joints. */
	public static Dataset read(final Path dir, final Rig rig) throws IOException {
		final Path posesFile = dir.resolve("poses.json");
		final List<Pose> poses = readPoses(posesFile, rig);
		final Path tf = dir.resolve("transforms.json");
		if (!Files.isRegularFile(tf)) throw new BadFileException(tf, "no such file (cameras in the Nerfstudio transforms.json convention)");
		final JsonNode root = parse(tf);
		final JsonNode frames = root.get("frames");
		if (frames == null || !frames.isArray() || frames.size() == 0) throw new BadFileException(tf, "no \"frames\" list");
		final List<Frame> out = new ArrayList<>();
		for (int i = 0; i < frames.size(); i++) {
			final JsonNode f = frames.get(i);
			final String where = "frame " + i;
			final int w = intOf(f, root, "w", tf, where), h = intOf(f, root, "h", tf, where);
			final double fx = num(f, root, "fl_x", tf, where), fy = f.has("fl_y") || root.has("fl_y") ? num(f, root, "fl_y", tf, where) : fx;
			final double cx = f.has("cx") || root.has("cx") ? num(f, root, "cx", tf, where) : w / 2.0;
			final double cy = f.has("cy") || root.has("cy") ? num(f, root, "cy", tf, where) : h / 2.0;
			final JsonNode m = f.get("transform_matrix");
			if (m == null || m.size() != 4) throw new BadFileException(tf, where + ": transform_matrix must be 4 x 4");
			final double[] c2w = new double[16];
			for (int r = 0; r < 4; r++) {
				if (m.get(r).size() != 4) throw new BadFileException(tf, where + ": transform_matrix row " + r + " does not have 4 entries");
				for (int c = 0; c < 4; c++) c2w[4 * r + c] = m.get(r).get(c).asDouble();
			}
			final double err = Mat.orthonormalityError(c2w, 4);
			if (err > 1e-3) throw new BadFileException(tf, where + ": the rotation part of transform_matrix is not orthonormal (|R^T R - I| = " + String.format("%.3g", err) + ")");
			final int pose = f.has("pose") ? f.get("pose").asInt() : 0;
			if (pose < 0 || pose >= poses.size()) throw new BadFileException(tf, where + ": pose " + pose + " but " + posesFile.getFileName() + " has " + poses.size() + " poses");
			final String split = f.has("split") ? f.get("split").asText() : "train";
			if (!f.has("file_path")) throw new BadFileException(tf, where + ": no file_path");
			final int slice = f.has("slice") ? f.get("slice").asInt() : 1;
			final float[] rgb = readImage(dir, f.get("file_path").asText(), slice, w, h, 3, true, tf, where);
			// the mask: mask_path, else the RGB image's alpha channel (Nerfstudio's RGBA frames), else none
			final float[] mask = f.has("mask_path") ? readImage(dir, f.get("mask_path").asText(), slice, w, h, 1, false, tf, where)
				: readAlpha(dir.resolve(f.get("file_path").asText()), w, h);
			final float[] alb = f.has("albedo_path") ? readImage(dir, f.get("albedo_path").asText(), slice, w, h, 3, true, tf, where) : null;
			float[] nrm = f.has("normal_path") ? readImage(dir, f.get("normal_path").asText(), slice, w, h, 3, false, tf, where) : null;
			if (nrm != null) for (int k = 0; k < nrm.length; k++) nrm[k] = 2 * nrm[k] - 1;
			out.add(new Frame(new Camera(w, h, fx, fy, cx, cy, c2w), pose, split, f.get("file_path").asText(), rgb, mask, alb, nrm));
		}
		return new Dataset(out, poses, rig.names);
	}

	/** Reads a poses file: {"joints": [...], "poses": [{"name", "rotations": {joint: [x,y,z,w]}, "root_translation"?}]}. */
	public static List<Pose> readPoses(final Path file, final Rig rig) throws IOException {
		if (!Files.isRegularFile(file)) throw new BadFileException(file, "no such file (joint rotations per pose)");
		final JsonNode root = parse(file);
		final JsonNode poses = root.get("poses");
		if (poses == null || !poses.isArray() || poses.size() == 0) throw new BadFileException(file, "no \"poses\" list");
		final List<Pose> out = new ArrayList<>();
		for (int p = 0; p < poses.size(); p++) {
			final JsonNode pose = poses.get(p);
			final double[][] rot = new double[rig.jointCount()][];
			final JsonNode r = pose.get("rotations");
			if (r != null) {
				final var it = r.fields();
				while (it.hasNext()) {
					final var e = it.next();
					final int j = rig.joint(e.getKey());
					if (j < 0) throw new BadFileException(file, "pose " + p + " rotates joint \"" + e.getKey() + "\", which the template does not have");
					final JsonNode q = e.getValue();
					if (q.size() != 4) throw new BadFileException(file, "pose " + p + ", joint " + e.getKey() + ": a rotation is a quaternion [x, y, z, w]");
					final double[] v = {q.get(0).asDouble(), q.get(1).asDouble(), q.get(2).asDouble(), q.get(3).asDouble()};
					final double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2] + v[3] * v[3]);
					if (Math.abs(n - 1) > 1e-3) throw new BadFileException(file, "pose " + p + ", joint " + e.getKey() + ": quaternion norm " + String.format("%.4f", n) + " is not 1 (not a rotation)");
					for (int k = 0; k < 4; k++) v[k] /= n;
					rot[j] = v;
				}
			}
			double[] rootT = null;
			if (pose.has("root_translation")) {
				final JsonNode t = pose.get("root_translation");
				rootT = new double[] {t.get(0).asDouble(), t.get(1).asDouble(), t.get(2).asDouble()};
			}
			out.add(new Pose(pose.has("name") ? pose.get("name").asText() : "pose" + p, rot, rootT));
		}
		final JsonNode joints = root.get("joints");
		if (joints != null)
			for (final JsonNode j : joints)
				if (rig.joint(j.asText()) < 0) throw new BadFileException(file, "joint \"" + j.asText() + "\" is missing from the template");
		return out;
	}

	private static JsonNode parse(final Path file) throws IOException {
		try {
			return new ObjectMapper().readTree(file.toFile());
		} catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
			throw new BadFileException(file, "not valid JSON: " + e.getOriginalMessage(), e);
		}
	}

	private static double num(final JsonNode f, final JsonNode root, final String key, final Path file, final String where) throws BadFileException {
		final JsonNode v = f.has(key) ? f.get(key) : root.get(key);
		if (v == null || !v.isNumber()) throw new BadFileException(file, where + ": no numeric \"" + key + "\" (per frame or global)");
		return v.asDouble();
	}

	private static int intOf(final JsonNode f, final JsonNode root, final String key, final Path file, final String where) throws BadFileException {
		final double v = num(f, root, key, file, where);
		if (v < 1 || v != Math.rint(v)) throw new BadFileException(file, where + ": \"" + key + "\" must be a positive integer");
		return (int) v;
	}

	/**
	 * One image: a PNG/JPEG (ImageIO; {@code slice} does not apply), or slice {@code slice}
	 * (1-based) of a TIFF stack such as a Fiji hyperstack saved per camera (ImageJ's opener; RGB, 8/16-bit grey or 32-bit float in
	 * [0, 1]). Integer data are scaled to [0, 1]; colour data are sRGB-decoded when {@code srgb}.
	 */
	static float[] readImage(final Path dir, final String rel, final int slice, final int w, final int h, final int channels, final boolean srgb,
		final Path tf, final String where) throws IOException
	{
		final Path p = dir.resolve(rel);
		if (!Files.isRegularFile(p)) throw new BadFileException(tf, where + ": image " + rel + " does not exist");
		final String lower = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
		final float[] out = new float[w * h * channels];
		if (lower.endsWith(".tif") || lower.endsWith(".tiff")) {
			final ij.ImagePlus imp = new ij.io.Opener().openTiff(p.getParent().toString() + java.io.File.separator, p.getFileName().toString());
			if (imp == null) throw new BadFileException(p, "not a readable TIFF");
			if (imp.getWidth() != w || imp.getHeight() != h)
				throw new BadFileException(p, "is " + imp.getWidth() + " x " + imp.getHeight() + " but the camera says " + w + " x " + h);
			if (slice < 1 || slice > imp.getStackSize()) throw new BadFileException(tf, where + ": slice " + slice + " of " + rel + ", which has " + imp.getStackSize());
			final ij.process.ImageProcessor ip = imp.getStack().getProcessor(slice);
			final double max = ip instanceof ij.process.ByteProcessor ? 255 : ip instanceof ij.process.ShortProcessor ? 65535 : 1;
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					for (int c = 0; c < channels; c++) {
						final double v;
						if (ip instanceof ij.process.ColorProcessor) v = (ip.get(x, y) >> (16 - 8 * Math.min(c, 2)) & 0xff) / 255.0;
						else v = ip.getf(x, y) / max;
						out[(y * w + x) * channels + c] = (float) (srgb ? srgbToLinear(v) : v);
					}
			return out;
		}
		final BufferedImage img = ImageIO.read(p.toFile());
		if (img == null) throw new BadFileException(p, "not a readable image");
		if (img.getWidth() != w || img.getHeight() != h)
			throw new BadFileException(p, "is " + img.getWidth() + " x " + img.getHeight() + " but the camera says " + w + " x " + h);
		final var raster = img.getRaster();
		final int bands = raster.getNumBands();
		final int bits = img.getColorModel().getComponentSize(0);
		final double max = (1 << bits) - 1;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				for (int c = 0; c < channels; c++) {
					final double v = raster.getSample(x, y, Math.min(c, bands - 1)) / max;
					out[(y * w + x) * channels + c] = (float) (srgb ? srgbToLinear(v) : v);
				}
		return out;
	}

	/** The alpha channel of a PNG in [0, 1], or null when it has none (TIFF stacks carry masks in mask_path). */
	static float[] readAlpha(final Path p, final int w, final int h) throws IOException {
		final String lower = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
		if (lower.endsWith(".tif") || lower.endsWith(".tiff")) return null;
		final BufferedImage img = ImageIO.read(p.toFile());
		if (img == null || !img.getColorModel().hasAlpha()) return null;
		final var raster = img.getAlphaRaster();
		final double max = (1 << img.getColorModel().getComponentSize(img.getColorModel().getNumComponents() - 1)) - 1;
		final float[] out = new float[w * h];
		for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) out[y * w + x] = (float) (raster.getSample(x, y, 0) / max);
		return out;
	}

	public static double srgbToLinear(final double v) {
		return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
	}

	public static double linearToSrgb(final double v) {
		final double x = Math.max(0, Math.min(1, v));
		return x <= 0.0031308 ? 12.92 * x : 1.055 * Math.pow(x, 1 / 2.4) - 0.055;
	}
}
