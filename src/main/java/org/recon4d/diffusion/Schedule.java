package org.recon4d.diffusion;

import java.util.Locale;

/**
 * Noise levels a sampler visits, all expressed as sigma of the variance-exploding form
 * x = x0 + sigma n (see {@link ScoreModel}); every grid is decreasing and ends with 0.
 * <ul>
 * <li>{@code VE} (Song et al. 2021, NCSN): geometric from sigma_max to sigma_min.</li>
 * <li>{@code VP} (DDPM / Song et al. 2021): the continuous linear-beta VP SDE (beta_min 0.1,
 * beta_max 20) at t uniform in [1, 1e-3]; VP state z = x / sqrt(1 + sigma^2), with
 * sigma(t) = sqrt(exp(beta_min t + (beta_max - beta_min) t^2 / 2) - 1).</li>
 * <li>{@code EDM} (Karras et al. 2022): sigma_i = (smax^(1/rho) + i/(N-1) (smin^(1/rho) -
 * smax^(1/rho)))^rho with rho 7.</li>
 * </ul>
 */
public final class Schedule {

	public enum Kind {
		VE, VP, EDM;

		public static Kind parse(final String s) {
			try {
				return valueOf(s.trim().toUpperCase(Locale.ROOT));
			}
			catch (final IllegalArgumentException e) {
				throw new IllegalArgumentException("unknown noise schedule '" + s + "' (use ve, vp or edm)", e);
			}
		}
	}

	public static final double VP_BETA_MIN = 0.1, VP_BETA_MAX = 20, VP_T_MIN = 1e-3;

	private Schedule() {}

	/** {@code steps} noise levels (decreasing) followed by 0; default ranges per kind. */
	public static double[] sigmas(final Kind kind, final int steps) {
		return switch (kind) {
			case VE -> sigmas(kind, steps, 0.01, 40);
			case VP -> sigmas(kind, steps, vpSigma(VP_T_MIN), vpSigma(1));
			case EDM -> sigmas(kind, steps, 0.002, 80);
		};
	}

	/** {@code steps} noise levels from {@code sigmaMax} down to {@code sigmaMin}, then 0. */
	public static double[] sigmas(final Kind kind, final int steps, final double sigmaMin, final double sigmaMax) {
		if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
		if (!(sigmaMin > 0 && sigmaMax > sigmaMin)) throw new IllegalArgumentException("need 0 < sigma_min < sigma_max, got " + sigmaMin + ", " + sigmaMax);
		final double[] s = new double[steps + 1];
		for (int i = 0; i < steps; i++) {
			final double f = steps == 1 ? 0 : i / (double) (steps - 1);
			s[i] = switch (kind) {
				case VE -> sigmaMax * Math.pow(sigmaMin / sigmaMax, f);
				case VP -> vpSigma(vpTime(sigmaMax) + f * (vpTime(sigmaMin) - vpTime(sigmaMax)));
				case EDM -> Math.pow(Math.pow(sigmaMax, 1 / 7.0) + f * (Math.pow(sigmaMin, 1 / 7.0) - Math.pow(sigmaMax, 1 / 7.0)), 7);
			};
		}
		return s;
	}

	/** sigma(t) of the linear-beta VP SDE. */
	public static double vpSigma(final double t) {
		return Math.sqrt(Math.expm1(VP_BETA_MIN * t + 0.5 * (VP_BETA_MAX - VP_BETA_MIN) * t * t));
	}

	/** Inverse of {@link #vpSigma}: t with sigma(t) = sigma. */
	public static double vpTime(final double sigma) {
		final double c = Math.log1p(sigma * sigma), a = 0.5 * (VP_BETA_MAX - VP_BETA_MIN), b = VP_BETA_MIN;
		return (-b + Math.sqrt(b * b + 4 * a * c)) / (2 * a);
	}

	/** VP scale a = 1 / sqrt(1 + sigma^2): z = a x. */
	public static double vpScale(final double sigma) {
		return 1 / Math.sqrt(1 + sigma * sigma);
	}
}
