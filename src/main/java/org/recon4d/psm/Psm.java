package org.recon4d.psm;

import java.util.Locale;

import org.recon4d.op.LinearOperator;
import org.recon4d.prior.Denoiser;
import org.recon4d.solve.Monitor;

/**
 * Partially separable reconstruction and RED-PSM (Iskender, Klasky and Bresler, ICCV 2023).
 * <p>
 * PSM fit: gradient steps (block 1/L steps by default, Adam as in the paper on request) on the
 * spatial maps and temporal latents of a {@link PsmModel} for
 * <pre>
 *   L = 1/2 ||A f_psm - g||^2 + beta/2 ||f_psm - v||^2 + xi/2 ||Lambda||^2 + chi/2 ||z||^2
 * </pre>
 * (beta = 0 for plain PSM). Gradients are derived by hand: with G = A^T (A f - g) + beta (f - v),
 * dL/dLambda_k = sum_t psi_k(t) G_t + xi Lambda_k and dL/dz_k = B^T [&lt;Lambda_k, G_t&gt;]_t + chi z_k;
 * A and A^T are the host projector, so one step costs one forward and one adjoint.
 * <p>
 * RED-PSM by ADMM with a scaled dual gamma, each outer iteration:
 * (1) {@code innerSteps} gradient steps of the PSM fit with v = f - gamma;
 * (2) f = (lambda D(f) + beta (f_psm + gamma)) / (lambda + beta), D the denoiser frame by frame;
 * (3) gamma = gamma + f_psm - f.
 * The result is the last f_psm (no oracle stopping).
 */
public final class Psm {

