package org.recon4d.avatar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Plain-Java visibility: which triangle covers each pixel centre (nearest, perspective-correct
 * depth), and, for pixels within a band of the silhouette, the nearby contour edges (edges
 * between a front- and a back-facing triangle, which bound the silhouette) that a soft
 * silhouette needs. Nothing here is differentiated: the renderer recomputes barycentrics,
 * shading and the soft silhouette from these indices with autograd.
 */
public final class Raster {

	private Raster() {}

	/** Result of one view: triangle per pixel (-1 = background) and the silhouette band. */
	public static final class View {
		public final int width, height;
		public final int[] triangle;
		/**
		 * band pixels (index y * width + x) and, per band pixel, up to K nearest contour edges
		 * (vertex pairs, 2 ints each, -1 = none): the silhouette's boundary near the pixel
		 */
		public final int[] bandPixels, candidates;
		public final int k;

		View(final int width, final int height, final int[] triangle, final int[] bandPixels, final int[] candidates, final int k) {
			this.width = width;
			this.height = height;
			this.triangle = triangle;
			this.bandPixels = bandPixels;
			this.candidates = candidates;
			this.k = k;
		}

		/** The same visibility without a silhouette band. */
		public View withoutBand() {
			return new View(width, height, triangle, new int[0], new int[0], k);
		}

		public int covered() {
			int n = 0;
			for (final int t : triangle) if (t >= 0) n++;
			return n;
		}

		public boolean[] mask() {
			final boolean[] m = new boolean[triangle.length];
			for (int i = 0; i < m.length; i++) m[i] = triangle[i] >= 0;
			return m;
		}
	}

	/**
	 * @param proj per vertex (column, row, depth) from {@link Camera#project}
	 * @param band half-width in pixels of the silhouette band (0: no band)
	 * @param k contour edges kept per band pixel (the nearest)
	 */
	public static View render(final int width, final int height, final double[] proj, final int[] tri, final double band, final int k) {
		final int[] id = new int[width * height];
		final double[] zbuf = new double[width * height];
		Arrays.fill(id, -1);
		Arrays.fill(zbuf, Double.MAX_VALUE);
		final int nt = tri.length / 3;
		for (int t = 0; t < nt; t++) {
			final int a = tri[3 * t], b = tri[3 * t + 1], c = tri[3 * t + 2];
			final double ax = proj[3 * a], ay = proj[3 * a + 1], az = proj[3 * a + 2];
			final double bx = proj[3 * b], by = proj[3 * b + 1], bz = proj[3 * b + 2];
			final double cx = proj[3 * c], cy = proj[3 * c + 1], cz = proj[3 * c + 2];
			if (az <= 1e-6 || bz <= 1e-6 || cz <= 1e-6) continue; // behind the camera
			final double area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
			if (area == 0) continue;
			final int x0 = Math.max(0, (int) Math.floor(Math.min(ax, Math.min(bx, cx)) - 0.5));
			final int x1 = Math.min(width - 1, (int) Math.ceil(Math.max(ax, Math.max(bx, cx)) - 0.5));
			final int y0 = Math.max(0, (int) Math.floor(Math.min(ay, Math.min(by, cy)) - 0.5));
			final int y1 = Math.min(height - 1, (int) Math.ceil(Math.max(ay, Math.max(by, cy)) - 0.5));
			for (int y = y0; y <= y1; y++)
				for (int x = x0; x <= x1; x++) {
					final double px = x + 0.5, py = y + 0.5;
					final double w0 = ((bx - px) * (cy - py) - (by - py) * (cx - px)) / area;
					final double w1 = ((cx - px) * (ay - py) - (cy - py) * (ax - px)) / area;
					final double w2 = 1 - w0 - w1;
					if (w0 < 0 || w1 < 0 || w2 < 0) continue;
					// perspective-correct depth: 1/z interpolates linearly in screen space
					final double inv = w0 / az + w1 / bz + w2 / cz;
					final double z = 1 / inv;
					final int i = y * width + x;
					if (z < zbuf[i]) {
						zbuf[i] = z;
						id[i] = t;
					}
				}
		}
		if (band <= 0) return new View(width, height, id, new int[0], new int[0], k);
		// band: pixels within `band` of a coverage change
		final int r = (int) Math.ceil(band);
		final boolean[] inBand = new boolean[width * height];
		for (int y = 0; y < height; y++)
			for (int x = 0; x < width; x++) {
				final boolean in = id[y * width + x] >= 0;
				if (x + 1 < width && (id[y * width + x + 1] >= 0) != in || y + 1 < height && (id[(y + 1) * width + x] >= 0) != in)
					for (int dy = -r; dy <= r + 1; dy++)
						for (int dx = -r; dx <= r + 1; dx++) {
							final int xx = x + dx, yy = y + dy;
							if (xx >= 0 && yy >= 0 && xx < width && yy < height) inBand[yy * width + xx] = true;
						}
			}
		final int[] slot = new int[width * height];
		Arrays.fill(slot, -1);
		final List<Integer> pixels = new ArrayList<>();
		for (int i = 0; i < inBand.length; i++) if (inBand[i]) { slot[i] = pixels.size(); pixels.add(i); }
		final int nb = pixels.size();
		// contour edges: mesh edges between a front- and a back-facing triangle (or open edges)
		// contour edges on the silhouette: an occluding contour inside the silhouette (an arm in
		// front of the body) is not a coverage boundary, so an edge is kept only if a pixel near
		// its midpoint is background
		final List<int[]> contour = new ArrayList<>();
		for (final int[] e : contourEdges(proj, tri)) {
			final double mx = (proj[3 * e[0]] + proj[3 * e[1]]) / 2, my = (proj[3 * e[0] + 1] + proj[3 * e[1] + 1]) / 2;
			boolean outside = false;
			for (int dy = -1; dy <= 1 && !outside; dy++)
				for (int dx = -1; dx <= 1 && !outside; dx++) {
					final int x = (int) Math.floor(mx) + dx, y = (int) Math.floor(my) + dy;
					outside = x < 0 || y < 0 || x >= width || y >= height || id[y * width + x] < 0;
				}
			if (outside) contour.add(e);
		}
		final int[] cand = new int[nb * k * 2];
		final double[] score = new double[nb * k];
		Arrays.fill(cand, -1);
		Arrays.fill(score, Double.MAX_VALUE);
		for (final int[] e : contour) {
			final double ax = proj[3 * e[0]], ay = proj[3 * e[0] + 1], bx = proj[3 * e[1]], by = proj[3 * e[1] + 1];
			final int x0 = Math.max(0, (int) Math.floor(Math.min(ax, bx) - band - 1)), x1 = Math.min(width - 1, (int) Math.ceil(Math.max(ax, bx) + band));
			final int y0 = Math.max(0, (int) Math.floor(Math.min(ay, by) - band - 1)), y1 = Math.min(height - 1, (int) Math.ceil(Math.max(ay, by) + band));
			for (int y = y0; y <= y1; y++)
				for (int x = x0; x <= x1; x++) {
					final int s = slot[y * width + x];
					if (s < 0) continue;
					final double d = segmentDistance(x + 0.5, y + 0.5, ax, ay, bx, by);
					int pos = k;
					while (pos > 0 && score[s * k + pos - 1] > d) pos--;
					if (pos >= k) continue;
					for (int q = k - 1; q > pos; q--) {
						score[s * k + q] = score[s * k + q - 1];
						cand[2 * (s * k + q)] = cand[2 * (s * k + q - 1)];
						cand[2 * (s * k + q) + 1] = cand[2 * (s * k + q - 1) + 1];
					}
					score[s * k + pos] = d;
					cand[2 * (s * k + pos)] = e[0];
					cand[2 * (s * k + pos) + 1] = e[1];
				}
		}
		final int[] bp = pixels.stream().mapToInt(Integer::intValue).toArray();
		return new View(width, height, id, bp, cand, k);
	}

