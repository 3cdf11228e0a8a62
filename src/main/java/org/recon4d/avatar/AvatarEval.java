package org.recon4d.avatar;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.recon4d.metrics.Metrics;

/**
 * Image metrics of a fitted avatar on held-out frames, each against Blender's passes inside the
 * true mask: colour PSNR/SSIM (sRGB, on the mask's bounding box, background black), albedo PSNR
 * after one least-squares scale per channel (albedo and light share a scale ambiguity), and the
 * mean angle between rendered and true normals where both masks agree.
 */
public final class AvatarEval {

	private AvatarEval() {}

	public static Map<String, Double> evaluate(final Rig rig, final float[] light, final List<Pose> poses, final List<Dataset.Frame> frames) {
		return evaluate(rig, light, poses, frames, 0);
	}

	/** With self-shadowing from {@code rays} rays per vertex (computed once per pose, not counted in render_fps). */
	public static Map<String, Double> evaluate(final Rig rig, final float[] light, final List<Pose> poses, final List<Dataset.Frame> frames, final int rays) {
		double psnr = 0, ssim = 0, albedo = 0, normal = 0, seconds = 0;
		int n = 0;
		final Map<Integer, double[]> posedCache = new java.util.HashMap<>();
		final Map<Integer, float[]> normalCache = new java.util.HashMap<>(), transferCache = new java.util.HashMap<>();
		for (final Dataset.Frame f : frames) {
			if (f.mask == null || f.albedo == null || f.normal == null) continue; // nothing to compare with
			final double[] posed = posedCache.computeIfAbsent(f.pose, p -> Skinning.pose(rig, poses.get(p)));
			final float[] vn = normalCache.computeIfAbsent(f.pose, p -> Geometry.vertexNormals(posed, rig.triangles));
			final float[] tr = rays <= 0 ? null : transferCache.computeIfAbsent(f.pose, p -> Transfer.compute(posed, rig.triangles, vn, rays));
			final long t0 = System.nanoTime();
			final Renderer.Image img = Renderer.render(rig, posed, vn, tr, f.camera, light);
			seconds += (System.nanoTime() - t0) / 1e9;
			final int w = f.camera.width, h = f.camera.height;
			// bounding box of the true mask
			int x0 = w, x1 = -1, y0 = h, y1 = -1;
			for (int i = 0; i < w * h; i++)
				if (f.mask[i] > 0.5f) { x0 = Math.min(x0, i % w); x1 = Math.max(x1, i % w); y0 = Math.min(y0, i / w); y1 = Math.max(y1, i / w); }
			if (x1 < 0) continue;
			final int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
			final float[] ours = new float[bw * bh], truth = new float[bw * bh];
			double mseSum = 0;
			for (int k = 0; k < 3; k++) {
				for (int y = 0; y < bh; y++)
					for (int x = 0; x < bw; x++) {
						final int i = (y + y0) * w + x + x0;
						ours[y * bw + x] = (float) (img.mask[i] ? Dataset.linearToSrgb(img.rgb[3 * i + k]) : 0);
						truth[y * bw + x] = (float) (f.mask[i] > 0.5f ? Dataset.linearToSrgb(f.rgb[3 * i + k]) : 0);
					}
				final float[] o = ours.clone(), t = truth.clone();
				for (int i = 0; i < o.length; i++) mseSum += (o[i] - t[i]) * (double) (o[i] - t[i]);
				ssim += Metrics.ssim(o, t, bw, bh) / 3;
			}
			psnr += 10 * Math.log10(1 / (mseSum / (3.0 * bw * bh)));
			// albedo (linear, scale-aligned per channel) and normals inside both masks
			double num = 0, err = 0, ang = 0;
			int cnt = 0;
			final double[] st = new double[3], ss = new double[3];
			for (int i = 0; i < w * h; i++)
				if (img.mask[i] && f.mask[i] > 0.5f)
					for (int k = 0; k < 3; k++) { st[k] += img.albedo[3 * i + k] * (double) f.albedo[3 * i + k]; ss[k] += img.albedo[3 * i + k] * (double) img.albedo[3 * i + k]; }
			for (int i = 0; i < w * h; i++) {
				if (!(img.mask[i] && f.mask[i] > 0.5f)) continue;
				for (int k = 0; k < 3; k++) {
					final double d = st[k] / ss[k] * img.albedo[3 * i + k] - f.albedo[3 * i + k];
					err += d * d;
				}
				double dot = 0, len = 0;
				for (int k = 0; k < 3; k++) { dot += img.normal[3 * i + k] * f.normal[3 * i + k]; len += f.normal[3 * i + k] * f.normal[3 * i + k]; }
				ang += Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(len)))));
				cnt++;
			}
			albedo += 10 * Math.log10(1 / (err / (3.0 * cnt)));
			normal += ang / cnt;
			n++;
		}
		final Map<String, Double> out = new LinkedHashMap<>();
		out.put("psnr", psnr / n);
		out.put("ssim", ssim / n);
		out.put("albedo_psnr", albedo / n);
		out.put("normal_deg", normal / n);
		out.put("render_fps", n / seconds);
		out.put("frames", (double) n);
		return out;
	}

	/** Chamfer distance (m) between the rig posed in each pose and the true posed vertices, averaged. */
	public static double chamfer(final Rig rig, final List<Pose> poses, final List<double[]> truth, final int[] trueTriangles) {
		double s = 0;
		for (int p = 0; p < poses.size(); p++) s += Geometry.chamfer(Skinning.pose(rig, poses.get(p)), rig.triangles, truth.get(p), trueTriangles);
		return s / poses.size();
	}
}