	/**
	 * Settings; the defaults are those of the benchmark at 128 x 128 (docs/benchmarks.md). K and d
	 * were chosen on a tuning sequence, not the benchmark's ({@code ./recon4d bench redpsm-tune});
	 * lambda, beta and the budget from a sweep on the dynamic phantom (docs/design-notes.md).
	 */
	public static final class Params {
		public int rank = 8;            // K: the model has K + 1 components
		public int latents = 17;        // d
		public int outer = 16;          // ADMM iterations (RED-PSM); PSM takes outer * innerSteps steps
		public int innerSteps = 10;
		public double lrMaps = 3e-3, lrLatents = 3e-3;
		public double xi = 1e-3, chi = 1e-3;
		public double lambda = 20, beta = 100;
		/** "adam" (RED-PSM's choice) or "gd": gradient descent with 1/L steps per block (L from ||A||^2). */
		public String optimizer = "gd";
		/** ||A||^2 (largest eigenvalue of A^T A; the square of Operators.normEstimate); estimated when 0. */
		public double normA2 = 0;

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "K=%d d=%d outer=%d inner=%d %s lambda=%g beta=%g xi=%g chi=%g",
				rank, latents, outer, innerSteps, "adam".equals(optimizer) ? String.format(Locale.ROOT, "adam lr=%g/%g", lrMaps, lrLatents) : "gd(1/L)",
				lambda, beta, xi, chi);
		}
	}

	private Psm() {}

	/** Plain PSM: outer * innerSteps Adam steps on the data term (beta = 0). */
	public static PsmModel fit(final LinearOperator a, final float[] g, final PsmModel init, final Params p, final Monitor mon) {
		final PsmModel m = init.copy();
		final Adam opt = new Adam(m);
		final int total = p.outer * p.innerSteps;
		for (int k = 1; k <= total; k++) {
			mon.checkCanceled();
			final double cost = step(a, g, m, null, 0, p, opt);
			if (k % p.innerSteps == 0) mon.iteration(k / p.innerSteps, p.outer, cost, m.render());
		}
		return m;
	}

	/** RED-PSM; returns the final model (render() gives f_psm). */
	public static PsmModel redPsm(final LinearOperator a, final float[] g, final PsmModel init, final Denoiser d, final int nx, final int ny,
		final Params p, final Monitor mon)
	{
		final PsmModel m = init.copy();
		final Adam opt = new Adam(m);
		float[] fpsm = m.render();
		final float[] f = fpsm.clone(), gamma = new float[f.length], v = new float[f.length];
		final float lam = (float) p.lambda, beta = (float) p.beta;
		for (int it = 1; it <= p.outer; it++) {
			mon.checkCanceled();
			for (int i = 0; i < v.length; i++) v[i] = f[i] - gamma[i];
			double data = 0;
			for (int s = 0; s < p.innerSteps; s++) data = step(a, g, m, v, beta, p, opt);
			fpsm = m.render();
			final float[] df = d.denoise(f, nx, ny);
			double red = 0;
			for (int i = 0; i < f.length; i++) red += f[i] * (f[i] - df[i]);
			for (int i = 0; i < f.length; i++) f[i] = (lam * df[i] + beta * (fpsm[i] + gamma[i])) / (lam + beta);
			for (int i = 0; i < f.length; i++) gamma[i] += fpsm[i] - f[i];
			// reported: the PSM step's objective + RED energy lambda/2 <f, f - D(f)> at the previous f
			mon.iteration(it, p.outer, data + 0.5 * lam * red, fpsm);
		}
		return m;
	}

	/** The objective and its gradient at the current model. */
	static final class Grad {
		double cost;
		float[] maps;
		double[][] z;
		double[][] psi;
	}

	static Grad gradient(final LinearOperator a, final float[] g, final PsmModel m, final float[] v, final float beta, final Params p) {
		final float[] f = m.render();
		final float[] r = a.apply(f);
		double cost = 0;
		for (int i = 0; i < r.length; i++) { r[i] -= g[i]; cost += 0.5 * r[i] * r[i]; }
		final float[] grad = a.adjoint(r);
		if (v != null && beta > 0) for (int i = 0; i < grad.length; i++) {
			final float e = f[i] - v[i];
			grad[i] += beta * e;
			cost += 0.5 * beta * e * e;
		}
		final int npix = m.npix, comps = m.comps, frames = m.frames();
		final double[][] psi = m.temporal();
		final float[] gMaps = new float[m.maps.length];
		final double[][] gPsi = new double[comps][frames];
		org.recon4d.util.Parallel.forEach(comps, k -> {
			final int mo = k * npix;
			for (int t = 0; t < frames; t++) {
				final float w = (float) psi[k][t];
				final int o = t * npix;
				double dot = 0;
				for (int q = 0; q < npix; q++) {
					gMaps[mo + q] += w * grad[o + q];
					dot += (double) m.maps[mo + q] * grad[o + q];
				}
				gPsi[k][t] = dot;
			}
		});
		for (int i = 0; i < gMaps.length; i++) { gMaps[i] += (float) (p.xi * m.maps[i]); cost += 0.5 * p.xi * m.maps[i] * m.maps[i]; }
		final double[][] gZ = new double[comps][];
		for (int k = 0; k < comps; k++) {
			gZ[k] = m.basis.adjoint(gPsi[k]);
			for (int j = 0; j < gZ[k].length; j++) { gZ[k][j] += p.chi * m.z[k][j]; cost += 0.5 * p.chi * m.z[k][j] * m.z[k][j]; }
		}
		final Grad out = new Grad();
		out.cost = cost;
		out.maps = gMaps;
		out.z = gZ;
		out.psi = psi;
		return out;
	}

	/** One optimiser step; returns the data + augmentation + penalty cost before the step. */
	static double step(final LinearOperator a, final float[] g, final PsmModel m, final float[] v, final float beta, final Params p, final Adam opt) {
		final Grad gr = gradient(a, g, m, v, beta, p);
		final float[] gMaps = gr.maps;
		final double[][] gZ = gr.z, psi = gr.psi;
		final int comps = m.comps;
		final double cost = gr.cost;
		if ("adam".equals(p.optimizer)) opt.update(m, gMaps, gZ, p.lrMaps, p.lrLatents);
		else {
			// block Lipschitz constants: maps (||A||^2 + beta) ||Psi^T Psi|| + xi; latents (||A||^2 + beta) ||B||^2 ||Lambda^T Lambda|| + chi
			final double psi2 = largestEigen(gram(psi)), lam2 = largestEigen(mapGram(m));
			final double base = p.normA2 + beta, b2 = m.basis.normSquared();
			final float sm = (float) (1 / (base * psi2 + p.xi));
			final double sz = 1 / (base * b2 * lam2 + p.chi);
			for (int i = 0; i < gMaps.length; i++) m.maps[i] -= sm * gMaps[i];
			for (int k = 0; k < comps; k++) for (int j = 0; j < gZ[k].length; j++) m.z[k][j] -= sz * gZ[k][j];
		}
		return cost;
	}

	static double[][] gram(final double[][] v) {
		final int c = v.length;
		final double[][] g = new double[c][c];
		for (int a = 0; a < c; a++) for (int b = 0; b < c; b++) {
			double s = 0;
			for (int t = 0; t < v[a].length; t++) s += v[a][t] * v[b][t];
			g[a][b] = s;
		}
		return g;
	}

	static double[][] mapGram(final PsmModel m) {
		final int c = m.comps, n = m.npix;
		final double[][] g = new double[c][c];
		for (int a = 0; a < c; a++) for (int b = a; b < c; b++) {
			double s = 0;
			for (int q = 0; q < n; q++) s += (double) m.maps[a * n + q] * m.maps[b * n + q];
			g[a][b] = s;
			g[b][a] = s;
		}
		return g;
	}

	/** Largest eigenvalue of a small symmetric positive semidefinite matrix (power iteration). */
	static double largestEigen(final double[][] g) {
		final int c = g.length;
		double[] v = new double[c];
		java.util.Arrays.fill(v, 1 / Math.sqrt(c));
		double lam = 0;
		for (int it = 0; it < 100; it++) {
			final double[] w = new double[c];
			for (int a = 0; a < c; a++) for (int b = 0; b < c; b++) w[a] += g[a][b] * v[b];
			double n = 0;
			for (final double x : w) n += x * x;
			n = Math.sqrt(n);
			if (n == 0) return 0;
			lam = n;
			for (int a = 0; a < c; a++) v[a] = w[a] / n;
		}
		return lam * 1.01; // power iteration approaches from below; keep the step on the safe side
	}

	/** Adam (Kingma and Ba) state for one model: beta1 0.9, beta2 0.999, eps 1e-8. */
	static final class Adam {
		final float[] mMaps, vMaps;
		final double[][] mZ, vZ;
		int t;

		Adam(final PsmModel m) {
			mMaps = new float[m.maps.length];
			vMaps = new float[m.maps.length];
			mZ = new double[m.comps][m.basis.latents()];
			vZ = new double[m.comps][m.basis.latents()];
		}

		void update(final PsmModel m, final float[] gMaps, final double[][] gZ, final double lrMaps, final double lrZ) {
			t++;
			final double b1 = 0.9, b2 = 0.999, c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
			for (int i = 0; i < gMaps.length; i++) {
				mMaps[i] = (float) (b1 * mMaps[i] + (1 - b1) * gMaps[i]);
				vMaps[i] = (float) (b2 * vMaps[i] + (1 - b2) * gMaps[i] * gMaps[i]);
				m.maps[i] -= (float) (lrMaps * (mMaps[i] / c1) / (Math.sqrt(vMaps[i] / c2) + 1e-8));
			}
			for (int k = 0; k < gZ.length; k++) for (int j = 0; j < gZ[k].length; j++) {
				mZ[k][j] = b1 * mZ[k][j] + (1 - b1) * gZ[k][j];
				vZ[k][j] = b2 * vZ[k][j] + (1 - b2) * gZ[k][j] * gZ[k][j];
				m.z[k][j] -= lrZ * (mZ[k][j] / c1) / (Math.sqrt(vZ[k][j] / c2) + 1e-8);
			}
		}
	}
}
