package org.recon4d.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.recon4d.phantom.Noise;
import org.recon4d.solve.Monitor;

/** Schedules and samplers against the closed forms of a Gaussian data distribution. */
class SamplersTest {

	static final int H = 8, W = 8, BATCH = 4096;

	static GaussianPrior prior() {
		final float[] m = new float[H * W], v = new float[H * W];
		for (int p = 0; p < m.length; p++) { m[p] = 0.2f + 0.6f * p / m.length; v[p] = p % 2 == 0 ? 0.04f : 0.01f; }
		return new GaussianPrior(m, v);
	}

	/** Over pixels: mean |sample mean - mean| / sd, and mean sample variance / variance. */
	static double[] moments(final float[] x, final GaussianPrior g) {
		final float[] mean = g.mean(), var = g.variance();
		final int img = mean.length, b = x.length / img;
		double meanErr = 0, ratio = 0;
		for (int p = 0; p < img; p++) {
			double s = 0, s2 = 0;
			for (int k = 0; k < b; k++) s += x[k * img + p];
			s /= b;
			for (int k = 0; k < b; k++) s2 += (x[k * img + p] - s) * (x[k * img + p] - s);
			s2 /= b - 1;
			meanErr += Math.abs(s - mean[p]) / Math.sqrt(var[p]) / img;
			ratio += s2 / var[p] / img;
		}
		return new double[] { meanErr, ratio };
	}

	static double[] draw(final GaussianPrior g, final Samplers.Kind k, final Schedule.Kind s, final int steps) {
		return moments(Samplers.sample(g, new Samplers.Dims(BATCH, H, W), settings(k, s, steps), Samplers.NONE, Monitor.NONE), g);
	}

	static Samplers.Settings settings(final Samplers.Kind k, final Schedule.Kind s, final int steps) {
		final Samplers.Settings st = new Samplers.Settings();
		st.kind = k;
		st.schedule = s;
		st.steps = steps;
		st.seed = 3;
		return st;
	}

	@Test
	void schedulesDecreaseToZeroAndInvert() {
		for (final Schedule.Kind k : Schedule.Kind.values()) {
			final double[] s = Schedule.sigmas(k, 30);
			assertEquals(31, s.length);
			assertEquals(0, s[30]);
			for (int i = 1; i < s.length; i++) assertTrue(s[i] < s[i - 1], k + " not decreasing at " + i);
		}
		assertEquals(80, Schedule.sigmas(Schedule.Kind.EDM, 10)[0], 1e-9);
		assertEquals(0.002, Schedule.sigmas(Schedule.Kind.EDM, 10)[9], 1e-12);
		// VP: sigma(1) of the linear-beta SDE is sqrt(e^10.05 - 1), and t(sigma(t)) = t
		assertEquals(Math.sqrt(Math.expm1(10.05)), Schedule.vpSigma(1), 1e-9);
		for (final double t : new double[] { 1e-3, 0.1, 0.5, 1 }) assertEquals(t, Schedule.vpTime(Schedule.vpSigma(t)), 1e-9);
		// VP grid is uniform in t
		final double[] vp = Schedule.sigmas(Schedule.Kind.VP, 5);
		final double dt = Schedule.vpTime(vp[0]) - Schedule.vpTime(vp[1]);
		for (int i = 1; i < 4; i++) assertEquals(dt, Schedule.vpTime(vp[i]) - Schedule.vpTime(vp[i + 1]), 1e-9);
		assertThrows(IllegalArgumentException.class, () -> Schedule.Kind.parse("cosine"));
	}

