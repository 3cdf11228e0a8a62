package org.recon4d.avatar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.recon4d.tensor.Djl;

/**
 * The differentiable half of the rasteriser, in DJL: given the triangle per pixel and the
 * silhouette band from {@link Raster} (plain Java, not differentiated), it recomputes projection,
 * perspective-correct barycentrics, attribute interpolation, vertex normals, spherical-harmonic
 * Lambertian shading and a soft silhouette with autograd, so gradients reach vertex positions,
 * albedo and light. Works in the dtype of the vertex array (float32 for fitting, float64 for
 * the finite-difference test).
 */
public final class DiffRender {

	private DiffRender() {}

	/** Pixels covered in one view and their triangles' vertex indices. */
	public static final class Pixels {
		public final int[] pixel;
		final NDArray ia, ib, ic, px, py;

		public Pixels(final NDManager m, final Raster.View v, final int[] tri, final DataType dtype, final boolean[] keep) {
			int n = 0;
			for (int i = 0; i < v.triangle.length; i++) if (v.triangle[i] >= 0 && (keep == null || keep[i])) n++;
			pixel = new int[n];
			final long[] a = new long[n], b = new long[n], c = new long[n];
			final double[] x = new double[n], y = new double[n];
			n = 0;
			for (int i = 0; i < v.triangle.length; i++) {
				final int t = v.triangle[i];
				if (t < 0 || keep != null && !keep[i]) continue;
				pixel[n] = i;
				a[n] = tri[3 * t];
				b[n] = tri[3 * t + 1];
				c[n] = tri[3 * t + 2];
				x[n] = i % v.width + 0.5;
				y[n] = i / v.width + 0.5;
				n++;
			}
			ia = m.create(a);
			ib = m.create(b);
			ic = m.create(c);
			px = m.create(x).toType(dtype, false);
			py = m.create(y).toType(dtype, false);
		}

		public int size() { return pixel.length; }
	}

	/**
	 * A view of {@code a} owned by {@code m}: results of DJL operations belong to the manager of
	 * the array they are called on, so per-step computations that start from long-lived arrays
	 * (parameters, per-frame constants) go through such a view to be freed with the step.
	 */
	public static NDArray local(final NDArray a, final NDManager m) {
		final NDArray v = a.reshape(a.getShape());
		v.attach(m);
		return v;
	}

	static NDArray rows(final NDArray a, final NDArray idx) {
		return a.get(new NDIndex("{}", idx));
	}

	static NDArray col(final NDArray a, final int c) {
		return a.get(new NDIndex(":, {}", c));
	}

	/** (column, row, depth) per vertex for world positions (V, 3). */
	public static NDArray project(final NDArray posed, final Camera cam) {
		final double[] w = cam.worldToCamera();
		final NDManager m = posed.getManager();
		final double[] rt = {w[0], w[4], w[8], w[1], w[5], w[9], w[2], w[6], w[10]};
		final NDArray r = m.create(rt, new Shape(3, 3)).toType(posed.getDataType(), false);
		final NDArray t = m.create(new double[] {w[3], w[7], w[11]}).toType(posed.getDataType(), false);
		final NDArray xc = posed.matMul(r).add(t);
		final NDArray depth = col(xc, 2).neg();
		final NDArray u = Djl.mul(col(xc, 0).div(depth), cam.fx).add(cam.cx);
		final NDArray v = Djl.mul(col(xc, 1).div(depth), -cam.fy).add(cam.cy);
		return NDArrays.stack(new ai.djl.ndarray.NDList(u, v, depth), 1);
	}

