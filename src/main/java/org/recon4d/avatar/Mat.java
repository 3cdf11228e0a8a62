package org.recon4d.avatar;

/** Small 4 x 4 (row-major) and quaternion (x, y, z, w) helpers in double precision. */
public final class Mat {

	private Mat() {}

	public static double[] identity() {
		return new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
	}

	public static double[] mul(final double[] a, final double[] b) {
		final double[] c = new double[16];
		for (int i = 0; i < 4; i++)
			for (int j = 0; j < 4; j++) {
				double s = 0;
				for (int k = 0; k < 4; k++) s += a[4 * i + k] * b[4 * k + j];
				c[4 * i + j] = s;
			}
		return c;
	}

	/** T * R * S as glTF composes a node's local matrix. */
	public static double[] trs(final double[] t, final double[] q, final double[] s) {
		final double[] r = rotation(q);
		final double[] m = identity();
		for (int i = 0; i < 3; i++) {
			for (int j = 0; j < 3; j++) m[4 * i + j] = r[3 * i + j] * (s == null ? 1 : s[j]);
			m[4 * i + 3] = t == null ? 0 : t[i];
		}
		return m;
	}

	/** Rotation matrix (3 x 3 row-major) of a unit quaternion (x, y, z, w). */
	public static double[] rotation(final double[] q) {
		if (q == null) return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
		final double x = q[0], y = q[1], z = q[2], w = q[3];
		return new double[] {
			1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
			2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
			2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)};
	}

	/** Inverse of a rigid (rotation + translation) 4 x 4 matrix. */
	public static double[] inverseRigid(final double[] m) {
		final double[] r = identity();
		for (int i = 0; i < 3; i++) {
			for (int j = 0; j < 3; j++) r[4 * i + j] = m[4 * j + i];
			r[4 * i + 3] = -(m[i] * m[3] + m[4 + i] * m[7] + m[8 + i] * m[11]);
		}
		return r;
	}

	/** Largest entry of |R^T R - I| over the 3 x 3 block of a 4 x 4 or 3 x 3 row-major matrix. */
	public static double orthonormalityError(final double[] m, final int stride) {
		double worst = 0;
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++) {
				double s = 0;
				for (int k = 0; k < 3; k++) s += m[stride * k + i] * m[stride * k + j];
				worst = Math.max(worst, Math.abs(s - (i == j ? 1 : 0)));
			}
		return worst;
	}

	public static double[] scale(final double[] v, final double s) {
		final double[] r = v.clone();
		for (int i = 0; i < r.length; i++) r[i] *= s;
		return r;
	}

	/** Column-major float[16] (glTF's layout) to row-major double[16]. */
	public static double[] fromColumnMajor(final float[] c) {
		final double[] r = new double[16];
		for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) r[4 * i + j] = c[4 * j + i];
		return r;
	}

	public static float[] toColumnMajor(final double[] r) {
		final float[] c = new float[16];
		for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) c[4 * j + i] = (float) r[4 * i + j];
		return c;
	}
}
