package org.recon4d.op;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.recon4d.util.Vec;

/**
 * Operator algebra (composition, scaling, sums, vertical stacks, identity) and the
 * dot-product adjoint test. Every composite knows its own adjoint from its structure.
 */
public final class Operators {

	private Operators() {}

	public static long product(final long[] s) {
		long p = 1;
		for (final long v : s) p *= v;
		return p;
	}

	/** outer o inner. */
	public static LinearOperator compose(final LinearOperator outer, final LinearOperator inner) {
		if (product(outer.domainShape()) != product(inner.rangeShape()))
			throw new IllegalArgumentException("cannot compose " + outer.name() + " (domain " +
				Arrays.toString(outer.domainShape()) + ") after " + inner.name() + " (range " +
				Arrays.toString(inner.rangeShape()) + ")");
		return new LinearOperator() {
			@Override public long[] domainShape() { return inner.domainShape(); }
			@Override public long[] rangeShape() { return outer.rangeShape(); }
			@Override public void apply(final float[] x, final float[] y) { outer.apply(inner.apply(x), y); }
			@Override public void adjoint(final float[] y, final float[] x) { inner.adjoint(outer.adjoint(y), x); }
			@Override public String name() { return outer.name() + "*" + inner.name(); }
		};
	}

	public static LinearOperator scale(final LinearOperator a, final double s) {
		final float f = (float) s;
		return new LinearOperator() {
			@Override public long[] domainShape() { return a.domainShape(); }
			@Override public long[] rangeShape() { return a.rangeShape(); }
			@Override public void apply(final float[] x, final float[] y) { a.apply(x, y); Vec.scale(y, f); }
			@Override public void adjoint(final float[] y, final float[] x) { a.adjoint(y, x); Vec.scale(x, f); }
			@Override public String name() { return s + "*" + a.name(); }
		};
	}

	/** A + B (same domain and range). */
	public static LinearOperator sum(final LinearOperator a, final LinearOperator b) {
		if (product(a.domainShape()) != product(b.domainShape()) || product(a.rangeShape()) != product(b.rangeShape()))
			throw new IllegalArgumentException("cannot add " + a.name() + " and " + b.name() + ": shapes differ");
		return new LinearOperator() {
			@Override public long[] domainShape() { return a.domainShape(); }
			@Override public long[] rangeShape() { return a.rangeShape(); }
			@Override public void apply(final float[] x, final float[] y) { a.apply(x, y); Vec.add(y, b.apply(x)); }
			@Override public void adjoint(final float[] y, final float[] x) { a.adjoint(y, x); Vec.add(x, b.adjoint(y)); }
			@Override public String name() { return a.name() + "+" + b.name(); }
		};
	}

	/** [A; B]: x -> (A x, B x) concatenated; range is flat. */
	public static LinearOperator stack(final LinearOperator a, final LinearOperator b) {
		if (product(a.domainShape()) != product(b.domainShape()))
			throw new IllegalArgumentException("cannot stack " + a.name() + " and " + b.name() + ": domains differ");
		final int ma = a.rangeSize(), mb = b.rangeSize();
		return new LinearOperator() {
			@Override public long[] domainShape() { return a.domainShape(); }
			@Override public long[] rangeShape() { return new long[] { ma + (long) mb }; }
			@Override public void apply(final float[] x, final float[] y) {
				System.arraycopy(a.apply(x), 0, y, 0, ma);
				System.arraycopy(b.apply(x), 0, y, ma, mb);
			}
			@Override public void adjoint(final float[] y, final float[] x) {
				a.adjoint(Arrays.copyOfRange(y, 0, ma), x);
				Vec.add(x, b.adjoint(Arrays.copyOfRange(y, ma, ma + mb)));
			}
			@Override public String name() { return "[" + a.name() + ";" + b.name() + "]"; }
		};
	}

