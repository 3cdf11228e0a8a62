package org.recon4d.avatar;

import java.util.stream.IntStream;

/**
 * Self-shadowing by precomputed radiance transfer (Sloan et al. 2002) for the diffuse model:
 * per vertex, the 9 coefficients T_k = (1/A_l) * integral Y_k(w) V(w) max(0, n.w) dw, with V the
 * visibility of the environment from the vertex (rays cast against the mesh through a BVH) and
 * A_l the Lambertian kernel's band weights (pi, 2pi/3, pi/4), so that without occlusion T = Y(n)
 * and the shading E = sum_k T_k L_k uses the same light coefficients L as the unshadowed model.
 * This is the transport Cycles computes with no bounces under an environment light.
 */
public final class Transfer {

	private Transfer() {}

	static final double[] BAND = {Math.PI, 2 * Math.PI / 3, 2 * Math.PI / 3, 2 * Math.PI / 3, Math.PI / 4, Math.PI / 4, Math.PI / 4, Math.PI / 4, Math.PI / 4};

	/** Transfer coefficients (V x 9, row-major) of the posed mesh, {@code rays} directions per vertex. */
	public static float[] compute(final double[] pos, final int[] tri, final float[] normals, final int rays) {
		final Bvh bvh = new Bvh(pos, tri);
		final double[][] dirs = fibonacci(rays);
		final double[][] y = new double[rays][];
		for (int i = 0; i < rays; i++) y[i] = Renderer.sh(dirs[i]);
		final int nv = pos.length / 3;
		final float[] out = new float[9 * nv];
		final double w = 4 * Math.PI / rays;
		IntStream.range(0, nv).parallel().forEach(v -> {
			final double nx = normals[3 * v], ny = normals[3 * v + 1], nz = normals[3 * v + 2];
			final double ox = pos[3 * v] + 1e-4 * nx, oy = pos[3 * v + 1] + 1e-4 * ny, oz = pos[3 * v + 2] + 1e-4 * nz;
			final double[] t = new double[9];
			for (int i = 0; i < rays; i++) {
				final double c = nx * dirs[i][0] + ny * dirs[i][1] + nz * dirs[i][2];
				if (c <= 0) continue;
				if (bvh.hits(ox, oy, oz, dirs[i][0], dirs[i][1], dirs[i][2])) continue;
				for (int k = 0; k < 9; k++) t[k] += w * c * y[i][k];
			}
			for (int k = 0; k < 9; k++) out[9 * v + k] = (float) (t[k] / BAND[k]);
		});
		return out;
	}

	/** Near-uniform unit directions on the sphere (Fibonacci lattice). */
	static double[][] fibonacci(final int n) {
		final double[][] d = new double[n][];
		final double g = Math.PI * (3 - Math.sqrt(5));
		for (int i = 0; i < n; i++) {
			final double z = 1 - (2 * i + 1) / (double) n, r = Math.sqrt(1 - z * z);
			d[i] = new double[] {r * Math.cos(g * i), r * Math.sin(g * i), z};
		}
		return d;
	}

	/** A bounding-volume hierarchy over triangles for any-hit ray queries. */
	static final class Bvh {
		private final double[] p;
		private final int[] tri;
		private final int[] order;
		private final double[] box; // per node: min xyz, max xyz
		private final int[] left, right, start, count;
		private int nodes;

		Bvh(final double[] p, final int[] tri) {
			this.p = p;
			this.tri = tri;
			final int nt = tri.length / 3;
			order = new int[nt];
			for (int i = 0; i < nt; i++) order[i] = i;
			final int cap = 2 * nt + 1;
			box = new double[6 * cap];
			left = new int[cap];
			right = new int[cap];
			start = new int[cap];
			count = new int[cap];
			final double[] centroid = new double[3 * nt];
			for (int t = 0; t < nt; t++)
				for (int k = 0; k < 3; k++) centroid[3 * t + k] = (p[3 * tri[3 * t] + k] + p[3 * tri[3 * t + 1] + k] + p[3 * tri[3 * t + 2] + k]) / 3;
			build(0, nt, centroid);
		}

