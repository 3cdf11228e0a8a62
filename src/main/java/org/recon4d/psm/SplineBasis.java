package org.recon4d.psm;

/**
 * Smooth temporal basis functions from a few latent values: psi(t) = (B z)(t), where B (P x d)
 * evaluates at the P frame times t/(P-1) the natural cubic spline interpolating d values on a
 * uniform grid of [0, 1] (RED-PSM's parametrisation of the temporal functions). B is linear in
 * z, so gradients are B^T applied to the gradient with respect to psi.
 */
public final class SplineBasis {

	private final int frames, latents;
	private final double[] b; // [t * latents + j]

	public SplineBasis(final int frames, final int latents) {
		if (latents < 2 || frames < 1) throw new IllegalArgumentException("need at least 2 latents and 1 frame, got d=" + latents + " P=" + frames);
		this.frames = frames;
		this.latents = latents;
		this.b = new double[frames * latents];
		final double[] e = new double[latents];
		for (int j = 0; j < latents; j++) {
			java.util.Arrays.fill(e, 0);
			e[j] = 1;
			final double[] m = secondDerivatives(e);
			for (int t = 0; t < frames; t++) b[t * latents + j] = eval(e, m, frames == 1 ? 0 : t / (double) (frames - 1));
		}
	}

	public int frames() { return frames; }
	public int latents() { return latents; }

	/** B[t][j]. */
	public double get(final int t, final int j) {
		return b[t * latents + j];
	}

	/** ||B||^2 (largest eigenvalue of B^T B) by power iteration. */
	public double normSquared() {
		double[] v = new double[latents];
		java.util.Arrays.fill(v, 1);
		double s = 0;
		for (int it = 0; it < 50; it++) {
			final double[] w = adjoint(apply(v));
			double n = 0;
			for (final double x : w) n += x * x;
			n = Math.sqrt(n);
			s = n;
			for (int j = 0; j < latents; j++) v[j] = w[j] / n;
		}
		return s;
	}

	/** psi = B z for one function (z of length d). */
	public double[] apply(final double[] z) {
		final double[] out = new double[frames];
		for (int t = 0; t < frames; t++) {
			double s = 0;
			for (int j = 0; j < latents; j++) s += b[t * latents + j] * z[j];
			out[t] = s;
		}
		return out;
	}

	/** B^T g for one function (g of length P). */
	public double[] adjoint(final double[] g) {
		final double[] out = new double[latents];
		for (int t = 0; t < frames; t++) for (int j = 0; j < latents; j++) out[j] += b[t * latents + j] * g[t];
		return out;
	}

	/** Least-squares latents for a sampled function: argmin ||B z - psi||. */
	public double[] fit(final double[] psi) {
		final int d = latents;
		final double[][] n = new double[d][d + 1];
		for (int t = 0; t < frames; t++) for (int i = 0; i < d; i++) {
			for (int j = 0; j < d; j++) n[i][j] += b[t * d + i] * b[t * d + j];
			n[i][d] += b[t * d + i] * psi[t];
		}
		// Gauss-Jordan with partial pivoting on the d x d normal equations
		for (int c = 0; c < d; c++) {
			int p = c;
			for (int r = c + 1; r < d; r++) if (Math.abs(n[r][c]) > Math.abs(n[p][c])) p = r;
			final double[] tmp = n[c]; n[c] = n[p]; n[p] = tmp;
			for (int r = 0; r < d; r++) {
				if (r == c || n[c][c] == 0) continue;
				final double f = n[r][c] / n[c][c];
				for (int k = c; k <= d; k++) n[r][k] -= f * n[c][k];
			}
		}
		final double[] z = new double[d];
		for (int i = 0; i < d; i++) z[i] = n[i][i] == 0 ? 0 : n[i][d] / n[i][i];
		return z;
	}

	private double[] secondDerivatives(final double[] y) {
		final int n = latents;
		final double h = 1.0 / (n - 1);
		final double[] m = new double[n];
		if (n < 3) return m;
		// natural spline: m_0 = m_{n-1} = 0; (h/6) m_{i-1} + (2h/3) m_i + (h/6) m_{i+1} = (y_{i+1} - 2 y_i + y_{i-1}) / h
		final int k = n - 2;
		final double[] diag = new double[k], rhs = new double[k];
		for (int i = 0; i < k; i++) { diag[i] = 2 * h / 3; rhs[i] = (y[i + 2] - 2 * y[i + 1] + y[i]) / h; }
		final double off = h / 6;
		for (int i = 1; i < k; i++) { final double w = off / diag[i - 1]; diag[i] -= w * off; rhs[i] -= w * rhs[i - 1]; }
		m[k] = rhs[k - 1] / diag[k - 1];
		for (int i = k - 2; i >= 0; i--) m[i + 1] = (rhs[i] - off * m[i + 2]) / diag[i];
		return m;
	}

	private double eval(final double[] y, final double[] m, final double u) {
		final int n = latents;
		final double h = 1.0 / (n - 1);
		int i = Math.min(n - 2, (int) Math.floor(u / h));
		if (i < 0) i = 0;
		final double a = (i + 1) * h - u, c = u - i * h;
		return m[i] * a * a * a / (6 * h) + m[i + 1] * c * c * c / (6 * h)
			+ (y[i] / h - m[i] * h / 6) * a + (y[i + 1] / h - m[i + 1] * h / 6) * c;
	}
}
