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
		return t;
	}
}
