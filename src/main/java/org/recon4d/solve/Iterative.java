package org.recon4d.solve;

import org.recon4d.op.LinearOperator;
import org.recon4d.util.Vec;

/** SIRT and CGLS for min ||A x - b||^2, taking only an operator and data. */
public final class Iterative {

	private Iterative() {}

	/**
	 * SIRT: x &lt;- x + C A^T R (b - A x), R = 1 / (A 1), C = 1 / (A^T 1); valid for operators with
	 * nonnegative entries (projectors). Optional nonnegativity by clamping.
	 */
	public static float[] sirt(final LinearOperator a, final float[] b, final int iterations, final boolean nonneg, final Monitor mon) {
		final float[] ones = new float[a.domainSize()];
		java.util.Arrays.fill(ones, 1f);
		final float[] r = a.apply(ones);
		for (int i = 0; i < r.length; i++) r[i] = r[i] > 1e-6f ? 1 / r[i] : 0;
		final float[] onesR = new float[a.rangeSize()];
		java.util.Arrays.fill(onesR, 1f);
		final float[] c = a.adjoint(onesR);
		for (int i = 0; i < c.length; i++) c[i] = c[i] > 1e-6f ? 1 / c[i] : 0;
		final float[] x = new float[a.domainSize()], ax = new float[a.rangeSize()], g = new float[a.domainSize()];
		final float[] res = new float[a.rangeSize()];
		for (int k = 1; k <= iterations; k++) {
			mon.checkCanceled();
			a.apply(x, ax);
			for (int i = 0; i < res.length; i++) res[i] = (b[i] - ax[i]) * r[i];
			a.adjoint(res, g);
			for (int i = 0; i < x.length; i++) x[i] += c[i] * g[i];
			if (nonneg) Vec.clampMin(x, 0);
			mon.iteration(k, iterations, 0.5 * sqDist(a.apply(x), b), x);
		}
		return x;
	}

	/** CGLS (conjugate gradients on the normal equations), starting at x = 0. */
	public static float[] cgls(final LinearOperator a, final float[] b, final int iterations, final Monitor mon) {
		final float[] x = new float[a.domainSize()];
		final float[] r = b.clone();            // r = b - A x
		final float[] s = a.adjoint(r);          // s = A^T r
		final float[] p = s.clone();
		final float[] q = new float[a.rangeSize()];
		double gamma = Vec.dot(s, s);
		for (int k = 1; k <= iterations; k++) {
			mon.checkCanceled();
			if (gamma == 0) { mon.iteration(k, iterations, 0.5 * Vec.dot(r, r), x); continue; }
			a.apply(p, q);
			final double qq = Vec.dot(q, q);
			if (qq == 0) break;
			final float alpha = (float) (gamma / qq);
			Vec.axpy(x, alpha, p);
			Vec.axpy(r, -alpha, q);
			a.adjoint(r, s);
			final double gNew = Vec.dot(s, s);
			final float beta = (float) (gNew / gamma);
			gamma = gNew;
			for (int i = 0; i < p.length; i++) p[i] = s[i] + beta * p[i];
			mon.iteration(k, iterations, 0.5 * Vec.dot(r, r), x);
		}
		return x;
	}

	static double sqDist(final float[] a, final float[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) { final double d = a[i] - b[i]; s += d * d; }
		return s;
	}

	/**
	 * Conjugate gradients on (A^H A + mu I + rho D^T D) x = b from x0 (overwritten and returned).
	 * With {@code report}, the monitor sees every iterate.
	 */
	public static float[] cg(final LinearOperator a, final float mu, final LinearOperator d, final float rho, final float[] b, final float[] x,
		final int iterations, final Monitor mon, final boolean report)
	{
		final LinearOperator an = a.normal();
		final float[] r = b.clone(), ax = normal(an, mu, d, rho, x);
		for (int i = 0; i < r.length; i++) r[i] -= ax[i];
		final float[] p = r.clone();
		double rr = Vec.dot(r, r);
		for (int k = 1; k <= iterations; k++) {
			mon.checkCanceled();
			if (rr == 0) break;
			final float[] q = normal(an, mu, d, rho, p);
			final double pq = Vec.dot(p, q);
			if (pq <= 0) break;
			final float alpha = (float) (rr / pq);
			Vec.axpy(x, alpha, p);
			Vec.axpy(r, -alpha, q);
			final double rrNew = Vec.dot(r, r);
			final float beta = (float) (rrNew / rr);
			rr = rrNew;
			for (int i = 0; i < p.length; i++) p[i] = r[i] + beta * p[i];
			if (report) mon.iteration(k, iterations, 0.5 * rr, x);
		}
		return x;
	}

	/** (A^H A + mu I + rho D^T D) x, with an = A^H A (see {@link LinearOperator#normal()}). */
	private static float[] normal(final LinearOperator an, final float mu, final LinearOperator d, final float rho, final float[] x) {
		final float[] out = an.apply(x);
		if (mu != 0) Vec.axpy(out, mu, x);
		if (d != null && rho != 0) Vec.axpy(out, rho, d.adjoint(d.apply(x)));
		return out;
	}
}
