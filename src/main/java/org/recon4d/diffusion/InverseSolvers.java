package org.recon4d.diffusion;

import java.util.Locale;
import java.util.SplittableRandom;

import org.recon4d.op.LinearOperator;
import org.recon4d.op.reg.Gradient;
import org.recon4d.phantom.Noise;
import org.recon4d.solve.Iterative;
import org.recon4d.solve.Monitor;
import org.recon4d.util.Vec;

/**
 * Inverse problems y = A x0 + noise with a diffusion prior, for any {@link LinearOperator} whose
 * domain is the image batch (w, h, batch), first axis fastest (a 3D volume is a batch of axial
 * slices, as in DiffusionMBIR). The operator is rescaled to unit norm first ({@link Problem}:
 * A / |A|, y / |A|), so that the weights below do not depend on the operator's units.
 * <ul>
 * <li>{@link #projection}: Song, Shen, Xing, Ermon (ICLR 2022), generalised from the Fourier/
 * Fourier-slice form to any A: after every PC step x <- x + lambda A^+(y_sigma - A x) with
 * y_sigma = y + sigma A n and A^+ applied approximately by a few CGLS iterations.</li>
 * <li>{@link #dps}: Chung et al. 2022: an ancestral (DDPM) step, then
 * x <- x - zeta J^T A^T r / |r| with r = A D(x) - y, the gradient of |A D(x) - y| (the paper's
 * normalised step) through the denoiser by one vector-Jacobian product per step.</li>
 * <li>{@link #redDiff}: Mardani et al. 2023: Adam on the image mu over a decreasing noise
 * schedule; at each level the gradient is A^T (A mu - y) + lambda (mu - D(mu + sigma eps; sigma)),
 * which is the paper's lambda w_t (eps_hat - eps) with w_t = sqrt(1 - abar)/sqrt(abar) written in
 * VE coordinates (the sigma weights cancel); no backpropagation through the network.</li>
 * <li>{@link #mbir}: Chung et al. (CVPR 2023, DiffusionMBIR): the 2D prior on every slice in one
 * batch, PC sampling, and after every predictor and every corrector one ADMM iteration of
 * min 1/2 |A x - y|^2 + lambda_z |D_z x|_1 (TV along z only; {@link AdmmTv}).</li>
 * <li>{@link #mbirFast}: the same ADMM TV-z consistency applied to the denoised estimate D(x)
 * inside a few-step BDIA-DDIM (or DDIM) sampler, in the decomposed style of Chung, Lee and Ye
 * (DDS, 2024), which is what makes tens of steps enough.</li>
 * </ul>
 */
public final class InverseSolvers {

	private InverseSolvers() {}

	/** A with unit operator norm (power iteration), the matching data, the batch geometry and a start image (may be null). */
	public record Problem(LinearOperator a, float[] y, Samplers.Dims dims, float[] start, double norm) {

		public static Problem of(final LinearOperator a, final float[] y, final Samplers.Dims dims, final float[] start) {
			if (a.domainSize() != dims.size()) throw new IllegalArgumentException("operator domain has " + a.domainSize() + " values, the image batch " + dims.size());
			if (y.length != a.rangeSize()) throw new IllegalArgumentException("data has " + y.length + " values, operator range has " + a.rangeSize());
			if (start != null && start.length != dims.size()) throw new IllegalArgumentException("start image has " + start.length + " values, expected " + dims.size());
			final double n = org.recon4d.op.Operators.normEstimate(a, 30, 12345);
			final float[] ys = y.clone();
			Vec.scale(ys, (float) (1 / n));
			return new Problem(a.scale(1 / n), ys, dims, start, n);
		}

		/** |A x - y| (in the unit-norm scaling). */
		public double residual(final float[] x) {
			return Vec.norm(Vec.sub(a.apply(x), y));
		}

		/** The difference operator along slices (z). */
		public Gradient dz() {
			return new Gradient(new long[] { dims.w(), dims.h(), dims.batch() }, new int[] { 2 }, new double[] { 1 });
		}
	}

	/** Projection (Song et al. 2022) with a PC sampler. */
	public static float[] projection(final ScoreModel m, final Problem p, final Samplers.Settings s, final double lambda, final int cg, final Monitor mon) {
		final SplittableRandom noise = new SplittableRandom(s.seed + 1);
		final Samplers.Guidance g = new Samplers.Guidance() {
			@Override
			public void afterStep(final float[] x, final double sigma) {
				final float[] ys = p.y().clone();
				if (sigma > 0) {
					final float[] n = new float[x.length];
					for (int i = 0; i < n.length; i++) n[i] = (float) (sigma * Noise.gauss(noise));
					Vec.add(ys, p.a().apply(n));
				}
				final float[] r = Vec.sub(ys, p.a().apply(x));
				final float[] dx = Iterative.cgls(p.a(), r, cg, Monitor.NONE);
				Vec.axpy(x, (float) lambda, dx);
			}
		};
		return Samplers.sample(m, p.dims(), s, g, mon);
	}

