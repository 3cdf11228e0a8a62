package org.recon4d.op.tomo;

import java.util.Arrays;

import org.recon4d.op.LinearOperator;
import org.recon4d.util.Parallel;

/**
 * 2D parallel-beam X-ray transform (Joseph's method) with an exactly matched adjoint, batched over
 * slices z and time frames t, each frame with its own list of view angles.
 * <p>
 * Geometry (pixel units): pixel (i, j) sits at (x, y) = (i - (nx-1)/2, j - (ny-1)/2); detector bin k
 * at s = k - (m-1)/2 with unit spacing; the ray of angle theta through bin s is the line
 * {@code x cos(theta) + y sin(theta) = s}. With {@code c = max(|cos|, |sin|)} the system matrix is
 * <pre>
 *   A[(k, theta), (i, j)] = (1/c) tri((s_k - x_i cos(theta) - y_j sin(theta)) / c),  tri(u) = max(0, 1 - |u|)
 * </pre>
 * which is Joseph's ray-driven linear interpolation (one sample per row or column, weight 1/c).
 * {@link #apply} evaluates it ray by ray (a gather over pixels); {@link #adjoint} evaluates the
 * transpose pixel by pixel (a gather over detector bins with the same formula). Both are gathers,
 * so both run in parallel without atomics, and they agree to float rounding (dot-product test
 * ~1e-7). The same entries drive {@link GatherProjector}, the autograd version.
 * <p>
 * Shapes: domain (nx, ny, nz, nt), range (m, views, nz, nt), first axis fastest. Memory: no matrix
 * is stored; cost per apply is O(views * m * max(nx, ny)) per slice and frame.
 */
public final class ParallelBeamProjector implements LinearOperator {

	private final int nx, ny, nz, nt, m, views;
	private final double[][] angles; // [t][view], radians
	private final double[][] cos, sin;

	/**
	 * @param nx image width, @param ny image height, @param nz slices, @param detectors bins m
	 * @param anglesPerFrame [t][view] in radians; every frame has the same number of views
	 */
	public ParallelBeamProjector(final int nx, final int ny, final int nz, final int detectors,
		final double[][] anglesPerFrame)
	{
		if (nx < 1 || ny < 1 || nz < 1 || detectors < 1)
			throw new IllegalArgumentException("sizes must be positive: nx=" + nx + " ny=" + ny + " nz=" + nz + " detectors=" + detectors);
		if (anglesPerFrame.length == 0 || anglesPerFrame[0].length == 0)
			throw new IllegalArgumentException("no projection angles given");
		this.nx = nx; this.ny = ny; this.nz = nz; this.m = detectors;
		this.nt = anglesPerFrame.length;
		this.views = anglesPerFrame[0].length;
		this.angles = new double[nt][];
		this.cos = new double[nt][views];
		this.sin = new double[nt][views];
		for (int t = 0; t < nt; t++) {
			if (anglesPerFrame[t].length != views)
				throw new IllegalArgumentException("frame " + t + " has " + anglesPerFrame[t].length +
					" views, frame 0 has " + views + ": every frame needs the same number of views");
			angles[t] = anglesPerFrame[t].clone();
			for (int v = 0; v < views; v++) {
				if (!Double.isFinite(angles[t][v])) throw new IllegalArgumentException("angle " + v + " of frame " + t + " is not finite");
				cos[t][v] = Math.cos(angles[t][v]);
				sin[t][v] = Math.sin(angles[t][v]);
			}
		}
	}

	/** Static acquisition: one frame. */
	public static ParallelBeamProjector of(final int n, final int detectors, final double[] angles) {
		return new ParallelBeamProjector(n, n, 1, detectors, new double[][] { angles });
	}

	public int nx() { return nx; }
	public int ny() { return ny; }
	public int nz() { return nz; }
	public int frames() { return nt; }
	public int detectors() { return m; }
	public int views() { return views; }
	public double[][] angles() {
		final double[][] a = new double[nt][];
		for (int t = 0; t < nt; t++) a[t] = angles[t].clone();
		return a;
	}

	@Override public long[] domainShape() { return new long[] { nx, ny, nz, nt }; }
	@Override public long[] rangeShape() { return new long[] { m, views, nz, nt }; }
	@Override public String name() { return "ParallelBeam(" + nx + "x" + ny + "x" + nz + "x" + nt + ", " + m + " bins, " + views + " views)"; }

