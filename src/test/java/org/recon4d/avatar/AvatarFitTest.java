package org.recon4d.avatar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The staged fit on the Blender fixture from a deflated template, with a short budget. */
class AvatarFitTest {

	@Test
	void deflatedTemplateRecoversShapeAndAppearance() throws IOException {
		final Rig truth = AvatarFixture.rig();
		final Dataset data = Dataset.read(AvatarFixture.DIR, truth);
		final List<double[]> posed = AvatarFixture.blenderPosedAll(data.poses.size());
		final Rig start = truth.scaled(0.8);
		final AvatarFit.Settings s = new AvatarFit.Settings();
		s.appearanceSteps = 30;
		s.shapeSteps = 80;
		s.detailSteps = 0;
		s.finalSteps = 60;
		final AvatarFit.Result r = new AvatarFit(start, data.poses, data.split("train"), s, null, null).run();
		final double before = AvatarEval.chamfer(start, data.poses, posed, truth.triangles);
		final double after = AvatarEval.chamfer(r.rig, data.poses, posed, truth.triangles);
		final Map<String, Double> nv = AvatarEval.evaluate(r.rig, r.light, data.poses, data.split("novel-view"), s.shadowRays);
		System.out.printf("fit in %.1f s: chamfer %.2f -> %.2f mm; novel views %s%n", r.seconds, 1000 * before, 1000 * after, nv);
		// measured 47 -> 1.31 mm with this short budget, bit for bit the same in every run since the
		// autograd constants are kept alive (Djl.mul; before, 1.3 to 19.8 mm); the full budget reaches 1.2 mm
		assertTrue(after < 0.3 * before, "chamfer " + before + " -> " + after);
		assertTrue(nv.get("albedo_psnr") > 28, "albedo PSNR " + nv.get("albedo_psnr"));
		assertTrue(nv.get("normal_deg") < 4, "normal error " + nv.get("normal_deg"));
		// the losses went down within each stage
		assertTrue(loss(r, "shape", 0, 1) > 3 * loss(r, "shape", s.shapeSteps - 1, 1), "silhouette loss should fall");
		assertTrue(loss(r, "appearance", 0, 0) > 3 * loss(r, "appearance", s.appearanceSteps - 1, 0), "colour loss should fall");
	}

	@Test
	void detailStageLowersItsObjectiveWithSmoothOffsets() throws IOException {
		final Rig truth = AvatarFixture.rig();
		final Dataset data = Dataset.read(AvatarFixture.DIR, truth);
		// the template with a smooth 4 cm dent in the front of the chest (not a bone scale)
		final float[] p = truth.positions.clone();
		for (int v = 0; v < p.length / 3; v++) {
			final double dy = p[3 * v + 1] - 1.30, dz = p[3 * v + 2] - 0.12;
			p[3 * v + 2] -= (float) (0.04 * Math.exp(-(dy * dy + p[3 * v] * p[3 * v] + dz * dz) / (2 * 0.08 * 0.08)));
		}
		final Rig start = truth.withRest(p, truth.translation, truth.inverseBind);
		final int[][] nbr = Geometry.neighbours(start.vertexCount(), start.triangles);
		double[] roughness = new double[2];
		for (int run = 0; run < 2; run++) {
			final AvatarFit.Settings s = new AvatarFit.Settings();
			s.appearanceSteps = 30;
			s.shapeSteps = 0;
			s.detailSteps = 15;
			s.detailStep = 0.001;
			s.finalSteps = 0;
			s.laplacian = run == 0 ? 30 : 0; // run 1: plain per-vertex gradient steps
			final AvatarFit.Result r = new AvatarFit(start, data.poses, data.split("train"), s, null, null).run();
			final double first = loss(r, "detail", 0, 1) + 0.1 * loss(r, "detail", 0, 0);
			final double last = loss(r, "detail", s.detailSteps - 1, 1) + 0.1 * loss(r, "detail", s.detailSteps - 1, 0);
			// roughness: mean |delta_v - mean of its neighbours' delta| over mean |delta|
			double lap = 0, size = 0;
			for (int v = 0; v < nbr.length; v++)
				for (int k = 0; k < 3; k++) {
					final double d = r.rig.positions[3 * v + k] - p[3 * v + k];
					double mean = 0;
					for (final int u : nbr[v]) mean += r.rig.positions[3 * u + k] - p[3 * u + k];
					lap += Math.abs(d - mean / nbr[v].length);
					size += Math.abs(d);
				}
			roughness[run] = lap / size;
			System.out.printf("detail stage (lambda %.0f): objective %.5f -> %.5f, roughness %.3f%n", s.laplacian, first, last, roughness[run]);
			if (run == 0) assertTrue(last < first, "the detail stage should lower its objective: " + first + " -> " + last);
		}
		// measured 0.03-0.05 against 1.1
		assertTrue(roughness[0] < 0.3 * roughness[1], "preconditioned offsets should be smoother: " + roughness[0] + " vs " + roughness[1]);
	}

