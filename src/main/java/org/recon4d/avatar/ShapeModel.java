package org.recon4d.avatar;

/**
 * Body shape as 2J numbers: per bone a length scale l_j (scales the offsets of the joint's
 * children, i.e. the bone's length, and the vertices' coordinate along the bone) and a radius scale r_j (scales the
 * vertices' distance from the bone axis). Each vertex is written relative to each of its (up to
 * four) skinning joints, v = p_j + a_vj u_j + b_vj, and its shaped, posed position is
 * <pre>  sum_k w_k [ G_j (l_j a_vj u_j + r_j b_vj) + q_j(l) ],   q_j(l) = q_root + sum_{i on path to j} l_pa(i) W_pa(i) t_i</pre>
 * which is linear in theta = (l, r): {@code posed = base + B theta}. At theta = 1 it reproduces
 * the rig's skinning exactly; a uniformly scaled body is theta = const. Rest offsets delta (the
 * detail stage) add {@code A_v delta_v} with A_v = sum_k w_k G_j.
 */
public final class ShapeModel {

	public final Rig rig;
	final int nv, nj;
	private final double[][] restWorld;
	private final double[][] axis;

	public ShapeModel(final Rig rig) {
		this.rig = rig;
		this.nv = rig.vertexCount();
		this.nj = rig.jointCount();
		this.restWorld = Skinning.world(rig, null);
		this.axis = new double[nj][];
		for (int j = 0; j < nj; j++) {
			final double[] pj = position(restWorld[j]);
			double[] d = new double[3];
			int kids = 0;
			for (int c = 0; c < nj; c++)
				if (rig.parent[c] == j) {
					final double[] pc = position(restWorld[c]);
					for (int i = 0; i < 3; i++) d[i] += pc[i] - pj[i];
					kids++;
				}
			if (kids == 0 && rig.parent[j] >= 0) {
				final double[] pp = position(restWorld[rig.parent[j]]);
				for (int i = 0; i < 3; i++) d[i] = pj[i] - pp[i];
			}
			final double n = Math.sqrt(Geometry.dot(d, d));
			axis[j] = n < 1e-9 ? new double[] {0, 1, 0} : new double[] {d[0] / n, d[1] / n, d[2] / n};
		}
	}

	public int parameters() { return 2 * nj; }

	public float[] identity() {
		final float[] t = new float[2 * nj];
		java.util.Arrays.fill(t, 1f);
		return t;
	}

	static double[] position(final double[] m) {
		return new double[] {m[3], m[7], m[11]};
	}

	/** The linear map of a pose: {@code base} (3V) and {@code B} (3V x 2J, row-major). */
	public static final class Linear {
		public final float[] base, b, blend;
		public final int rows, cols;

		Linear(final float[] base, final float[] b, final float[] blend, final int rows, final int cols) {
			this.base = base;
			this.b = b;
			this.blend = blend;
			this.rows = rows;
			this.cols = cols;
		}

		public double[] apply(final float[] theta, final float[] delta) {
			final double[] out = new double[rows];
			for (int r = 0; r < rows; r++) {
				double s = base[r];
				for (int c = 0; c < cols; c++) s += b[r * cols + c] * theta[c];
				out[r] = s;
			}
			if (delta != null)
				for (int v = 0; v < rows / 3; v++)
					for (int i = 0; i < 3; i++)
						for (int c = 0; c < 3; c++) out[3 * v + i] += blend[9 * v + 3 * i + c] * delta[3 * v + c];
			return out;
		}
	}