	@Override
	public void apply(final float[] x, final float[] y) {
		check(x.length == domainSize() && y.length == rangeSize(), "apply: vector sizes " + x.length + "/" + y.length);
		Parallel.forEach(nt * nz * views, task -> {
			final int v = task % views, tz = task / views, t = tz / nz;
			projectView(x, tz * nx * ny, y, (tz * views + v) * m, cos[t][v], sin[t][v]);
		});
	}

	private void projectView(final float[] img, final int io, final float[] sino, final int so, final double c, final double s) {
		final double cx = (nx - 1) / 2.0, cy = (ny - 1) / 2.0, cs = (m - 1) / 2.0;
		if (Math.abs(c) >= Math.abs(s)) {
			// step over rows j: x = (s_k - y_j sin) / cos
			final double inv = 1 / Math.abs(c), dfx = -s / c;
			for (int k = 0; k < m; k++) {
				final double sk = k - cs;
				double fx = (sk + cy * s) / c + cx; // at j = 0
				double acc = 0;
				for (int j = 0; j < ny; j++, fx += dfx) {
					final int i0 = (int) Math.floor(fx);
					if (i0 < -1 || i0 >= nx) continue;
					final double w = fx - i0;
					final int row = io + j * nx;
					if (i0 >= 0) acc += (1 - w) * img[row + i0];
					if (i0 + 1 < nx) acc += w * img[row + i0 + 1];
				}
				sino[so + k] = (float) (acc * inv);
			}
		}
		else {
			// step over columns i: y = (s_k - x_i cos) / sin
			final double inv = 1 / Math.abs(s), dfy = -c / s;
			for (int k = 0; k < m; k++) {
				final double sk = k - cs;
				double fy = (sk + cx * c) / s + cy; // at i = 0
				double acc = 0;
				for (int i = 0; i < nx; i++, fy += dfy) {
					final int j0 = (int) Math.floor(fy);
					if (j0 < -1 || j0 >= ny) continue;
					final double w = fy - j0;
					if (j0 >= 0) acc += (1 - w) * img[io + j0 * nx + i];
					if (j0 + 1 < ny) acc += w * img[io + (j0 + 1) * nx + i];
				}
				sino[so + k] = (float) (acc * inv);
			}
		}
	}

	@Override
	public void adjoint(final float[] y, final float[] x) {
		check(x.length == domainSize() && y.length == rangeSize(), "adjoint: vector sizes " + y.length + "/" + x.length);
		backproject(y, x, false);
	}

	/**
	 * Pixel-driven backprojection with linear interpolation of the sinogram at s = x cos + y sin.
	 * Not the exact adjoint of {@link #apply}; it is the smoother interpolator FBP wants.
	 */
	public void backprojectLinear(final float[] y, final float[] x) {
		check(x.length == domainSize() && y.length == rangeSize(), "backproject: vector sizes " + y.length + "/" + x.length);
		backproject(y, x, true);
	}

	private void backproject(final float[] y, final float[] x, final boolean linear) {
		// two separate kernels: one shared loop with a mode flag compiles to much slower code
		if (linear) Parallel.forEach(nt * nz * ny, task -> rowLinear(y, x, task));
		else Parallel.forEach(nt * nz * ny, task -> rowJoseph(y, x, task));
	}

	/** Row j of slice/frame tz: sum over views of the sinogram linearly interpolated at s = x cos + y sin. */
	private void rowLinear(final float[] y, final float[] x, final int task) {
		final int j = task % ny, tz = task / ny, t = tz / nz;
		final double cx = (nx - 1) / 2.0, cy = (ny - 1) / 2.0, cs = (m - 1) / 2.0, yj = j - cy;
		final double[] row = new double[nx];
		for (int v = 0; v < views; v++) {
			final double c = cos[t][v];
			final int so = (tz * views + v) * m;
			double fk = -cx * c + yj * sin[t][v] + cs; // detector coordinate of pixel i = 0
			for (int i = 0; i < nx; i++, fk += c) {
				final int k0 = (int) Math.floor(fk);
				if (k0 < -1 || k0 >= m) continue;
				final double w = fk - k0;
				double a = 0;
				if (k0 >= 0) a += (1 - w) * y[so + k0];
				if (k0 + 1 < m) a += w * y[so + k0 + 1];
				row[i] += a;
			}
		}
		final int o = (tz * ny + j) * nx;
		for (int i = 0; i < nx; i++) x[o + i] = (float) row[i];
	}

