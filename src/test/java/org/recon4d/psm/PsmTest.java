package org.recon4d.psm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.recon4d.metrics.Metrics;
import org.recon4d.op.Operators;
import org.recon4d.op.tomo.ParallelBeamProjector;
import org.recon4d.phantom.AngleSchedule;
import org.recon4d.prior.GaussianDenoiser;
import org.recon4d.solve.Fbp;
import org.recon4d.solve.Monitor;

/** Spline basis, PSM gradients, low-rank recovery, and the RED-PSM ADMM. */
class PsmTest {

	@Test
	void splineInterpolatesAndReproducesLines() {
		final SplineBasis b = new SplineBasis(11, 6); // knots at 0, .2, ..., 1; frames at 0, .1, ..., 1
		final double[] z = { 3, -1, 4, 1, -5, 9 };
		final double[] psi = b.apply(z);
		for (int j = 0; j < 6; j++) assertEquals(z[j], psi[2 * j], 1e-12, "knot " + j);
		final double[] line = b.apply(new double[] { 0, 0.2, 0.4, 0.6, 0.8, 1 });
		for (int t = 0; t < 11; t++) assertEquals(t / 10.0, line[t], 1e-12, "natural spline of a line is the line");
		assertArrayEquals(z, b.fit(psi), 1e-9);
		// B^T is the adjoint of B
		final double[] g = { 1, 2, 0, -1, 3, 1, 1, 0, 2, -2, 1 };
		double lhs = 0, rhs = 0;
		for (int t = 0; t < 11; t++) lhs += psi[t] * g[t];
		final double[] bt = b.adjoint(g);
		for (int j = 0; j < 6; j++) rhs += z[j] * bt[j];
		assertEquals(lhs, rhs, 1e-9);
	}

	@Test
	void gradientMatchesFiniteDifferences() {
		final int n = 16, frames = 8;
		final SplineBasis b = new SplineBasis(frames, 4);
		final PsmModel m = PsmModel.random(n, n, 3, b, 3);
		final ParallelBeamProjector a = new ParallelBeamProjector(n, n, 1, n, AngleSchedule.BITREVERSED.angles(frames, 2));
		final float[] g = a.apply(PsmModel.random(n, n, 3, b, 4).render());
		final float[] v = PsmModel.random(n, n, 3, b, 5).render();
		final Psm.Params p = new Psm.Params();
		final Psm.Grad gr = Psm.gradient(a, g, m, v, 2f, p);
		final double h = 1e-2;
		for (final int i : new int[] { 5, 300, 700 }) {
			final PsmModel up = m.copy(), dn = m.copy();
			up.maps[i] += h;
			dn.maps[i] -= h;
			final double num = (Psm.gradient(a, g, up, v, 2f, p).cost - Psm.gradient(a, g, dn, v, 2f, p).cost) / (2 * h);
			assertEquals(num, gr.maps[i], 2e-3 * Math.max(1, Math.abs(num)), "map entry " + i);
		}
		for (final int[] kj : new int[][] { { 0, 0 }, { 1, 2 }, { 2, 3 } }) {
			final PsmModel up = m.copy(), dn = m.copy();
			up.z[kj[0]][kj[1]] += h;
			dn.z[kj[0]][kj[1]] -= h;
			final double num = (Psm.gradient(a, g, up, v, 2f, p).cost - Psm.gradient(a, g, dn, v, 2f, p).cost) / (2 * h);
			assertEquals(num, gr.z[kj[0]][kj[1]], 2e-3 * Math.max(1, Math.abs(num)), "latent " + kj[0] + "," + kj[1]);
		}
	}

