package org.recon4d.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.recon4d.op.LinearOperator;
import org.recon4d.op.Operators;
import org.recon4d.op.reg.Gradient;
import org.recon4d.phantom.Noise;
import org.recon4d.solve.Monitor;

/** Every inverse solver pulls a Gaussian-prior draw towards the data; ADMM TV converges. */
class InverseSolversTest {

	static final int H = 8, W = 8, Z = 6;

	/** A random sparse-sampling operator: 40% of the voxels, each seen through a random gain in [0.5, 2]. */
	static LinearOperator sampling(final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final int n = H * W * Z;
		final float[] gain = new float[n];
		for (int i = 0; i < n; i++) gain[i] = r.nextDouble() < 0.4 ? (float) (0.5 + 1.5 * r.nextDouble()) : 0;
		return new LinearOperator() {
			@Override public long[] domainShape() { return new long[] { W, H, Z }; }
			@Override public long[] rangeShape() { return new long[] { W, H, Z }; }
			@Override public void apply(final float[] x, final float[] y) { for (int i = 0; i < n; i++) y[i] = gain[i] * x[i]; }
			@Override public void adjoint(final float[] y, final float[] x) { apply(y, x); }
		};
	}

	static float[] truth(final GaussianPrior g, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] m = g.mean(), v = g.variance(), x = new float[H * W * Z];
		for (int i = 0; i < x.length; i++) x[i] = (float) (m[i % (H * W)] + Math.sqrt(v[i % (H * W)]) * Noise.gauss(r));
		return x;
	}

	@Test
	void everySolverFitsTheDataBetterThanAnUnguidedDraw() {
		final GaussianPrior g = SamplersTest.prior();
		final LinearOperator a = sampling(4);
		final float[] y = Noise.gaussian(a.apply(truth(g, 8)), 0.01, 3);
		final Samplers.Dims d = new Samplers.Dims(Z, H, W);
		final InverseSolvers.Problem p = InverseSolvers.Problem.of(a, y, d, null);
		assertEquals(2.0, p.norm(), 0.05);
		final Samplers.Settings pc = SamplersTest.settings(Samplers.Kind.PC, Schedule.Kind.VE, 100);
		final double free = p.residual(Samplers.sample(g, d, pc, Samplers.NONE, Monitor.NONE));
		final InverseSolvers.Counting counted = new InverseSolvers.Counting(g);
		final double proj = p.residual(InverseSolvers.projection(counted, p, pc, 1, 3, Monitor.NONE));
		assertEquals(200, counted.evaluations());
		final double dps = p.residual(InverseSolvers.dps(g, p, Schedule.Kind.EDM, 100, 1.0, 2, Monitor.NONE));
		final double red = p.residual(InverseSolvers.redDiff(g, p, Schedule.sigmas(Schedule.Kind.EDM, 200, 0.01, 2), 0.2, 0.05, 2, Monitor.NONE));
		final double mbir = p.residual(InverseSolvers.mbir(g, p, pc, 0.01, 1, 3, Monitor.NONE));
		final Samplers.Settings bdia = SamplersTest.settings(Samplers.Kind.BDIA, Schedule.Kind.EDM, 20);
		final double fast = p.residual(InverseSolvers.mbirFast(g, p, bdia, 0.01, 1, 3, 2, Monitor.NONE));
		final String all = String.format("unguided %.3f projection %.3f dps %.3f red-diff %.3f mbir %.3f mbir-bdia %.3f", free, proj, dps, red, mbir, fast);
		for (final double res : new double[] { proj, dps, red, mbir, fast }) assertTrue(res < 0.3 * free, all);
	}

	@Test
	void posteriorDrawsGiveASmallerSdWhereMeasured() {
		final GaussianPrior g = SamplersTest.prior();
		final LinearOperator a = sampling(4);
		final float[] y = Noise.gaussian(a.apply(truth(g, 8)), 0.01, 3);
		final InverseSolvers.Problem p = InverseSolvers.Problem.of(a, y, new Samplers.Dims(Z, H, W), null);
		final List<float[]> draws = new ArrayList<>();
		for (int s = 0; s < 12; s++) {
			final Samplers.Settings st = SamplersTest.settings(Samplers.Kind.BDIA, Schedule.Kind.EDM, 20);
			st.seed = 100 + s;
			// a weak split penalty: rho couples neighbouring slices and, at rho 1, shrinks the spread of
			// unmeasured voxels from 0.15 to 0.035 (measured); at 0.01 it leaves 0.09-0.10
			draws.add(InverseSolvers.mbirFast(g, p, st, 1e-4, 0.01, 5, 2, Monitor.NONE));
		}
		final float[] sd = InverseSolvers.meanAndSd(draws)[1];
		final float[] seen = a.apply(filled(1f));
		double in = 0, out = 0;
		int nin = 0, nout = 0;
		for (int i = 0; i < sd.length; i++) if (seen[i] > 0) { in += sd[i]; nin++; } else { out += sd[i]; nout++; }
		in /= nin;
		out /= nout;
		// unmeasured voxels keep the prior's spread (sd 0.1 or 0.2), measured ones are pinned by the data
		assertTrue(out > 0.08 && in < 0.3 * out, "posterior sd measured " + in + ", unmeasured " + out);
	}

	static float[] filled(final float v) {
		final float[] x = new float[H * W * Z];
		java.util.Arrays.fill(x, v);
		return x;
	}

	@Test
	void admmTvConvergesOnTvDenoisingAlongZ() {
		final SplittableRandom r = new SplittableRandom(2);
		final float[] y = new float[H * W * Z];
		for (int i = 0; i < y.length; i++) y[i] = (i / (H * W) < Z / 2 ? 1 : 0) + (float) (0.2 * Noise.gauss(r));
		final LinearOperator id = Operators.identity(W, H, Z);
		final Gradient dz = new Gradient(new long[] { W, H, Z }, new int[] { 2 }, new double[] { 1 });
		final double lambda = 0.3;
		final float[] x = y.clone();
		final AdmmTv admm = new AdmmTv(id, y, dz, lambda, 1, 10);
		final double f0 = AdmmTv.objective(id, y, dz, lambda, x);
		double f20 = 0;
		for (int k = 1; k <= 300; k++) {
			admm.iterate(x);
			if (k == 20) f20 = AdmmTv.objective(id, y, dz, lambda, x);
		}
		final double f300 = AdmmTv.objective(id, y, dz, lambda, x);
		assertTrue(f20 < 0.8 * f0, "objective " + f0 + " -> " + f20);
		assertTrue(f300 <= f20 + 1e-6 && (f20 - f300) / f300 < 0.02, "objective after 20 and 300 iterations " + f20 + ", " + f300);
		// the 1D TV optimum of a noisy step keeps the step and flattens the noise
		double spread = 0;
		for (int i = 0; i < W * H; i++) spread += Math.abs(x[i] - x[i + W * H]) / (W * H);
		assertTrue(spread < 0.1, "TV-z left within-plateau differences of " + spread);
	}
}
