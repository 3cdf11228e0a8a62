package org.recon4d.util;

/** Vector arithmetic on flat float arrays; reductions accumulate in double. */
public final class Vec {

	private Vec() {}

	public static double dot(final float[] a, final float[] b) {
		if (a.length != b.length) throw new IllegalArgumentException("length " + a.length + " != " + b.length);
		double s = 0;
		for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
		return s;
	}

	public static double norm(final float[] a) {
		return Math.sqrt(dot(a, a));
	}

	public static void scale(final float[] a, final float s) {
		for (int i = 0; i < a.length; i++) a[i] *= s;
	}

	/** a += b */
	public static void add(final float[] a, final float[] b) {
		for (int i = 0; i < a.length; i++) a[i] += b[i];
	}

	/** a += s b */
	public static void axpy(final float[] a, final float s, final float[] b) {
		for (int i = 0; i < a.length; i++) a[i] += s * b[i];
	}

	/** a - b, new array */
	public static float[] sub(final float[] a, final float[] b) {
		final float[] c = new float[a.length];
		for (int i = 0; i < a.length; i++) c[i] = a[i] - b[i];
		return c;
	}

	public static float max(final float[] a) {
		float m = Float.NEGATIVE_INFINITY;
		for (final float v : a) m = Math.max(m, v);
		return m;
	}

	public static float min(final float[] a) {
		float m = Float.POSITIVE_INFINITY;
		for (final float v : a) m = Math.min(m, v);
		return m;
	}

	public static void clampMin(final float[] a, final float lo) {
		for (int i = 0; i < a.length; i++) if (a[i] < lo) a[i] = lo;
	}

	/** Index of the first NaN or infinite value, or -1. */
	public static int firstNonFinite(final float[] a) {
		for (int i = 0; i < a.length; i++) if (!Float.isFinite(a[i])) return i;
		return -1;
	}
}