	@Test
	void fitRecoversAnExactlyLowRankObject() {
		final int n = 24, frames = 16, comps = 3;
		final SplineBasis b = new SplineBasis(frames, 5);
		final float[] truth = PsmModel.random(n, n, comps, b, 11).render();
		final ParallelBeamProjector a = new ParallelBeamProjector(n, n, 1, n, AngleSchedule.BITREVERSED.angles(frames, 8));
		final float[] g = a.apply(truth);
		final PsmModel init = PsmModel.fromImage(Fbp.reconstruct(a, g, Fbp.Filter.RAMP), n * n, comps, b, 1);
		final Psm.Params p = new Psm.Params();
		p.outer = 100;
		p.innerSteps = 10;
		p.xi = p.chi = 0;
		p.normA2 = Math.pow(Operators.normEstimate(a, 30, 1), 2);
		final double[] first = { Double.NaN };
		final double[] last = { Double.NaN };
		final float[] x = Psm.fit(a, g, init, p, (k, total, cost, f) -> { if (k == 1) first[0] = cost; last[0] = cost; }).render();
		final double before = Metrics.nrmse(init.render(), truth), after = Metrics.nrmse(x, truth);
		System.out.printf("PSM low-rank recovery: relative error %.4f (start %.4f), cost %.3e -> %.3e%n", after, before, first[0], last[0]);
		// the start is the rank-3 projection of an FBP (3.4 % error); the fit must get well below it
		assertTrue(after < 0.02, "relative error " + after);
		assertTrue(after < before / 2, "did not improve on the start: " + before + " -> " + after);
	}

	@Test
	void startRefusesMoreComponentsThanFramesOrLatents() {
		final float[] x = new float[4 * 6];
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PsmModel.fromImage(x, 4, 7, new SplineBasis(6, 9), 1));
		assertTrue(e.getMessage().contains("P=6"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> PsmModel.fromImage(x, 4, 5, new SplineBasis(6, 4), 1));
	}

	@Test
	void redPsmObjectiveDecreases() {
		final int n = 32, frames = 16;
		final SplineBasis b = new SplineBasis(frames, 5);
		final float[] truth = PsmModel.random(n, n, 3, b, 21).render();
		final ParallelBeamProjector a = new ParallelBeamProjector(n, n, 1, n, AngleSchedule.BITREVERSED.angles(frames, 2));
		final float[] g = org.recon4d.phantom.Noise.gaussian(a.apply(truth), 0.01, 3);
		final PsmModel init = PsmModel.fromImage(Fbp.slidingWindow(a, g, Fbp.Filter.HANN, 8), n * n, 3, b, 1);
		final Psm.Params p = new Psm.Params();
		p.outer = 30;
		p.normA2 = Math.pow(Operators.normEstimate(a, 30, 1), 2);
		final double[] costs = new double[p.outer];
		Psm.redPsm(a, g, init, new GaussianDenoiser(0.7), n, n, p, (k, total, cost, f) -> costs[k - 1] = cost);
		System.out.printf("RED-PSM objective %.4e -> %.4e%n", costs[0], costs[p.outer - 1]);
		assertTrue(costs[p.outer - 1] < 0.5 * costs[0], "objective " + costs[0] + " -> " + costs[p.outer - 1]);
		for (int k = 10; k < p.outer; k++) assertTrue(costs[k] <= costs[k - 1] * 1.01, "objective rose at " + k);
	}

	@Test
	void cancelStops() {
		final int n = 16, frames = 8;
		final SplineBasis b = new SplineBasis(frames, 4);
		final ParallelBeamProjector a = new ParallelBeamProjector(n, n, 1, n, AngleSchedule.BITREVERSED.angles(frames, 1));
		final PsmModel init = PsmModel.random(n, n, 2, b, 1);
		final int[] seen = { 0 };
		final Monitor mon = new Monitor() {
			@Override public void iteration(final int k, final int total, final double cost, final float[] x) { seen[0] = k; }
			@Override public boolean isCanceled() { return seen[0] >= 2; }
		};
		final Psm.Params p = new Psm.Params();
		p.normA2 = 100;
		assertThrows(java.util.concurrent.CancellationException.class, () -> Psm.redPsm(a, new float[a.rangeSize()], init, new GaussianDenoiser(1), n, n, p, mon));
		assertEquals(2, seen[0]);
	}
}
