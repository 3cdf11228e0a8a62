package org.recon4d.avatar;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ColorProcessor;

import org.recon4d.io.Npy;
import org.recon4d.io.SafeFiles;
import org.recon4d.solve.Monitor;

/**
 * Fits an avatar to a capture folder and writes what a user takes away: the rigged, coloured
 * mesh (GLB and OBJ), the light (SH coefficients and a lat-long picture), renders of held-out
 * views, of the held-out pose and a turntable (ImageJ RGB stacks), metrics and loss curves.
 * Existing files are never replaced unless {@code overwrite}.
 */
public final class AvatarJob {

	private AvatarJob() {}

	/** The files {@link #run} writes into its output folder. */
	public static final String[] OUTPUTS = {"avatar.glb", "avatar.obj", "light-sh.json", "environment.png", "renders-novel-view.tif",
		"renders-novel-pose.tif", "turntable.tif", "metrics.json", "curves.csv"};

	public static final class Outcome {
		public final AvatarFit.Result fit;
		public final Map<String, Object> metrics;
		public final ImagePlus turntable;

		Outcome(final AvatarFit.Result fit, final Map<String, Object> metrics, final ImagePlus turntable) {
			this.fit = fit;
			this.metrics = metrics;
			this.turntable = turntable;
		}
	}

	/**
	 * @param startScale scale of the template about its root before fitting (1 = as given; 0.8 is
	 *        the "deflated" start of the benchmark)
	 */
	public static Outcome run(final Path capture, final Path template, final Path out, final double startScale, final AvatarFit.Settings settings,
		final boolean overwrite, final Monitor monitor, final Consumer<String> log) throws IOException
	{
		if (out != null && !overwrite)
			for (final String f : OUTPUTS)
				if (Files.exists(out.resolve(f)))
					throw new java.nio.file.FileAlreadyExistsException(out.resolve(f).toString(), null, "exists; pass overwrite=true to replace it (nothing was fitted)");
		final Rig given = Glb.read(template);
		final Dataset data = Dataset.read(capture, given);
		final List<Dataset.Frame> train = data.split("train");
		if (train.isEmpty()) throw new IllegalArgumentException("no frame has split \"train\" in " + capture.resolve("transforms.json"));
		final Rig start = startScale == 1 ? given : given.scaled(startScale);
		log.accept(String.format(Locale.ROOT, "avatar: %d vertices, %d triangles, %d joints; %d poses; %d training frames of %d", given.vertexCount(),
			given.triangleCount(), given.jointCount(), data.poses.size(), train.size(), data.frames.size()));
		if (out != null) Files.createDirectories(out);
		final AvatarFit.Result fit = new AvatarFit(start, data.poses, train, settings, monitor, log).run();
		final Map<String, Object> metrics = new LinkedHashMap<>();
		metrics.put("fit_seconds", fit.seconds);
		for (final String split : new String[] {"train", "novel-view", "novel-pose"}) {
			final List<Dataset.Frame> frames = data.split(split);
			if (frames.isEmpty() || frames.get(0).albedo == null || frames.get(0).normal == null || frames.get(0).mask == null) continue;
			metrics.put(split, AvatarEval.evaluate(fit.rig, fit.light, data.poses, frames, settings.shadowRays));
		}
		// geometry against the true posed meshes when the capture has them (synthetic data)
		final List<double[]> truth = new ArrayList<>();
		for (int p = 0; p < data.poses.size(); p++) {
			final Path f = capture.resolve("posed").resolve("pose" + p + ".npy");
			if (!Files.isRegularFile(f)) break;
			final float[] v = Npy.read(f).data();
			final double[] d = new double[v.length];
			for (int i = 0; i < v.length; i++) d[i] = v[i];
			truth.add(d);
		}
		if (truth.size() == data.poses.size() && truth.get(0).length == 3 * given.vertexCount()) {
			metrics.put("chamfer_start", AvatarEval.chamfer(start, data.poses, truth, given.triangles));
			metrics.put("chamfer_end", AvatarEval.chamfer(fit.rig, data.poses, truth, given.triangles));
		}
		final ImagePlus turntable = turntable(fit.rig, fit.light, data, 36, settings.shadowRays);
		if (out != null) write(out, fit, data, metrics, turntable, overwrite, settings.shadowRays);
		return new Outcome(fit, metrics, turntable);
	}

