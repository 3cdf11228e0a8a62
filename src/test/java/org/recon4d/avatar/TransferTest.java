package org.recon4d.avatar;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransferTest {

	@Test
	void convexMeshIsUnshadowedAndTheInsideIsDark() {
		final double[] v = DiffRenderGradientTest.vertices();
		final int[] tri = DiffRenderGradientTest.TRI;
		final float[] n = Geometry.vertexNormals(v, tri);
		// outward normals of a convex mesh: nothing blocks, T equals the unshadowed Y(n)
		final float[] t = Transfer.compute(v, tri, n, 4096);
		double worst = 0;
		for (int i = 0; i < 12; i++) {
			final double[] y = Renderer.sh(new double[] {n[3 * i], n[3 * i + 1], n[3 * i + 2]});
			for (int k = 0; k < 9; k++) worst = Math.max(worst, Math.abs(t[9 * i + k] - y[k]));
		}
		assertTrue(worst < 0.01, "convex transfer vs Y(n): " + worst);
		// the same vertices looking inwards see only the mesh: everything is occluded
		final float[] in = n.clone();
		for (int i = 0; i < in.length; i++) in[i] = -in[i];
		final float[] dark = Transfer.compute(v, tri, in, 1024);
		double most = 0;
		for (final float x : dark) most = Math.max(most, Math.abs(x));
		assertTrue(most < 1e-6, "inside transfer should vanish, got " + most);
	}
}