	@Test
	void everySamplerDrawsTheGaussianDataDistribution() {
		final GaussianPrior g = prior();
		// 4096 draws of 64 pixels: the averaged variance ratio has a standard error of about 0.003
		final double[] ddpm = draw(g, Samplers.Kind.DDPM, Schedule.Kind.EDM, 1000);
		assertTrue(ddpm[0] < 0.05 && Math.abs(ddpm[1] - 1) < 0.04, "DDPM moments " + Arrays.toString(ddpm));
		// DDIM is Euler on the probability-flow ODE: first order, the variance error halves with twice the steps
		final double e60 = Math.abs(draw(g, Samplers.Kind.DDIM, Schedule.Kind.EDM, 60)[1] - 1);
		final double e120 = Math.abs(draw(g, Samplers.Kind.DDIM, Schedule.Kind.EDM, 120)[1] - 1);
		final double e240 = Math.abs(draw(g, Samplers.Kind.DDIM, Schedule.Kind.EDM, 240)[1] - 1);
		assertTrue(e240 < 0.04, "DDIM 240 steps variance error " + e240);
		for (final double rate : new double[] { e60 / e120, e120 / e240 }) assertTrue(rate > 1.6 && rate < 2.5, "DDIM convergence rate " + rate + " (first order: 2)");
		// BDIA at 30 steps is closer than DDIM at 120 (measured 0.96 vs 0.94 variance ratio)
		final double[] bdia = draw(g, Samplers.Kind.BDIA, Schedule.Kind.EDM, 30);
		assertTrue(bdia[0] < 0.05 && Math.abs(bdia[1] - 1) < e120, "BDIA 30 steps " + Arrays.toString(bdia) + " vs DDIM 120 error " + e120);
		// PC: the Langevin corrector at snr 0.16 over-disperses by about 8% at any step count (a finite-step bias)
		final double[] pc = draw(g, Samplers.Kind.PC, Schedule.Kind.VE, 300);
		assertTrue(pc[0] < 0.05 && Math.abs(pc[1] - 1) < 0.12, "PC moments " + Arrays.toString(pc));
		// the VP grid works too
		final double[] vp = draw(g, Samplers.Kind.DDPM, Schedule.Kind.VP, 1000);
		assertTrue(vp[0] < 0.05 && Math.abs(vp[1] - 1) < 0.08, "DDPM on the VP grid " + Arrays.toString(vp));
	}

	@Test
	void guidedSamplingWithThePosteriorDenoiserDrawsTheExactPosterior() {
		// y = x0 on every other pixel plus noise of variance 0.005; the posterior is Gaussian per pixel
		final GaussianPrior g = prior();
		final SplittableRandom r = new SplittableRandom(9);
		final float[] mask = new float[H * W], y = new float[H * W], truth = new float[H * W];
		for (int p = 0; p < y.length; p++) {
			mask[p] = p % 3 == 0 ? 0 : 1;
			truth[p] = (float) (g.mean()[p] + Math.sqrt(g.variance()[p]) * Noise.gauss(r));
			y[p] = (float) (truth[p] + Math.sqrt(0.005) * Noise.gauss(r));
		}
		final GaussianPrior post = g.posterior(y, mask, 0.005);
		final double[] m = draw(post, Samplers.Kind.DDPM, Schedule.Kind.EDM, 1000);
		assertTrue(m[0] < 0.05, "posterior mean off by " + m[0] + " sd");
		assertTrue(Math.abs(m[1] - 1) < 0.04, "posterior variance ratio " + m[1]);
		// the posterior is narrower than the prior where measured
		assertTrue(post.variance()[1] < 0.5 * g.variance()[1]);
	}

	@Test
	void bdiaRunsBackwardsExactly() {
		final GaussianPrior g = prior();
		final Samplers.Dims d = new Samplers.Dims(4, H, W);
		final Samplers.Settings s = settings(Samplers.Kind.BDIA, Schedule.Kind.EDM, 12);
		s.gamma = 0.5;
		final double[] sig = s.sigmas();
		final SplittableRandom r = new SplittableRandom(5);
		final float[] x0 = new float[d.size()];
		for (int i = 0; i < x0.length; i++) x0[i] = (float) (sig[0] * Noise.gauss(r));
		// run all steps but the last, keep that state, then the last step
		final double[] head = Arrays.copyOf(sig, sig.length - 1);
		final float[] beforeLast = Samplers.run(g, d, s, head, x0.clone(), Samplers.NONE, new SplittableRandom(1), Monitor.NONE);
		final float[] last = Samplers.run(g, d, s, sig, x0.clone(), Samplers.NONE, new SplittableRandom(1), Monitor.NONE);
		final float[] back = Samplers.bdiaInvert(g, d, sig, s.gamma, last, beforeLast);
		double err = 0, norm = 0;
		for (int i = 0; i < x0.length; i++) { err += (back[i] - x0[i]) * (back[i] - x0[i]); norm += x0[i] * x0[i]; }
		assertTrue(Math.sqrt(err / norm) < 1e-4, "BDIA inversion relative error " + Math.sqrt(err / norm));
		// DDIM (gamma 0) is not invertible this way
		assertThrows(IllegalArgumentException.class, () -> Samplers.bdiaInvert(g, d, sig, 0, last, beforeLast));
	}
}