	/** Edges whose two triangles face opposite ways in this projection, and edges with one triangle. */
	static List<int[]> contourEdges(final double[] proj, final int[] tri) {
		final java.util.Map<Long, int[]> faces = new java.util.HashMap<>();
		final int nt = tri.length / 3;
		final boolean[] front = new boolean[nt];
		for (int t = 0; t < nt; t++) {
			final int a = tri[3 * t], b = tri[3 * t + 1], c = tri[3 * t + 2];
			front[t] = (proj[3 * b] - proj[3 * a]) * (proj[3 * c + 1] - proj[3 * a + 1]) - (proj[3 * b + 1] - proj[3 * a + 1]) * (proj[3 * c] - proj[3 * a]) > 0;
			for (int e = 0; e < 3; e++) {
				final int u = tri[3 * t + e], v = tri[3 * t + (e + 1) % 3];
				final long key = Math.min(u, v) * 4294967296L + Math.max(u, v);
				final int[] f = faces.computeIfAbsent(key, q -> new int[] {-1, -1});
				if (f[0] < 0) f[0] = t; else f[1] = t;
			}
		}
		final List<int[]> out = new ArrayList<>();
		for (final java.util.Map.Entry<Long, int[]> e : faces.entrySet()) {
			final int[] f = e.getValue();
			if (f[1] < 0 || front[f[0]] != front[f[1]])
				out.add(new int[] {(int) (e.getKey() / 4294967296L), (int) (e.getKey() % 4294967296L)});
		}
		return out;
	}

	static double segmentDistance(final double px, final double py, final double ax, final double ay, final double bx, final double by) {
		final double ex = bx - ax, ey = by - ay, len2 = ex * ex + ey * ey;
		final double u = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * ex + (py - ay) * ey) / len2));
		final double dx = px - ax - u * ex, dy = py - ay - u * ey;
		return Math.sqrt(dx * dx + dy * dy);
	}

	/** Distance from (px, py) to the triangle's boundary, positive inside, negative outside. */
	public static double signedDistance(final double px, final double py, final double[] xs, final double[] ys) {
		double dmin = Double.MAX_VALUE;
		for (int e = 0; e < 3; e++) {
			final double ax = xs[e], ay = ys[e], bx = xs[(e + 1) % 3], by = ys[(e + 1) % 3];
			final double ex = bx - ax, ey = by - ay;
			final double len2 = ex * ex + ey * ey;
			final double u = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * ex + (py - ay) * ey) / len2));
			final double dx = px - ax - u * ex, dy = py - ay - u * ey;
			dmin = Math.min(dmin, Math.sqrt(dx * dx + dy * dy));
		}
		final double area = (xs[1] - xs[0]) * (ys[2] - ys[0]) - (ys[1] - ys[0]) * (xs[2] - xs[0]);
		final double w0 = ((xs[1] - px) * (ys[2] - py) - (ys[1] - py) * (xs[2] - px)) / area;
		final double w1 = ((xs[2] - px) * (ys[0] - py) - (ys[2] - py) * (xs[0] - px)) / area;
		final boolean inside = w0 >= 0 && w1 >= 0 && 1 - w0 - w1 >= 0;
		return inside ? dmin : -dmin;
	}
}