	/** A turntable of the fitted avatar in its rest pose: cameras on a circle around the body. */
	public static ImagePlus turntable(final Rig rig, final float[] light, final Dataset data, final int n, final int rays) {
		final Camera ref = data.frames.get(0).camera;
		final double[] posed = Skinning.pose(rig, Pose.rest(rig.jointCount()));
		final float[] vn = Geometry.vertexNormals(posed, rig.triangles);
		final float[] tr = rays > 0 ? Transfer.compute(posed, rig.triangles, vn, rays) : null;
		double cy = 0, lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
		for (int v = 0; v < posed.length; v += 3) { lo = Math.min(lo, posed[v + 1]); hi = Math.max(hi, posed[v + 1]); }
		cy = (lo + hi) / 2;
		final double[] c = ref.centre();
		final double dist = Math.hypot(c[0], c[2]);
		final ImageStack stack = new ImageStack(ref.width, ref.height);
		for (int k = 0; k < n; k++) {
			final double az = 2 * Math.PI * k / n;
			final double[] eye = {dist * Math.sin(az), cy, dist * Math.cos(az)};
			final Camera cam = new Camera(ref.width, ref.height, ref.fx, ref.fy, ref.cx, ref.cy, lookAt(eye, new double[] {0, cy, 0}));
			stack.addSlice("azimuth " + Math.round(Math.toDegrees(az)), rgb(Renderer.render(rig, posed, vn, tr, cam, light)));
		}
		final ImagePlus imp = new ImagePlus("avatar turntable", stack);
		imp.setDimensions(1, 1, n);
		imp.setOpenAsHyperStack(true);
		return imp;
	}

	static double[] lookAt(final double[] eye, final double[] target) {
		final double[] f = {target[0] - eye[0], target[1] - eye[1], target[2] - eye[2]};
		norm(f);
		final double[] r = Geometry.cross(f, new double[] {0, 1, 0});
		norm(r);
		final double[] u = Geometry.cross(r, f);
		return new double[] {r[0], u[0], -f[0], eye[0], r[1], u[1], -f[1], eye[1], r[2], u[2], -f[2], eye[2], 0, 0, 0, 1};
	}

	private static void norm(final double[] v) {
		final double n = Math.sqrt(Geometry.dot(v, v));
		for (int i = 0; i < 3; i++) v[i] /= n;
	}

	static ColorProcessor rgb(final Renderer.Image img) {
		final ColorProcessor cp = new ColorProcessor(img.width, img.height);
		for (int i = 0; i < img.mask.length; i++) {
			if (!img.mask[i]) continue;
			int px = 0;
			for (int k = 0; k < 3; k++) px = px << 8 | (int) Math.round(255 * Dataset.linearToSrgb(img.rgb[3 * i + k]));
			cp.set(i % img.width, i / img.width, px);
		}
		return cp;
	}

