package org.recon4d.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import org.recon4d.avatar.AvatarFit;
import org.recon4d.avatar.AvatarJob;
import org.recon4d.report.BenchTable;

/**
 * {@code ./recon4d bench avatar}: the avatar fit on the Blender-rendered fixture. The fit sees the
 * training frames only (3 poses x 8 cameras); metrics are on held-out cameras (novel-view), on a
 * held-out pose seen by all cameras (novel-pose), and on the geometry (chamfer distance to
 * Blender's posed meshes, mm, averaged over the 4 poses). Methods: {@code fit} from the template
 * deflated to 0.8 (default settings: bone scales, no surface offsets), {@code fit-detail} the same
 * plus 20 Laplacian-preconditioned offset steps, and {@code fit-true-start} from the true
 * template (the ceiling of the appearance model).
 */
public final class AvatarBench {

	private AvatarBench() {}

	@SuppressWarnings("unchecked")
	public static BenchTable run(final Path fixture, final Consumer<String> log) throws IOException {
		final BenchTable t = new BenchTable("avatar", "default AvatarFit settings (150 appearance, 150 shape, 0 or 20 detail, 150 final steps, 128 shadow rays), 2 cores");
		for (final String method : new String[] {"fit", "fit-detail", "fit-true-start"}) {
			final double scale = method.equals("fit-true-start") ? 1.0 : 0.8;
			final AvatarFit.Settings settings = new AvatarFit.Settings();
			if (method.equals("fit-detail")) settings.detailSteps = 20;
			BenchTable.resetPeak();
			final AvatarJob.Outcome r = AvatarJob.run(fixture, fixture.resolve("template.glb"), null, scale, settings, false, null, log);
			final Map<String, Object> m = r.metrics;
			for (final String task : new String[] {"novel-view", "novel-pose"}) {
				final Map<String, Double> e = (Map<String, Double>) m.get(task);
				t.row(task, method, "recon4d", "psnr", e.get("psnr"), "ssim", e.get("ssim"), "albedo_psnr", e.get("albedo_psnr"),
					"normal_deg", e.get("normal_deg"), "seconds", m.get("fit_seconds"), "render_fps", e.get("render_fps"), "peak_mb", BenchTable.peakMb());
			}
			t.row("geometry", method, "recon4d", "chamfer_start", 1000 * (Double) m.get("chamfer_start"), "chamfer_end", 1000 * (Double) m.get("chamfer_end"),
				"seconds", m.get("fit_seconds"));
			log.accept("avatar bench " + method + ": " + m);
		}
		renderSpeed(t, fixture, log);
		return t;
	}

	/**
	 * Render speed against the reference renderer in the same run: Recon4D's Java renderer (with
	 * shadows from precomputed transfer, computed once per pose and counted) against Blender's
	 * Cycles rendering the same 128 x 128 frames through scripts/avatar_blender.py (64 samples).
	 * Blender's time per frame is the difference between runs with 2 and 1 cameras (4 poses
	 * each), so its start-up and scene building cancel. Skipped, with a log line, when
	 * {@code blender} is not installed.
	 */
	static void renderSpeed(final BenchTable t, final Path fixture, final Consumer<String> log) throws IOException {
		final org.recon4d.avatar.Rig rig = org.recon4d.avatar.Glb.read(fixture.resolve("template.glb"));
		final org.recon4d.avatar.Dataset data = org.recon4d.avatar.Dataset.read(fixture, rig);
		final float[] light = new float[27];
		light[0] = light[1] = light[2] = 3f;
		final org.recon4d.avatar.Rig coloured = rig.withColours(new float[rig.positions.length]);
		long t0 = System.nanoTime();
		for (int p = 0; p < data.poses.size(); p++) {
			final double[] posed = org.recon4d.avatar.Skinning.pose(coloured, data.poses.get(p));
			final float[] vn = org.recon4d.avatar.Geometry.vertexNormals(posed, rig.triangles);
			final float[] tr = org.recon4d.avatar.Transfer.compute(posed, rig.triangles, vn, 128);
			for (final org.recon4d.avatar.Dataset.Frame f : data.frames)
				if (f.pose == p) org.recon4d.avatar.Renderer.render(coloured, posed, vn, tr, f.camera, light);
		}
		final double ours = data.frames.size() / ((System.nanoTime() - t0) / 1e9);
		t.row("render", "java-rasteriser", "recon4d", "frames_per_s", ours, "frames", data.frames.size());
		final Path script = Path.of(System.getProperty("recon4d.home", "."), "scripts", "avatar_blender.py");
		final double[] wall = new double[2];
		for (int cams = 1; cams <= 2; cams++) {
			final Path tmp = java.nio.file.Files.createTempDirectory("recon4d-blender");
			try {
				final ProcessBuilder pb = new ProcessBuilder("blender", "-b", "--factory-startup", "--python", script.toString(), "--",
					tmp.resolve("out").toString(), "size=128", "samples=64", "cameras=" + cams).redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile());
				t0 = System.nanoTime();
				final int rc = pb.start().waitFor();
				wall[cams - 1] = (System.nanoTime() - t0) / 1e9;
				if (rc != 0) throw new IOException("blender exited with " + rc + " (log " + tmp.resolve("log.txt") + ")");
			} catch (final IOException e) {
				log.accept("avatar bench: no Blender render-speed comparison (" + e.getMessage() + ")");
				return;
			} catch (final InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			} finally {
				org.recon4d.io.SafeFiles.deleteTree(tmp);
			}
		}
		final double blender = 4 / Math.max(1e-9, wall[1] - wall[0]);
		t.row("render", "cycles-64spp", "blender", "frames_per_s", blender, "frames", 4, "speedup_vs_blender", ours / blender);
		log.accept(String.format(java.util.Locale.ROOT, "avatar bench render: Recon4D %.0f frames/s, Blender Cycles %.2f frames/s", ours, blender));
	}
}
