package org.recon4d.avatar;

/** Linear blend skinning: v' = sum_k w_k S_{j_k} v with S_j = world_j(pose) * inverseBind_j. */
public final class Skinning {

	private Skinning() {}

	/**
	 * World matrices of the joints; {@code pose} (may be null) replaces the local rotation of the
	 * joints it names, as a glTF animation channel does, and may move the root.
	 */
	public static double[][] world(final Rig rig, final Pose pose) {
		final int n = rig.jointCount();
		final double[][] w = new double[n][];
		for (int j = 0; j < n; j++) world(rig, pose, j, w, 0);
		return w;
	}

	private static double[] world(final Rig rig, final Pose pose, final int j, final double[][] w, final int depth) {
		if (w[j] != null) return w[j];
		if (depth > rig.jointCount()) throw new IllegalArgumentException("the skeleton has a cycle through joint " + rig.names[j]);
		double[] q = rig.rotation[j];
		double[] t = rig.translation[j];
		if (pose != null) {
			final double[] r = pose.rotation(j);
			if (r != null) q = r;
			if (rig.parent[j] < 0 && pose.rootTranslation != null) t = pose.rootTranslation;
		}
		final double[] local = Mat.trs(t, q, rig.scale[j]);
		w[j] = rig.parent[j] < 0 ? local : Mat.mul(world(rig, pose, rig.parent[j], w, depth + 1), local);
		return w[j];
	}

	/** Skinning matrices S_j = world_j(pose) * inverseBind_j. */
	public static double[][] matrices(final Rig rig, final Pose pose) {
		final double[][] w = world(rig, pose);
		final double[][] s = new double[w.length][];
		for (int j = 0; j < w.length; j++) s[j] = Mat.mul(w[j], rig.inverseBind[j]);
		return s;
	}

	/** Posed positions of {@code rest} (same vertex order as the rig) in double precision. */
	public static double[] apply(final Rig rig, final double[][] s, final float[] rest) {
		final int nv = rest.length / 3;
		final double[] out = new double[3 * nv];
		for (int v = 0; v < nv; v++) {
			final double x = rest[3 * v], y = rest[3 * v + 1], z = rest[3 * v + 2];
			for (int k = 0; k < 4; k++) {
				final double wt = rig.weights[4 * v + k];
				if (wt == 0) continue;
				final double[] m = s[rig.joints[4 * v + k]];
				for (int i = 0; i < 3; i++) out[3 * v + i] += wt * (m[4 * i] * x + m[4 * i + 1] * y + m[4 * i + 2] * z + m[4 * i + 3]);
			}
		}
		return out;
	}

	public static double[] pose(final Rig rig, final Pose pose) {
		return apply(rig, matrices(rig, pose), rig.positions);
	}

	/** Per-vertex blended 3 x 3 linear part sum_k w_k R_{j_k} (row-major, 9 per vertex). */
	public static double[] blendedLinear(final Rig rig, final double[][] s) {
		final int nv = rig.vertexCount();
		final double[] out = new double[9 * nv];
		for (int v = 0; v < nv; v++)
			for (int k = 0; k < 4; k++) {
				final double wt = rig.weights[4 * v + k];
				if (wt == 0) continue;
				final double[] m = s[rig.joints[4 * v + k]];
				for (int i = 0; i < 3; i++) for (int c = 0; c < 3; c++) out[9 * v + 3 * i + c] += wt * m[4 * i + c];
			}
		return out;
	}
}