	private static void write(final Path out, final AvatarFit.Result fit, final Dataset data, final Map<String, Object> metrics,
		final ImagePlus turntable, final boolean overwrite, final int rays) throws IOException
	{
		Glb.write(fit.rig, out.resolve("avatar.glb"), overwrite);
		SafeFiles.write(out.resolve("avatar.obj"), overwrite, t -> writeObj(fit.rig, t));
		SafeFiles.write(out.resolve("light-sh.json"), overwrite, t -> {
			final Map<String, Object> m = new LinkedHashMap<>();
			m.put("basis", "real spherical harmonics l <= 2 (0.282095; 0.488603 y, z, x; ...), irradiance per channel");
			m.put("coefficients_rgb", fit.light);
			json().writeValue(t.toFile(), m);
		});
		final int ew = 128;
		final float[] env = Renderer.environment(fit.light, ew);
		float max = 1e-6f;
		for (final float v : env) max = Math.max(max, v);
		final BufferedImage bi = new BufferedImage(ew, ew / 2, BufferedImage.TYPE_INT_RGB);
		for (int i = 0; i < ew * ew / 2; i++) {
			int px = 0;
			for (int k = 0; k < 3; k++) px = px << 8 | (int) Math.round(255 * Dataset.linearToSrgb(env[3 * i + k] / max));
			bi.setRGB(i % ew, i / ew, px);
		}
		SafeFiles.write(out.resolve("environment.png"), overwrite, t -> ImageIO.write(bi, "png", t.toFile()));
		for (final String split : new String[] {"novel-view", "novel-pose"}) {
			final List<Dataset.Frame> frames = data.split(split);
			if (frames.isEmpty()) continue;
			final ImageStack stack = new ImageStack(frames.get(0).camera.width, frames.get(0).camera.height);
			for (final Dataset.Frame f : frames) stack.addSlice(f.name, rgb(Renderer.render(fit.rig, data.poses.get(f.pose), f.camera, fit.light, rays)));
			final ImagePlus imp = new ImagePlus("avatar " + split, stack);
			SafeFiles.write(out.resolve("renders-" + split + ".tif"), overwrite, t -> new FileSaver(imp).saveAsTiffStack(t.toString()));
		}
		SafeFiles.write(out.resolve("turntable.tif"), overwrite, t -> new FileSaver(turntable).saveAsTiffStack(t.toString()));
		SafeFiles.write(out.resolve("metrics.json"), overwrite, t -> json().writeValue(t.toFile(), metrics));
		SafeFiles.write(out.resolve("curves.csv"), overwrite, t -> {
			try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(t, StandardCharsets.UTF_8))) {
				w.println("stage,step,colour_mse,silhouette_mse");
				for (final String line : fit.log) w.println(line);
			}
		});
	}

	static ObjectMapper json() {
		return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
	}

	/** Wavefront OBJ of the rest mesh with per-vertex colours ("v x y z r g b", linear albedo). */
	static void writeObj(final Rig rig, final Path file) throws IOException {
		try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
			w.println("# Recon4D avatar: rest pose, metres, Y up; vertex colours are the fitted linear albedo");
			final float[] n = Geometry.vertexNormals(toDouble(rig.positions), rig.triangles);
			for (int v = 0; v < rig.vertexCount(); v++) {
				if (rig.colours != null)
					w.printf(Locale.ROOT, "v %.6f %.6f %.6f %.4f %.4f %.4f%n", rig.positions[3 * v], rig.positions[3 * v + 1], rig.positions[3 * v + 2],
						rig.colours[3 * v], rig.colours[3 * v + 1], rig.colours[3 * v + 2]);
				else w.printf(Locale.ROOT, "v %.6f %.6f %.6f%n", rig.positions[3 * v], rig.positions[3 * v + 1], rig.positions[3 * v + 2]);
			}
			for (int v = 0; v < rig.vertexCount(); v++) w.printf(Locale.ROOT, "vn %.5f %.5f %.5f%n", n[3 * v], n[3 * v + 1], n[3 * v + 2]);
			for (int t = 0; t < rig.triangles.length; t += 3) {
				final int a = rig.triangles[t] + 1, b = rig.triangles[t + 1] + 1, c = rig.triangles[t + 2] + 1;
				w.printf(Locale.ROOT, "f %d//%d %d//%d %d//%d%n", a, a, b, b, c, c);
			}
		}
	}

	static double[] toDouble(final float[] f) {
		final double[] d = new double[f.length];
		for (int i = 0; i < f.length; i++) d[i] = f[i];
		return d;
	}
}
