package org.recon4d.avatar;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class RasterTest {

	@Test
	void projectionReproducesBlendersMasks() throws IOException {
		final Rig rig = AvatarFixture.rig();
		final Dataset data = Dataset.read(AvatarFixture.DIR, rig);
		double worst = 1, sum = 0;
		for (final Dataset.Frame f : data.frames) {
			final double[] posed = AvatarFixture.blenderPosed(f.pose);
			final Raster.View v = Raster.render(f.camera.width, f.camera.height, f.camera.project(posed), rig.triangles, 0, 0);
			int inter = 0, union = 0;
			for (int i = 0; i < v.triangle.length; i++) {
				final boolean a = v.triangle[i] >= 0, b = f.mask[i] > 0.5f;
				if (a && b) inter++;
				if (a || b) union++;
			}
			final double iou = inter / (double) union;
			worst = Math.min(worst, iou);
			sum += iou;
		}
		System.out.printf("mask IoU against Blender: worst %.4f, mean %.4f over %d frames%n", worst, sum / data.frames.size(), data.frames.size());
		assertTrue(worst >= 0.99, "worst IoU " + worst);
	}

	@Test
	void bandListsTheNearestContourEdges() {
		// one triangle: its three edges are the contour; the band pixel's first edge is the nearest
		final double[] proj = {4, 4, 1, 28, 4, 1, 4, 28, 1};
		final Raster.View v = Raster.render(32, 32, proj, new int[] {0, 1, 2}, 2, 2);
		assertTrue(v.covered() > 200 && v.covered() < 320, "covered " + v.covered());
		int inside = 0, outside = 0;
		for (int b = 0; b < v.bandPixels.length; b++) {
			final int p = v.bandPixels[b];
			final double d = Raster.signedDistance(p % 32 + 0.5, p / 32 + 0.5, new double[] {4, 28, 4}, new double[] {4, 4, 28});
			assertTrue(Math.abs(d) <= 4.3, "band pixel at signed distance " + d);
			final int e0 = v.candidates[2 * b * v.k], e1 = v.candidates[2 * b * v.k + 1];
			final double near = Raster.segmentDistance(p % 32 + 0.5, p / 32 + 0.5, proj[3 * e0], proj[3 * e0 + 1], proj[3 * e1], proj[3 * e1 + 1]);
			assertTrue(Math.abs(near - Math.abs(d)) < 1e-9, near + " vs " + d);
			if (d > 0) inside++; else outside++;
		}
		assertTrue(inside > 20 && outside > 20, inside + " / " + outside);
	}
}
