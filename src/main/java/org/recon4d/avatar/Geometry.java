package org.recon4d.avatar;

import java.util.ArrayList;
import java.util.List;

/** Mesh helpers: angle-weighted vertex normals (Blender's weighting), uniform Laplacian, bounds. */
public final class Geometry {

	private Geometry() {}

	/** Unit vertex normals, each the sum of incident face normals weighted by the corner angle. */
	public static float[] vertexNormals(final double[] p, final int[] tri) {
		final double[] n = new double[p.length];
		for (int t = 0; t < tri.length; t += 3) {
			final int a = tri[t], b = tri[t + 1], c = tri[t + 2];
			final double[] fn = cross(sub(p, b, a), sub(p, c, a));
			final double len = Math.sqrt(dot(fn, fn));
			if (len == 0) continue;
			for (int k = 0; k < 3; k++) fn[k] /= len;
			final int[] v = {a, b, c};
			for (int i = 0; i < 3; i++) {
				final double[] e1 = sub(p, v[(i + 1) % 3], v[i]), e2 = sub(p, v[(i + 2) % 3], v[i]);
				final double cos = dot(e1, e2) / Math.sqrt(dot(e1, e1) * dot(e2, e2));
				final double ang = Math.acos(Math.max(-1, Math.min(1, cos)));
				for (int k = 0; k < 3; k++) n[3 * v[i] + k] += ang * fn[k];
			}
		}
		final float[] out = new float[n.length];
		for (int v = 0; v < n.length; v += 3) {
			final double len = Math.sqrt(n[v] * n[v] + n[v + 1] * n[v + 1] + n[v + 2] * n[v + 2]);
			for (int k = 0; k < 3; k++) out[v + k] = (float) (len > 0 ? n[v + k] / len : 0);
		}
		return out;
	}

	/** Neighbour lists of each vertex (edges of the triangles). */
	public static int[][] neighbours(final int nv, final int[] tri) {
		final List<java.util.Set<Integer>> s = new ArrayList<>();
		for (int v = 0; v < nv; v++) s.add(new java.util.TreeSet<>());
		for (int t = 0; t < tri.length; t += 3)
			for (int i = 0; i < 3; i++) {
				s.get(tri[t + i]).add(tri[t + (i + 1) % 3]);
				s.get(tri[t + (i + 1) % 3]).add(tri[t + i]);
			}
		final int[][] out = new int[nv][];
		for (int v = 0; v < nv; v++) out[v] = s.get(v).stream().mapToInt(Integer::intValue).toArray();
		return out;
	}

	static double[] sub(final double[] p, final int i, final int j) {
		return new double[] {p[3 * i] - p[3 * j], p[3 * i + 1] - p[3 * j + 1], p[3 * i + 2] - p[3 * j + 2]};
	}

	static double[] cross(final double[] a, final double[] b) {
		return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
	}

	static double dot(final double[] a, final double[] b) {
		return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
	}

	/**
	 * Symmetric chamfer distance between two surfaces, each sampled at its vertices and triangle
	 * centroids: mean nearest-neighbour distance one way plus the other, halved (metres).
	 */
	public static double chamfer(final double[] pa, final int[] ta, final double[] pb, final int[] tb) {
		final double[] a = samples(pa, ta), b = samples(pb, tb);
		return 0.5 * (oneWay(a, b) + oneWay(b, a));
	}

	static double[] samples(final double[] p, final int[] tri) {
		final double[] s = new double[p.length + tri.length];
		System.arraycopy(p, 0, s, 0, p.length);
		for (int t = 0; t < tri.length; t += 3)
			for (int k = 0; k < 3; k++) s[p.length + t + k] = (p[3 * tri[t] + k] + p[3 * tri[t + 1] + k] + p[3 * tri[t + 2] + k]) / 3;
		return s;
	}

	private static double oneWay(final double[] a, final double[] b) {
		final int n = a.length / 3, m = b.length / 3;
		return java.util.stream.IntStream.range(0, n).parallel().mapToDouble(i -> {
			final double x = a[3 * i], y = a[3 * i + 1], z = a[3 * i + 2];
			double best = Double.MAX_VALUE;
			for (int q = 0; q < m; q++) {
				final double dx = b[3 * q] - x, dy = b[3 * q + 1] - y, dz = b[3 * q + 2] - z;
				final double d = dx * dx + dy * dy + dz * dz;
				if (d < best) best = d;
			}
			return Math.sqrt(best);
		}).sum() / n;
	}

}
