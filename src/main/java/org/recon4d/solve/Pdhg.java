package org.recon4d.solve;

import org.recon4d.op.LinearOperator;
import org.recon4d.op.reg.Gradient;

/**
 * TV-regularised least squares by the primal-dual hybrid gradient method (Chambolle and Pock,
 * J. Math. Imaging Vis. 2011) with diagonal preconditioning (Pock and Chambolle, ICCV 2011):
 * <pre>
 *   min_x  1/2 ||A x - b||^2 + lambda sum_p ||(D x)_p||_2   [+ indicator(x &gt;= 0)]
 * </pre>
 * D is a {@link Gradient}; its components at a pixel form one group, so D over (x, y) is isotropic
 * spatial TV and D over (x, y, t) with a time weight is space-time TV. Steps: sigma_A = 1/(A 1),
 * sigma_D = 1/max row sum of |D|, tau = 1/(A^T 1 + max column sum of |D|); this needs A &gt;= 0
 * entrywise (projectors). A x-bar and D x-bar follow from linearity, so one application of
 * A, A^T, D and D^T per iteration gives both the update and the exact cost of the new iterate.
 */
public final class Pdhg {

	private Pdhg() {}

	public static float[] tvLeastSquares(final LinearOperator a, final float[] b, final Gradient d, final double lambda,
		final int iterations, final boolean nonneg, final Monitor mon)
	{
		return tvLeastSquares(a, b, d, lambda, iterations, nonneg, null, mon);
	}

	/** As above, starting from x0 (e.g. an FBP; null for zeros). A warm start saves many iterations. */
	public static float[] tvLeastSquares(final LinearOperator a, final float[] b, final Gradient d, final double lambda,
		final int iterations, final boolean nonneg, final float[] x0, final Monitor mon)
	{
		final int n = a.domainSize(), m = a.rangeSize(), g = d.components();
		if (b.length != m) throw new IllegalArgumentException("data has " + b.length + " values, operator range has " + m);
		final float[] ones = new float[n];
		java.util.Arrays.fill(ones, 1f);
		final float[] sigA = a.apply(ones);
		for (int i = 0; i < m; i++) sigA[i] = sigA[i] > 1e-6f ? 1 / sigA[i] : 0;
		final float[] onesM = new float[m];
		java.util.Arrays.fill(onesM, 1f);
		final float[] tau = a.adjoint(onesM);
		final float dcol = (float) d.maxColumnSum();
		for (int i = 0; i < n; i++) tau[i] = 1 / (Math.max(tau[i], 0) + dcol);
		final float sigD = (float) (1 / d.maxRowSum());
		final float lam = (float) lambda;

		final float[] x = new float[n], xNew = new float[n];
		final float[] p = new float[m], q = new float[n * g];
		final float[] ax = new float[m], axNew = new float[m], axBar = new float[m];
		final float[] dx = new float[n * g], dxNew = new float[n * g], dxBar = new float[n * g];
		final float[] atp = new float[n], dtq = new float[n];
		if (x0 != null) {
			if (x0.length != n) throw new IllegalArgumentException("start has " + x0.length + " values, operator domain has " + n);
			System.arraycopy(x0, 0, x, 0, n);
			if (nonneg) for (int i = 0; i < n; i++) x[i] = Math.max(0, x[i]);
			a.apply(x, ax);
			d.apply(x, dx);
			System.arraycopy(ax, 0, axBar, 0, m);
			System.arraycopy(dx, 0, dxBar, 0, dx.length);
		}
		for (int k = 1; k <= iterations; k++) {
			mon.checkCanceled();
			// dual ascent on the data term: prox of (1/2||. - b||^2)^*
			for (int i = 0; i < m; i++) p[i] = (p[i] + sigA[i] * (axBar[i] - b[i])) / (1 + sigA[i]);
			// dual ascent on TV: projection onto the lambda-ball of each group
			for (int i = 0; i < q.length; i++) q[i] += sigD * dxBar[i];
			for (int i = 0; i < n; i++) {
				double s = 0;
				for (int c = 0; c < g; c++) { final float v = q[c * n + i]; s += v * v; }
				if (s > (double) lam * lam) {
					final float f = (float) (lam / Math.sqrt(s));
					for (int c = 0; c < g; c++) q[c * n + i] *= f;
				}
			}
			a.adjoint(p, atp);
			d.adjoint(q, dtq);
			for (int i = 0; i < n; i++) {
				float v = x[i] - tau[i] * (atp[i] + dtq[i]);
				if (nonneg && v < 0) v = 0;
				xNew[i] = v;
			}
			a.apply(xNew, axNew);
			d.apply(xNew, dxNew);
			// extrapolation via linearity: A(2 x_new - x) = 2 A x_new - A x
			for (int i = 0; i < m; i++) { axBar[i] = 2 * axNew[i] - ax[i]; ax[i] = axNew[i]; }
			for (int i = 0; i < dx.length; i++) { dxBar[i] = 2 * dxNew[i] - dx[i]; dx[i] = dxNew[i]; }
			System.arraycopy(xNew, 0, x, 0, n);
			mon.iteration(k, iterations, cost(ax, b, dx, n, g, lambda), x);
		}
		return x;
	}

	/** 1/2 ||A x - b||^2 + lambda sum_p ||(D x)_p||. */
	static double cost(final float[] ax, final float[] b, final float[] dx, final int n, final int g, final double lambda) {
		double data = 0, tv = 0;
		for (int i = 0; i < ax.length; i++) { final double r = ax[i] - b[i]; data += r * r; }
		for (int i = 0; i < n; i++) {
			double s = 0;
			for (int c = 0; c < g; c++) { final double v = dx[c * n + i]; s += v * v; }
			tv += Math.sqrt(s);
		}
		return 0.5 * data + lambda * tv;
	}
}
