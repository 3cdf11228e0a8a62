package org.recon4d.diffusion;

import java.util.Locale;
import java.util.SplittableRandom;

import org.recon4d.phantom.Noise;
import org.recon4d.solve.Monitor;

/**
 * Samplers of p(x0) from a {@link ScoreModel}, all written in the variance-exploding coordinates
 * x = x0 + sigma n over a decreasing sigma grid ({@link Schedule}) that ends at 0:
 * <ul>
 * <li>{@code DDIM} with parameter eta (Song, Meng, Ermon 2021): from sigma_t to sigma_s,
 * x_s = D + sqrt(sigma_s^2 - c^2) (x_t - D) / sigma_t + c z with
 * c = eta sigma_s sqrt(sigma_t^2 - sigma_s^2) / sigma_t. eta 0 is the deterministic DDIM, eta 1 is
 * ancestral sampling ({@code DDPM}, Ho et al. 2020: the exact Gaussian posterior q(x_s | x_t, x0)
 * with x0 replaced by D). One network evaluation (NFE) per step.</li>
 * <li>{@code PC} (Song et al. 2021): per step a Langevin corrector at sigma_t with step
 * 2 (snr |z| / |s|)^2, then the reverse-diffusion predictor x += (sigma_t^2 - sigma_s^2) s +
 * sqrt(sigma_t^2 - sigma_s^2) z, with the score s = (D - x) / sigma^2. Two NFE per step.</li>
 * <li>{@code BDIA} (Zhang, Lewis, Kleijn 2023, BDIA-DDIM): in the VP state z = a x,
 * a = 1/sqrt(1 + sigma^2), the next state combines the forward DDIM step from z_i with gamma
 * times the error of the backward DDIM step from z_i to the previous state:
 * z_{i-1} = a_{i-1} X_{i-1} + gamma (z_{i+1} - a_{i+1} X_{i+1}), where X_j = D + sigma_j eps and
 * eps = (x_i - D) / sigma_i (the z_i terms of the published update cancel). gamma 0 is DDIM; for
 * gamma > 0 the map is exactly invertible ({@link #bdiaInvert}). The first step is plain DDIM.
 * One NFE per step.</li>
 * </ul>
 * A {@link Guidance} turns any of them into an inverse-problem solver: it may correct the Tweedie
 * estimate D before it is used (decomposed / DDS-style data consistency) and the state after
 * every step (projection-style data consistency, as in Song et al. 2022 and DiffusionMBIR).
 */
public final class Samplers {

	public enum Kind {
		DDPM, DDIM, PC, BDIA;

		public static Kind parse(final String s) {
			try {
				return valueOf(s.trim().toUpperCase(Locale.ROOT));
			}
			catch (final IllegalArgumentException e) {
				throw new IllegalArgumentException("unknown sampler '" + s + "' (use ddpm, ddim, pc or bdia)", e);
			}
		}
	}

	/** Image batch geometry. */
	public record Dims(int batch, int h, int w) {
		public int size() { return batch * h * w; }
	}

	/** Data consistency hooks; both default to doing nothing (unconditional sampling). */
	public interface Guidance {
		/** Adjusts the Tweedie estimate D(x; sigma) in place before the sampler uses it. */
		default void onDenoised(final float[] x0, final double sigma) {}

		/** Adjusts the state in place after a step that ended at noise level {@code sigma} (0 at the end). */
		default void afterStep(final float[] x, final double sigma) {}
	}

	public static final Guidance NONE = new Guidance() {};

	public static final class Settings {
		public Kind kind = Kind.DDIM;
		public Schedule.Kind schedule = Schedule.Kind.EDM;
		public int steps = 50;
		public double eta = 0, snr = 0.16, gamma = 0.5;
		public long seed = 1;

		public double[] sigmas() { return Schedule.sigmas(schedule, steps); }