	/** Perspective-correct barycentric weights (P, 3) of the pixel centres. */
	public static NDArray barycentric(final NDArray proj, final Pixels p) {
		final NDArray a = rows(proj, p.ia), b = rows(proj, p.ib), c = rows(proj, p.ic);
		final NDArray ax = col(a, 0), ay = col(a, 1), bx = col(b, 0), by = col(b, 1), cx = col(c, 0), cy = col(c, 1);
		final NDArray area = awayFromZero(bx.sub(ax).mul(cy.sub(ay)).sub(by.sub(ay).mul(cx.sub(ax))), 1e-9);
		final NDArray w0 = bx.sub(p.px).mul(cy.sub(p.py)).sub(by.sub(p.py).mul(cx.sub(p.px))).div(area);
		final NDArray w1 = cx.sub(p.px).mul(ay.sub(p.py)).sub(cy.sub(p.py).mul(ax.sub(p.px))).div(area);
		final NDArray w2 = w0.add(w1).neg().add(1);
		final NDArray q0 = w0.div(col(a, 2)), q1 = w1.div(col(b, 2)), q2 = w2.div(col(c, 2));
		// a triangle that degenerates between two visibility passes must not produce NaN
		final NDArray s = awayFromZero(q0.add(q1).add(q2), 1e-9);
		return NDArrays.stack(new ai.djl.ndarray.NDList(q0.div(s), q1.div(s), q2.div(s)), 1);
	}

	/** x with |x| raised to at least eps (keeping its sign; zero becomes +eps). */
	static NDArray awayFromZero(final NDArray x, final double eps) {
		final NDArray small = x.abs().lt(eps);
		final NDArray sign = x.gte(0).toType(x.getDataType(), false).mul(2).sub(1);
		return NDArrays.where(small, sign.mul(eps), x);
	}

	/** Barycentric interpolation of per-vertex attributes (V, C) at the pixels: (P, C). */
	public static NDArray interpolate(final NDArray attr, final Pixels p, final NDArray lambda) {
		return rows(attr, p.ia).mul(col(lambda, 0).expandDims(1))
			.add(rows(attr, p.ib).mul(col(lambda, 1).expandDims(1)))
			.add(rows(attr, p.ic).mul(col(lambda, 2).expandDims(1)));
	}

	/** Vertex-to-face incidence, padded: index T points at an appended zero row. */
	public static final class Incidence {
		final NDArray ta, tb, tc, faces, facesFlat;
		final int nt;

		public Incidence(final NDManager m, final int nv, final int[] tri) {
			nt = tri.length / 3;
			final int[] count = new int[nv];
			for (final int v : tri) count[v]++;
			int most = 0;
			for (final int c : count) most = Math.max(most, c);
			final long[] f = new long[nv * most];
			java.util.Arrays.fill(f, nt);
			final int[] fill = new int[nv];
			for (int t = 0; t < nt; t++) for (int k = 0; k < 3; k++) { final int v = tri[3 * t + k]; f[v * most + fill[v]++] = t; }
			faces = m.create(f, new Shape(nv, most));
			facesFlat = m.create(f);
			final long[] a = new long[nt], b = new long[nt], c = new long[nt];
			for (int t = 0; t < nt; t++) { a[t] = tri[3 * t]; b[t] = tri[3 * t + 1]; c[t] = tri[3 * t + 2]; }
			ta = m.create(a);
			tb = m.create(b);
			tc = m.create(c);
		}
	}

	/** Area-weighted unit vertex normals of positions (V, 3). */
	public static NDArray vertexNormals(final NDArray pos, final Incidence inc) {
		final NDArray a = rows(pos, inc.ta), e1 = rows(pos, inc.tb).sub(a), e2 = rows(pos, inc.tc).sub(a);
		final NDArray fn = cross(e1, e2);
		final NDArray padded = fn.concat(fn.getManager().zeros(new Shape(1, 3), fn.getDataType()), 0);
		final NDArray gathered = padded.get(new NDIndex("{}", inc.facesFlat)).reshape(inc.faces.getShape().get(0), inc.faces.getShape().get(1), 3);
		return normalize(gathered.sum(new int[] {1}));
	}

	static NDArray cross(final NDArray a, final NDArray b) {
		final NDArray ax = col(a, 0), ay = col(a, 1), az = col(a, 2), bx = col(b, 0), by = col(b, 1), bz = col(b, 2);
		return NDArrays.stack(new ai.djl.ndarray.NDList(ay.mul(bz).sub(az.mul(by)), az.mul(bx).sub(ax.mul(bz)), ax.mul(by).sub(ay.mul(bx))), 1);
	}

	public static NDArray normalize(final NDArray v) {
		return v.div(v.square().sum(new int[] {1}, true).add(1e-20).sqrt());
	}