	@Test
	void weightStageImprovesBlurredSkinWeights() throws IOException {
		final Rig truth = AvatarFixture.rig();
		final Dataset data = Dataset.read(AvatarFixture.DIR, truth);
		final List<double[]> posed = AvatarFixture.blenderPosedAll(data.poses.size());
		// the template's weights half-way to uniform over each vertex's joints
		final float[] w = truth.weights.clone();
		for (int v = 0; v < w.length / 4; v++) {
			int nz = 0;
			for (int k = 0; k < 4; k++) if (w[4 * v + k] > 0) nz++;
			for (int k = 0; k < 4; k++) if (w[4 * v + k] > 0) w[4 * v + k] = 0.5f * w[4 * v + k] + 0.5f / nz;
		}
		final Rig start = truth.withWeights(w);
		final AvatarFit.Settings s = new AvatarFit.Settings();
		s.appearanceSteps = 40;
		s.shapeSteps = 0;
		s.weightSteps = 60;
		s.finalSteps = 0;
		final AvatarFit.Result r = new AvatarFit(start, data.poses, data.split("train"), s, null, null).run();
		final double before = AvatarEval.chamfer(start, data.poses, posed, truth.triangles);
		final double after = AvatarEval.chamfer(r.rig, data.poses, posed, truth.triangles);
		final double held0 = Geometry.chamfer(Skinning.pose(start, data.poses.get(3)), truth.triangles, posed.get(3), truth.triangles);
		final double held1 = Geometry.chamfer(Skinning.pose(r.rig, data.poses.get(3)), truth.triangles, posed.get(3), truth.triangles);
		System.out.printf("weight stage: chamfer %.3f -> %.3f mm, held-out pose %.3f -> %.3f mm%n", 1000 * before, 1000 * after, 1000 * held0, 1000 * held1);
		// measured 1.7-3.1 % lower over repeated runs (threaded float sums differ run to run); 1.5 % is the bar
		assertTrue(after < 0.985 * before, "chamfer " + before + " -> " + after);
		assertTrue(held1 < held0, "held-out pose chamfer " + held0 + " -> " + held1);
		assertTrue(loss(r, "weights", 0, 1) > loss(r, "weights", s.weightSteps - 1, 1), "the silhouette loss should fall");
		for (int v = 0; v < r.rig.vertexCount(); v++) {
			double sum = 0;
			for (int k = 0; k < 4; k++) sum += r.rig.weights[4 * v + k];
			assertEquals(1, sum, 1e-5, "weights of vertex " + v);
		}
	}

	@Test
	void framesWithoutMasksFitColourOnly() throws IOException {
		final Rig truth = AvatarFixture.rig();
		final List<Dataset.Frame> train = Dataset.read(AvatarFixture.DIR, truth).split("train");
		final List<Dataset.Frame> unmasked = new java.util.ArrayList<>();
		for (final Dataset.Frame f : train) unmasked.add(new Dataset.Frame(f.camera, f.pose, f.split, f.name, f.rgb, null, null, null));
		final AvatarFit.Settings s = new AvatarFit.Settings();
		s.appearanceSteps = 20;
		s.shapeSteps = 5;
		s.finalSteps = 0;
		final AvatarFit.Result r = new AvatarFit(truth, Dataset.read(AvatarFixture.DIR, truth).poses, unmasked, s, null, null).run();
		assertEquals(0, loss(r, "shape", 4, 1), 0, "no silhouette term without masks");
		assertTrue(loss(r, "appearance", 0, 0) > 3 * loss(r, "appearance", 19, 0), "colour loss should fall");
	}

	private static double loss(final AvatarFit.Result r, final String stage, final int step, final int which) {
		for (final String line : r.log) {
			final String[] f = line.split(",");
			if (f[0].equals(stage) && Integer.parseInt(f[1]) == step) return Double.parseDouble(f[2 + which]);
		}
		throw new AssertionError("no " + stage + " step " + step);
	}
}