		/** Network evaluations the run costs. */
		public int nfe() { return kind == Kind.PC ? 2 * steps : steps; }

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%s, %s schedule, %d steps%s", kind.name().toLowerCase(Locale.ROOT), schedule.name().toLowerCase(Locale.ROOT), steps,
				kind == Kind.DDIM ? ", eta " + eta : kind == Kind.PC ? ", snr " + snr : kind == Kind.BDIA ? ", gamma " + gamma : "");
		}
	}

	private Samplers() {}

	/** A draw from the model (or, with guidance, an approximate posterior draw); starts from sigma_0 n. */
	public static float[] sample(final ScoreModel m, final Dims d, final Settings s, final Guidance g, final Monitor mon) {
		final double[] sig = s.sigmas();
		final SplittableRandom r = new SplittableRandom(s.seed);
		final float[] x = new float[d.size()];
		for (int i = 0; i < x.length; i++) x[i] = (float) (sig[0] * Noise.gauss(r));
		return run(m, d, s, sig, x, g, r, mon);
	}

	static float[] run(final ScoreModel m, final Dims d, final Settings s, final double[] sig, final float[] x, final Guidance g, final SplittableRandom r, final Monitor mon) {
		final int steps = sig.length - 1;
		float[] prevZ = null;
		for (int k = 0; k < steps; k++) {
			mon.checkCanceled();
			final double st = sig[k], ss = sig[k + 1];
			switch (s.kind) {
				case DDPM, DDIM -> {
					final double eta = s.kind == Kind.DDPM ? 1 : s.eta;
					final float[] dn = m.denoise(x, d.batch(), d.h(), d.w(), st);
					g.onDenoised(dn, st);
					final double c = eta * ss * Math.sqrt(Math.max(0, st * st - ss * ss)) / st;
					final double f = Math.sqrt(Math.max(0, ss * ss - c * c)) / st;
					for (int i = 0; i < x.length; i++) x[i] = (float) (dn[i] + f * (x[i] - dn[i]) + (c > 0 ? c * Noise.gauss(r) : 0));
				}
				case PC -> {
					langevin(m, d, x, st, s.snr, r);
					g.afterStep(x, st);
					final float[] dn = m.denoise(x, d.batch(), d.h(), d.w(), st);
					g.onDenoised(dn, st);
					final double dv = st * st - ss * ss, noise = ss > 0 ? Math.sqrt(dv) : 0;
					for (int i = 0; i < x.length; i++) x[i] = (float) (x[i] + dv * (dn[i] - x[i]) / (st * st) + (noise > 0 ? noise * Noise.gauss(r) : 0));
				}
				case BDIA -> {
					final float[] dn = m.denoise(x, d.batch(), d.h(), d.w(), st);
					g.onDenoised(dn, st);
					final float[] z = prevZ == null ? null : new float[x.length];
					if (z != null) bdiaPrevious(x, dn, st, sig[k - 1], sig[k + 1], prevZ, s.gamma, z);
					final double as = Schedule.vpScale(ss), at = Schedule.vpScale(st);
					final float[] zCur = new float[x.length];
					for (int i = 0; i < x.length; i++) {
						zCur[i] = (float) (at * x[i]);
						final double next = dn[i] + ss * (x[i] - dn[i]) / st;
						x[i] = (float) ((as * next + (z == null ? 0 : z[i])) / as);
					}
					prevZ = zCur;
				}
			}
			g.afterStep(x, ss);
			mon.iteration(k + 1, steps, ss, null);
		}
		return x;
	}

	/** out = gamma (z_{i+1} - a_{i+1} X_{i+1}): the BDIA correction, X_{i+1} the DDIM step from x_i back up to sigmaUp. */
	private static void bdiaPrevious(final float[] x, final float[] dn, final double st, final double sigmaUp, final double ss, final float[] zUp, final double gamma, final float[] out) {
		final double au = Schedule.vpScale(sigmaUp);
		for (int i = 0; i < x.length; i++) {
			final double up = dn[i] + sigmaUp * (x[i] - dn[i]) / st;
			out[i] = (float) (gamma * (zUp[i] - au * up));
		}
	}

	/** One Langevin corrector step at noise level sigma with Song's step rule (per image). */
	static void langevin(final ScoreModel m, final Dims d, final float[] x, final double sigma, final double snr, final SplittableRandom r) {
		final float[] dn = m.denoise(x, d.batch(), d.h(), d.w(), sigma);
		final int img = d.h() * d.w();
		final double[] z = new double[img];
		for (int b = 0; b < d.batch(); b++) {
			double gn = 0, zn = 0;
			for (int p = 0; p < img; p++) {
				final int i = b * img + p;
				final double sc = (dn[i] - x[i]) / (sigma * sigma);
				gn += sc * sc;
				z[p] = Noise.gauss(r);
				zn += z[p] * z[p];
			}
			final double eps = 2 * Math.pow(snr * Math.sqrt(zn) / Math.max(Math.sqrt(gn), 1e-30), 2);
			final double amp = Math.sqrt(2 * eps);
			for (int p = 0; p < img; p++) {
				final int i = b * img + p;
				x[i] = (float) (x[i] + eps * (dn[i] - x[i]) / (sigma * sigma) + amp * z[p]);
			}
		}
	}

	/**
	 * Inverts an unguided BDIA run: from its last two states (x at sig[N] and at sig[N-1]) back to the
	 * starting noise at sig[0]. Each backward step needs one NFE.
	 */
	public static float[] bdiaInvert(final ScoreModel m, final Dims d, final double[] sig, final double gamma, final float[] xLast, final float[] xBeforeLast) {
		if (!(gamma > 0)) throw new IllegalArgumentException("BDIA is invertible only for gamma > 0, got " + gamma);
		final int n = sig.length - 1;
		// states in VP coordinates: zNext = state at sig[k+1], zCur at sig[k]
		float[] zNext = scale(xLast, Schedule.vpScale(sig[n]));
		float[] zCur = scale(xBeforeLast, Schedule.vpScale(sig[n - 1]));
		for (int k = n - 1; k >= 1; k--) {
			final double st = sig[k], ss = sig[k + 1], su = sig[k - 1];
			final double at = Schedule.vpScale(st), as = Schedule.vpScale(ss), au = Schedule.vpScale(su);
			final float[] x = scale(zCur, 1 / at);
			final float[] dn = m.denoise(x, d.batch(), d.h(), d.w(), st);
			final float[] zUp = new float[x.length];
			for (int i = 0; i < x.length; i++) {
				final double down = dn[i] + ss * (x[i] - dn[i]) / st, up = dn[i] + su * (x[i] - dn[i]) / st;
				zUp[i] = (float) (au * up + (zNext[i] - as * down) / gamma);
			}
			zNext = zCur;
			zCur = zUp;
		}
		return scale(zCur, 1 / Schedule.vpScale(sig[0]));
	}

	private static float[] scale(final float[] v, final double a) {
		final float[] o = new float[v.length];
		for (int i = 0; i < v.length; i++) o[i] = (float) (a * v[i]);
		return o;
	}
}