	public Linear linear(final Pose pose) {
		final double[][] world = Skinning.world(rig, pose);
		final double[][] g = new double[nj][9];
		for (int j = 0; j < nj; j++) {
			// G_j = W_j(pose) W_j(rest)^-1 (3 x 3 parts)
			final double[] inv = invert3(restWorld[j]);
			for (int a = 0; a < 3; a++)
				for (int b = 0; b < 3; b++) {
					double s = 0;
					for (int c = 0; c < 3; c++) s += world[j][4 * a + c] * inv[3 * c + b];
					g[j][3 * a + b] = s;
				}
		}
		// c_i = W_pa(i)(pose) t_i  (the posed offset of joint i from its parent)
		final double[][] ci = new double[nj][3];
		for (int i = 0; i < nj; i++) {
			if (rig.parent[i] < 0) continue;
			final double[] wp = world[rig.parent[i]], t = rig.translation[i];
			for (int a = 0; a < 3; a++) ci[i][a] = wp[4 * a] * t[0] + wp[4 * a + 1] * t[1] + wp[4 * a + 2] * t[2];
		}
		int root = 0;
		for (int j = 0; j < nj; j++) if (rig.parent[j] < 0) { root = j; break; }
		final double[] qRoot = position(world[root]);
		final int cols = 2 * nj, rows = 3 * nv;
		final float[] base = new float[rows], b = new float[rows * cols];
		final double[] blend = Skinning.blendedLinear(rig, Skinning.matrices(rig, pose));
		final float[] blendF = new float[blend.length];
		for (int i = 0; i < blend.length; i++) blendF[i] = (float) blend[i];
		for (int v = 0; v < nv; v++) {
			for (int i = 0; i < 3; i++) base[3 * v + i] = (float) qRoot[i];
			for (int k = 0; k < 4; k++) {
				final double w = rig.weights[4 * v + k];
				if (w == 0) continue;
				final int j = rig.joints[4 * v + k];
				final double[] pj = position(restWorld[j]), u = axis[j];
				final double[] d = {rig.positions[3 * v] - pj[0], rig.positions[3 * v + 1] - pj[1], rig.positions[3 * v + 2] - pj[2]};
				final double alpha = Geometry.dot(d, u);
				final double[] beta = {d[0] - alpha * u[0], d[1] - alpha * u[1], d[2] - alpha * u[2]};
				for (int a = 0; a < 3; a++) {
					double gu = 0, gb = 0;
					for (int c = 0; c < 3; c++) { gu += g[j][3 * a + c] * u[c]; gb += g[j][3 * a + c] * beta[c]; }
					b[(3 * v + a) * cols + j] += (float) (w * alpha * gu);
					b[(3 * v + a) * cols + nj + j] += (float) (w * gb);
				}
				// joint position chain
				for (int i = j; i >= 0 && rig.parent[i] >= 0; i = rig.parent[i])
					for (int a = 0; a < 3; a++) b[(3 * v + a) * cols + rig.parent[i]] += (float) (w * ci[i][a]);
			}
		}
		return new Linear(base, b, blendF, rows, cols);
	}

	private static double[] invert3(final double[] m) {
		final double a = m[0], b = m[1], c = m[2], d = m[4], e = m[5], f = m[6], g = m[8], h = m[9], i = m[10];
		final double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
		return new double[] {
			(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det,
			(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det,
			(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det};
	}

	/** The rig with rest geometry shaped by theta and offset by delta (skeleton moved with l). */
	public Rig shaped(final float[] theta, final float[] delta) {
		final double[] rest = linear(null).apply(theta, delta);
		final float[] p = new float[rest.length];
		for (int i = 0; i < p.length; i++) p[i] = (float) rest[i];
		final double[][] t = new double[nj][];
		for (int j = 0; j < nj; j++) t[j] = rig.parent[j] < 0 ? rig.translation[j].clone() : Mat.scale(rig.translation[j], theta[rig.parent[j]]);
		final Rig tmp = rig.withRest(p, t, rig.inverseBind);
		final double[][] w = Skinning.world(tmp, null);
		final double[][] ib = new double[nj][];
		for (int j = 0; j < nj; j++) ib[j] = invertAffine(w[j]);
		return tmp.withRest(p, t, ib);
	}

	private static double[] invertAffine(final double[] m) {
		final double[] r3 = invert3(m);
		final double[] out = Mat.identity();
		for (int a = 0; a < 3; a++) {
			for (int b = 0; b < 3; b++) out[4 * a + b] = r3[3 * a + b];
			out[4 * a + 3] = -(r3[3 * a] * m[3] + r3[3 * a + 1] * m[7] + r3[3 * a + 2] * m[11]);
		}
		return out;
	}
}