	/** Real spherical harmonics up to l = 2 at unit vectors (P, 3): (P, 9). */
	public static NDArray shBasis(final NDArray n) {
		final NDArray x = col(n, 0), y = col(n, 1), z = col(n, 2);
		return NDArrays.stack(new ai.djl.ndarray.NDList(
			x.onesLike().mul(0.282095), Djl.mul(y, 0.488603), Djl.mul(z, 0.488603), Djl.mul(x, 0.488603),
			Djl.mul(x.mul(y), 1.092548), Djl.mul(y.mul(z), 1.092548), Djl.mul(Djl.mul(z.square(), 3).sub(1), 0.315392),
			Djl.mul(x.mul(z), 1.092548), Djl.mul(x.square().sub(y.square()), 0.546274)), 1);
	}

	/** Lambertian shading: albedo (P, 3) times the irradiance sum_k L_k Y_k(n), L (9, 3). */
	public static NDArray shade(final NDArray albedo, final NDArray normals, final NDArray light) {
		return albedo.mul(shBasis(normals).matMul(light));
	}

	/** Band pixels of one view with their nearest contour edges and whether the pixel is covered. */
	public static final class Band {
		public final int[] pixel;
		final NDArray ia, ib, valid, px, py, sign;
		final int k;

		public Band(final NDManager m, final Raster.View v, final DataType dtype) {
			k = v.k;
			final int nb = v.bandPixels.length;
			pixel = v.bandPixels.clone();
			final long[] a = new long[nb * k], b = new long[nb * k];
			final double[] ok = new double[nb * k], x = new double[nb * k], y = new double[nb * k], sg = new double[nb];
			for (int i = 0; i < nb; i++) {
				sg[i] = v.triangle[v.bandPixels[i]] >= 0 ? 1 : -1;
				for (int q = 0; q < k; q++) {
					final int s = i * k + q;
					x[s] = v.bandPixels[i] % v.width + 0.5;
					y[s] = v.bandPixels[i] / v.width + 0.5;
					if (v.candidates[2 * s] < 0) continue;
					a[s] = v.candidates[2 * s];
					b[s] = v.candidates[2 * s + 1];
					ok[s] = 1;
				}
			}
			ia = m.create(a);
			ib = m.create(b);
			valid = m.create(ok, new Shape(nb, k)).toType(dtype, false);
			px = m.create(x).toType(dtype, false);
			py = m.create(y).toType(dtype, false);
			sign = m.create(sg).toType(dtype, false);
		}

		public int size() { return pixel.length; }
	}

	/**
	 * Soft silhouette at the band pixels: sigmoid(s d / tau), d the distance in pixels to the
	 * nearest contour edge (the silhouette's boundary), s = +1 where the hard rasteriser covers
	 * the pixel and -1 elsewhere; tau sets the blur. Gradients move the contour edges' vertices.
	 */
	public static NDArray silhouette(final NDArray proj, final Band band, final double tau) {
		final NDArray a = rows(proj, band.ia), b = rows(proj, band.ib);
		final NDArray d2 = edgeDistance2(a, b, band).reshape(band.valid.getShape());
		// invalid slots get a large distance so they never win the minimum
		final NDArray masked = d2.mul(band.valid).add(d2.onesLike().sub(band.valid).mul(1e6f));
		final NDArray d = masked.min(new int[] {1}).add(1e-12f).sqrt();
		return Djl.div(d.mul(band.sign), tau).getNDArrayInternal().sigmoid();
	}

	private static NDArray edgeDistance2(final NDArray a, final NDArray b, final Band band) {
		final NDArray ex = col(b, 0).sub(col(a, 0)), ey = col(b, 1).sub(col(a, 1));
		final NDArray rx = col(a, 0).neg().add(band.px), ry = col(a, 1).neg().add(band.py);
		final NDArray len2 = ex.square().add(ey.square()).add(1e-12);
		final NDArray u = rx.mul(ex).add(ry.mul(ey)).div(len2).clip(0, 1);
		return rx.sub(u.mul(ex)).square().add(ry.sub(u.mul(ey)).square());
	}
}