	/** DPS with {@code steps} ancestral steps on the given schedule and guidance weight zeta. */
	public static float[] dps(final ScoreModel m, final Problem p, final Schedule.Kind schedule, final int steps, final double zeta, final long seed, final Monitor mon) {
		final double[] sig = Schedule.sigmas(schedule, steps);
		final SplittableRandom r = new SplittableRandom(seed);
		final Samplers.Dims d = p.dims();
		final float[] x = new float[d.size()];
		for (int i = 0; i < x.length; i++) x[i] = (float) (sig[0] * Noise.gauss(r));
		for (int k = 0; k < steps; k++) {
			mon.checkCanceled();
			final double st = sig[k], ss = sig[k + 1];
			final float[][] dg = m.denoiseVjp(x, d.batch(), d.h(), d.w(), st, dn -> {
				final float[] res = Vec.sub(p.a().apply(dn), p.y());
				final float[] g = p.a().adjoint(res);
				Vec.scale(g, (float) (1 / Math.max(Vec.norm(res), 1e-30)));
				return g;
			});
			final float[] dn = dg[0], grad = dg[1];
			final double c = ss * Math.sqrt(st * st - ss * ss) / st, f = ss * ss / (st * st);
			for (int i = 0; i < x.length; i++)
				x[i] = (float) (dn[i] + f * (x[i] - dn[i]) + (c > 0 ? c * Noise.gauss(r) : 0) - zeta * grad[i]);
			mon.iteration(k + 1, steps, p.residual(dn), null);
		}
		return x;
	}

	/** RED-diff: Adam (learning rate {@code lr}) on mu from the start image (or zeros) over the schedule's noise levels, largest first. */
	public static float[] redDiff(final ScoreModel m, final Problem p, final double[] sigmas, final double lambda, final double lr, final long seed, final Monitor mon) {
		final SplittableRandom r = new SplittableRandom(seed);
		final Samplers.Dims d = p.dims();
		final int n = d.size();
		final float[] mu = p.start() != null ? p.start().clone() : new float[n];
		final float[] m1 = new float[n], m2 = new float[n], xt = new float[n];
		final double b1 = 0.9, b2 = 0.999;
		final int steps = sigmas.length - 1;
		for (int k = 0; k < steps; k++) {
			mon.checkCanceled();
			final double sigma = sigmas[k];
			for (int i = 0; i < n; i++) xt[i] = (float) (mu[i] + sigma * Noise.gauss(r));
			final float[] dn = m.denoise(xt, d.batch(), d.h(), d.w(), sigma);
			final float[] g = p.a().adjoint(Vec.sub(p.a().apply(mu), p.y()));
			final double a = lr * Math.sqrt(1 - Math.pow(b2, k + 1)) / (1 - Math.pow(b1, k + 1));
			for (int i = 0; i < n; i++) {
				final double gi = g[i] + lambda * (mu[i] - dn[i]);
				m1[i] = (float) (b1 * m1[i] + (1 - b1) * gi);
				m2[i] = (float) (b2 * m2[i] + (1 - b2) * gi * gi);
				mu[i] -= (float) (a * m1[i] / (Math.sqrt(m2[i]) + 1e-8));
			}
			mon.iteration(k + 1, steps, p.residual(mu), null);
		}
		return mu;
	}

	/** DiffusionMBIR: PC sampling with one ADMM TV-z iteration after every predictor and corrector. */
	public static float[] mbir(final ScoreModel m, final Problem p, final Samplers.Settings s, final double lambdaZ, final double rho, final int cg, final Monitor mon) {
		final AdmmTv admm = new AdmmTv(p.a(), p.y(), p.dz(), lambdaZ, rho, cg);
		final Samplers.Guidance g = new Samplers.Guidance() {
			@Override
			public void afterStep(final float[] x, final double sigma) {
				admm.iterate(x);
			}
		};
		return Samplers.sample(m, p.dims(), s, g, mon);
	}

	/** Few-step variant: {@code admmIterations} ADMM TV-z iterations on D(x) inside each BDIA / DDIM step. */
	public static float[] mbirFast(final ScoreModel m, final Problem p, final Samplers.Settings s, final double lambdaZ, final double rho, final int cg, final int admmIterations, final Monitor mon) {
		final AdmmTv admm = new AdmmTv(p.a(), p.y(), p.dz(), lambdaZ, rho, cg);
		final Samplers.Guidance g = new Samplers.Guidance() {
			@Override
			public void onDenoised(final float[] x0, final double sigma) {
				for (int k = 0; k < admmIterations; k++) admm.iterate(x0);
			}
		};
		return Samplers.sample(m, p.dims(), s, g, mon);
	}

	/** Per-voxel mean and standard deviation over posterior draws: {mean, sd}. */
	public static float[][] meanAndSd(final java.util.List<float[]> draws) {
		final int n = draws.get(0).length, k = draws.size();
		final float[] mean = new float[n], sd = new float[n];
		for (int i = 0; i < n; i++) {
			double s = 0, s2 = 0;
			for (final float[] d : draws) s += d[i];
			s /= k;
			for (final float[] d : draws) s2 += (d[i] - s) * (d[i] - s);
			mean[i] = (float) s;
			sd[i] = (float) (k > 1 ? Math.sqrt(s2 / (k - 1)) : 0);
		}
		return new float[][] { mean, sd };
	}

	/** Counts network evaluations (a vector-Jacobian product counts as one evaluation and is also counted apart). */
	public static final class Counting implements ScoreModel {
		private final ScoreModel inner;
		private long evaluations, vjps;

		public Counting(final ScoreModel inner) { this.inner = inner; }

		/** Network evaluations, in units of one pass over the whole image batch. */
		public long evaluations() { return evaluations; }

		public long vjps() { return vjps; }

		@Override
		public float[] denoise(final float[] x, final int batch, final int h, final int w, final double sigma) {
			evaluations++;
			return inner.denoise(x, batch, h, w, sigma);
		}

		@Override
		public float[][] denoiseVjp(final float[] x, final int batch, final int h, final int w, final double sigma, final java.util.function.UnaryOperator<float[]> v) {
			evaluations++;
			vjps++;
			return inner.denoiseVjp(x, batch, h, w, sigma, v);
		}

		@Override
		public String describe() { return inner.describe(); }

		@Override
		public String toString() { return String.format(Locale.ROOT, "%d evaluations (%d with backward)", evaluations, vjps); }
	}
}