	public static LinearOperator identity(final long... shape) {
		return new LinearOperator() {
			@Override public long[] domainShape() { return shape.clone(); }
			@Override public long[] rangeShape() { return shape.clone(); }
			@Override public void apply(final float[] x, final float[] y) { System.arraycopy(x, 0, y, 0, x.length); }
			@Override public void adjoint(final float[] y, final float[] x) { System.arraycopy(y, 0, x, 0, y.length); }
			@Override public String name() { return "I"; }
		};
	}

	/**
	 * A complex operator restricted to real inputs: x -> A (x + 0i), adjoint y -> Re(A^H y). The
	 * complex operator's domain must have interleaved (re, im) as its first axis; the result's
	 * domain is the rest of that shape. For real-valued images (a diffusion prior of magnitudes)
	 * measured by complex k-space.
	 */
	public static LinearOperator realPart(final LinearOperator c) {
		final long[] cs = c.domainShape();
		if (cs.length < 2 || cs[0] != 2) throw new IllegalArgumentException(c.name() + " has no leading complex axis of 2 (domain " + java.util.Arrays.toString(cs) + ")");
		final long[] shape = java.util.Arrays.copyOfRange(cs, 1, cs.length);
		return new LinearOperator() {
			@Override public long[] domainShape() { return shape.clone(); }
			@Override public long[] rangeShape() { return c.rangeShape(); }
			@Override public void apply(final float[] x, final float[] y) {
				final float[] z = new float[2 * x.length];
				for (int i = 0; i < x.length; i++) z[2 * i] = x[i];
				c.apply(z, y);
			}
			@Override public void adjoint(final float[] y, final float[] x) {
				final float[] z = c.adjoint(y);
				for (int i = 0; i < x.length; i++) x[i] = z[2 * i];
			}
			@Override public String name() { return "Re(" + c.name() + ")"; }
		};
	}

	static LinearOperator adjointOf(final LinearOperator a) {
		return new LinearOperator() {
			@Override public long[] domainShape() { return a.rangeShape(); }
			@Override public long[] rangeShape() { return a.domainShape(); }
			@Override public void apply(final float[] x, final float[] y) { a.adjoint(x, y); }
			@Override public void adjoint(final float[] y, final float[] x) { a.apply(y, x); }
			@Override public LinearOperator adjointOperator() { return a; }
			@Override public String name() { return a.name() + "^T"; }
		};
	}

	/**
	 * Dot-product test: |<A x, y> - <x, A* y>| / (|A x| |y|) for random Gaussian x, y
	 * (inner products accumulated in double). A matched pair in float32 gives ~1e-7.
	 */
	public static double adjointError(final LinearOperator a, final long seed) {
		final SplittableRandom rnd = new SplittableRandom(seed);
		final float[] x = new float[a.domainSize()], y = new float[a.rangeSize()];
		for (int i = 0; i < x.length; i++) x[i] = (float) gauss(rnd);
		for (int i = 0; i < y.length; i++) y[i] = (float) gauss(rnd);
		final float[] ax = a.apply(x), aty = a.adjoint(y);
		final double lhs = Vec.dot(ax, y), rhs = Vec.dot(x, aty);
		final double scale = Math.max(Vec.norm(ax) * Vec.norm(y), Vec.norm(x) * Vec.norm(aty));
		return scale == 0 ? 0 : Math.abs(lhs - rhs) / scale;
	}

	/** Largest singular value of A by power iteration on A* A. */
	public static double normEstimate(final LinearOperator a, final int iterations, final long seed) {
		final SplittableRandom rnd = new SplittableRandom(seed);
		float[] x = new float[a.domainSize()];
		for (int i = 0; i < x.length; i++) x[i] = (float) gauss(rnd);
		double s = 0;
		for (int k = 0; k < iterations; k++) {
			final double nx = Vec.norm(x);
			Vec.scale(x, (float) (1 / nx));
			final float[] y = a.adjoint(a.apply(x));
			s = Math.sqrt(Vec.dot(x, y));
			x = y;
		}
		return s;
	}

	static double gauss(final SplittableRandom r) {
		// Box-Muller; deterministic for a seed
		final double u = 1 - r.nextDouble(), v = r.nextDouble();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}
}