		private int build(final int from, final int to, final double[] c) {
			final int node = nodes++;
			final double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
			for (int i = from; i < to; i++)
				for (int q = 0; q < 3; q++) {
					final int v = tri[3 * order[i] + q];
					for (int k = 0; k < 3; k++) { b[k] = Math.min(b[k], p[3 * v + k]); b[3 + k] = Math.max(b[3 + k], p[3 * v + k]); }
				}
			System.arraycopy(b, 0, box, 6 * node, 6);
			if (to - from <= 4) {
				start[node] = from;
				count[node] = to - from;
				left[node] = right[node] = -1;
				return node;
			}
			int axis = 0;
			for (int k = 1; k < 3; k++) if (b[3 + k] - b[k] > b[3 + axis] - b[axis]) axis = k;
			final int ax = axis, mid = (from + to) / 2;
			// partial sort of the range by centroid along the axis (nth element)
			final Integer[] idx = new Integer[to - from];
			for (int i = from; i < to; i++) idx[i - from] = order[i];
			java.util.Arrays.sort(idx, (u, v) -> Double.compare(c[3 * u + ax], c[3 * v + ax]));
			for (int i = from; i < to; i++) order[i] = idx[i - from];
			left[node] = build(from, mid, c);
			right[node] = build(mid, to, c);
			count[node] = 0;
			return node;
		}

		boolean hits(final double ox, final double oy, final double oz, final double dx, final double dy, final double dz) {
			final double ix = 1 / dx, iy = 1 / dy, iz = 1 / dz;
			final int[] stack = new int[64];
			int sp = 0;
			stack[sp++] = 0;
			while (sp > 0) {
				final int n = stack[--sp];
				if (!slab(n, ox, oy, oz, ix, iy, iz)) continue;
				if (left[n] < 0) {
					for (int i = start[n]; i < start[n] + count[n]; i++) if (triangle(order[i], ox, oy, oz, dx, dy, dz)) return true;
				} else {
					stack[sp++] = left[n];
					stack[sp++] = right[n];
				}
			}
			return false;
		}

		private boolean slab(final int n, final double ox, final double oy, final double oz, final double ix, final double iy, final double iz) {
			double t0 = 0, t1 = Double.MAX_VALUE;
			final double[] o = {ox, oy, oz}, inv = {ix, iy, iz};
			for (int k = 0; k < 3; k++) {
				double a = (box[6 * n + k] - o[k]) * inv[k], b = (box[6 * n + 3 + k] - o[k]) * inv[k];
				if (a > b) { final double s = a; a = b; b = s; }
				t0 = Math.max(t0, a);
				t1 = Math.min(t1, b);
				if (t0 > t1) return false;
			}
			return true;
		}

		/** Moller-Trumbore, hits at t > 1e-6. */
		private boolean triangle(final int t, final double ox, final double oy, final double oz, final double dx, final double dy, final double dz) {
			final int a = tri[3 * t], b = tri[3 * t + 1], c = tri[3 * t + 2];
			final double e1x = p[3 * b] - p[3 * a], e1y = p[3 * b + 1] - p[3 * a + 1], e1z = p[3 * b + 2] - p[3 * a + 2];
			final double e2x = p[3 * c] - p[3 * a], e2y = p[3 * c + 1] - p[3 * a + 1], e2z = p[3 * c + 2] - p[3 * a + 2];
			final double px = dy * e2z - dz * e2y, py = dz * e2x - dx * e2z, pz = dx * e2y - dy * e2x;
			final double det = e1x * px + e1y * py + e1z * pz;
			if (Math.abs(det) < 1e-14) return false;
			final double inv = 1 / det;
			final double sx = ox - p[3 * a], sy = oy - p[3 * a + 1], sz = oz - p[3 * a + 2];
			final double u = (sx * px + sy * py + sz * pz) * inv;
			if (u < 0 || u > 1) return false;
			final double qx = sy * e1z - sz * e1y, qy = sz * e1x - sx * e1z, qz = sx * e1y - sy * e1x;
			final double v = (dx * qx + dy * qy + dz * qz) * inv;
			if (v < 0 || u + v > 1) return false;
			return (e2x * qx + e2y * qy + e2z * qz) * inv > 1e-6;
		}
	}
}
