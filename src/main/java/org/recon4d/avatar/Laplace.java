package org.recon4d.avatar;

/** Solves (I + lambda L) x = b per coordinate by conjugate gradients, L the uniform graph Laplacian. */
final class Laplace {

	private Laplace() {}

	static double[] smooth(final float[] b, final int[][] nbr, final double lambda) {
		final int nv = nbr.length;
		final double[] x = new double[b.length];
		for (int c = 0; c < 3; c++) {
			final double[] rhs = new double[nv], xc = new double[nv];
			for (int v = 0; v < nv; v++) rhs[v] = b[3 * v + c];
			final double[] r = rhs.clone(), p = rhs.clone(), ap = new double[nv];
			double rr = dot(r, r);
			final double stop = 1e-10 * rr;
			for (int it = 0; it < 200 && rr > stop; it++) {
				apply(p, ap, nbr, lambda);
				final double alpha = rr / dot(p, ap);
				for (int v = 0; v < nv; v++) { xc[v] += alpha * p[v]; r[v] -= alpha * ap[v]; }
				final double rr2 = dot(r, r);
				for (int v = 0; v < nv; v++) p[v] = r[v] + rr2 / rr * p[v];
				rr = rr2;
			}
			for (int v = 0; v < nv; v++) x[3 * v + c] = xc[v];
		}
		return x;
	}

	static void apply(final double[] x, final double[] y, final int[][] nbr, final double lambda) {
		for (int v = 0; v < x.length; v++) {
			double s = nbr[v].length * x[v];
			for (final int u : nbr[v]) s -= x[u];
			y[v] = x[v] + lambda * s;
		}
	}

	private static double dot(final double[] a, final double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) s += a[i] * b[i];
		return s;
	}
}