	/**
	 * Row j of the exact adjoint: pixel (i, j) collects (1/c) tri((s_k - s0)/c) y_k (at most two
	 * bins, since the tent's half-width c is at most 1).
	 */
	private void rowJoseph(final float[] y, final float[] x, final int task) {
		final int j = task % ny, tz = task / ny, t = tz / nz;
		final double cx = (nx - 1) / 2.0, cy = (ny - 1) / 2.0, cs = (m - 1) / 2.0, yj = j - cy;
		final double[] row = new double[nx];
		for (int v = 0; v < views; v++) {
			final double c = cos[t][v], s = sin[t][v];
			final int so = (tz * views + v) * m;
			final double cw = Math.max(Math.abs(c), Math.abs(s)), inv = 1 / cw;
			double fk = -cx * c + yj * s + cs;
			for (int i = 0; i < nx; i++, fk += c) {
				// bins strictly inside (fk - cw, fk + cw); measured faster than a two-bin closed form
				final int lo = Math.max(0, (int) Math.floor(fk - cw) + 1), hi = Math.min(m - 1, (int) Math.floor(fk + cw));
				double a = 0;
				for (int k = lo; k <= hi; k++) {
					final double u = 1 - Math.abs(k - fk) * inv;
					if (u > 0) a += u * y[so + k];
				}
				row[i] += a * inv;
			}
		}
		final int o = (tz * ny + j) * nx;
		for (int i = 0; i < nx; i++) x[o + i] = (float) row[i];
	}

	/**
	 * Enumerates the nonzero entries of one system-matrix row (ray k of view v in slice z, frame t):
	 * calls {@code sink.accept(flatPixelIndex, weight)}. Used to build gather tables.
	 */
	public void rayEntries(final int t, final int z, final int v, final int k, final EntrySink sink) {
		final double c = cos[t][v], s = sin[t][v];
		final double cx = (nx - 1) / 2.0, cy = (ny - 1) / 2.0, sk = k - (m - 1) / 2.0;
		final int io = (t * nz + z) * nx * ny;
		if (Math.abs(c) >= Math.abs(s)) {
			final double inv = 1 / Math.abs(c);
			for (int j = 0; j < ny; j++) {
				final double fx = (sk - (j - cy) * s) / c + cx;
				final int i0 = (int) Math.floor(fx);
				final double w = fx - i0;
				if (i0 >= 0 && i0 < nx) sink.accept(io + j * nx + i0, (float) ((1 - w) * inv));
				if (i0 + 1 >= 0 && i0 + 1 < nx) sink.accept(io + j * nx + i0 + 1, (float) (w * inv));
			}
		}
		else {
			final double inv = 1 / Math.abs(s);
			for (int i = 0; i < nx; i++) {
				final double fy = (sk - (i - cx) * c) / s + cy;
				final int j0 = (int) Math.floor(fy);
				final double w = fy - j0;
				if (j0 >= 0 && j0 < ny) sink.accept(io + j0 * nx + i, (float) ((1 - w) * inv));
				if (j0 + 1 >= 0 && j0 + 1 < ny) sink.accept(io + (j0 + 1) * nx + i, (float) (w * inv));
			}
		}
	}

	/**
	 * Zeroes x outside the field of view: the disc of radius m/2 (detector half-width) that every
	 * view sees, as scikit-image's circle=True does. Applies to every slice and frame of x.
	 */
	public void maskFieldOfView(final float[] x) {
		final double r2 = m * m / 4.0, cx = (nx - 1) / 2.0, cy = (ny - 1) / 2.0;
		for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) {
			final double dx = i - cx, dy = j - cy;
			if (dx * dx + dy * dy <= r2) continue;
			for (int p = j * nx + i; p < x.length; p += nx * ny) x[p] = 0;
		}
	}

	/** Most entries any row can have (two per step along the longer image axis). */
	public int maxEntriesPerRay() {
		return 2 * Math.max(nx, ny);
	}

	@FunctionalInterface
	public interface EntrySink {
		void accept(int index, float weight);
	}

	private static void check(final boolean ok, final String msg) {
		if (!ok) throw new IllegalArgumentException(msg);
	}

	@Override
	public String toString() {
		return name() + " angles[0]=" + Arrays.toString(Arrays.copyOf(angles[0], Math.min(4, views)));
	}
}
