package org.recon4d.psm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.recon4d.metrics.Metrics;
import org.recon4d.op.LinearOperator;
import org.recon4d.op.Operators;
import org.recon4d.op.tomo.ParallelBeamProjector;
import org.recon4d.phantom.AngleSchedule;
import org.recon4d.solve.Monitor;

/** The projection-domain (ProSep) start: temporal subspace recovery, the maps operator, CGLS maps. */
class ProSepTest {

	/** Relative residual of each true temporal function after projection onto the span of the fitted ones. */
	static double worstSubspaceError(final double[][] truePsi, final double[][] fitted) {
		final double[][] q = new double[fitted.length][];
		for (int k = 0; k < q.length; k++) q[k] = fitted[k].clone();
		PsmModel.orthonormalise(q);
		double worst = 0;
		for (final double[] v : truePsi) {
			final double[] r = v.clone();
			for (final double[] e : q) {
				double d = 0;
				for (int t = 0; t < r.length; t++) d += v[t] * e[t];
				for (int t = 0; t < r.length; t++) r[t] -= d * e[t];
			}
			double rn = 0, vn = 0;
			for (int t = 0; t < r.length; t++) { rn += r[t] * r[t]; vn += v[t] * v[t]; }
			worst = Math.max(worst, Math.sqrt(rn / vn));
		}
		return worst;
	}

	@Test
	void recoversTheTemporalSubspaceFromOneViewPerFrame() {
		final int n = 32, frames = 96, comps = 3;
		final SplineBasis b = new SplineBasis(frames, 7);
		final PsmModel truth = PsmModel.random(n, n, comps, b, 5);
		final double[][] angles = AngleSchedule.BITREVERSED.angles(frames, 1);
		final ParallelBeamProjector a = new ParallelBeamProjector(n, n, 1, n, angles);
		final float[] g = a.apply(truth.render());
		final ProSep.Params p = new ProSep.Params();
		p.harmonics = 8; // smooth Gaussian blobs: their sinograms are nearly band-limited in angle
		final ProSep.Fit fit = ProSep.temporal(g, angles, n, comps, b, p);
		final double[][] psi = new double[comps][];
		for (int k = 0; k < comps; k++) psi[k] = b.apply(fit.latents[k]);
		final double err = worstSubspaceError(truth.temporal(), psi);
		System.out.printf("ProSep: residual %.4f -> %.4f, worst temporal subspace error %.4f%n", fit.residual[0], fit.residual[p.sweeps - 1], err);
		assertTrue(err < 0.05, "temporal subspace error " + err);
		assertTrue(fit.residual[p.sweeps - 1] < 0.05, "sinogram residual " + fit.residual[p.sweeps - 1]);
		assertTrue(fit.residual[p.sweeps - 1] <= fit.residual[0] * 1.0001, "residual rose");
		// a random start of the temporal functions is far from the truth: the fit did the work
		final double[][] start = new double[comps][frames];
		for (int k = 0; k < comps; k++) for (int t = 0; t < frames; t++) start[k][t] = Math.cos(Math.PI * k * (t + 0.5) / frames);
		assertTrue(worstSubspaceError(truth.temporal(), start) > 4 * err, "the start was already right");
	}

	@Test
	void mapsOperatorIsAdjointAndCglsFitsTheData() {
		final int n = 24, frames = 16, comps = 3;
		final SplineBasis b = new SplineBasis(frames, 5);
		final PsmModel truth = PsmModel.random(n, n, comps, b, 9);
		final ParallelBeamProjector a = new ParallelBeamProjector(n, n, 1, n, AngleSchedule.BITREVERSED.angles(frames, 6));
		final LinearOperator m = ProSep.mapsOperator(a, truth);
		final double adj = Operators.adjointError(m, 3);
		assertTrue(adj < 1e-5, "adjoint error " + adj);
		// with the true temporal functions, CGLS maps reproduce the object closely (6 views per frame)
		final float[] g = a.apply(truth.render());
		final float[] maps = org.recon4d.solve.Iterative.cgls(m, g, 200, Monitor.NONE);
		final PsmModel fit = truth.copy();
		System.arraycopy(maps, 0, fit.maps, 0, maps.length);
		final double e = Metrics.nrmse(fit.render(), truth.render());
		System.out.printf("ProSep maps by CGLS with true temporal functions: relative error %.4f, adjoint %.2e%n", e, adj);
		assertTrue(e < 0.05, "relative error " + e);
	}

	@Test
	void rejectsTooManyUnknownsPerBin() {
		final SplineBasis b = new SplineBasis(8, 5);
		final double[][] angles = AngleSchedule.BITREVERSED.angles(8, 1);
		final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
			() -> ProSep.temporal(new float[8 * 16], angles, 16, 3, b, new ProSep.Params()));
		assertTrue(ex.getMessage().contains("fewer unknowns"), ex.getMessage());
	}
}
