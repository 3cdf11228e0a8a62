package org.recon4d.mri;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.recon4d.bench.MriBench;
import org.recon4d.metrics.Metrics;
import org.recon4d.op.Operators;
import org.recon4d.op.mri.Nufft;
import org.recon4d.op.mri.RadialSense;
import org.recon4d.solve.Monitor;

/** Golden-angle radial dynamic MRI: operator adjoint, and the reconstructions' ranking on a small case. */
class DynamicMriTest {

	@Test
	void radialSenseIsAdjoint() {
		final int n = 20, coils = 3;
		final Nufft[] f = new Nufft[2];
		for (int t = 0; t < 2; t++) {
			final double[][] k = Nufft.radial(Nufft.goldenAngles(7, 7 * t), n, n);
			f[t] = new Nufft(n, n, k[0], k[1], 2, 6);
		}
		final RadialSense a = new RadialSense(n, n, coils, CoilMaps.simulate(n, n, coils), f);
		final double e = Operators.adjointError(a, 3);
		System.out.printf("RadialSense adjoint error %.2e%n", e);
		assertTrue(e < 1e-5, "adjoint " + e);
	}

	@Test
	void spaceTimeTvAndPsmBeatFrameByFrameSense() {
		final int n = 40, frames = 12;
		final DynamicMri.Data d = DynamicMri.simulate(n, frames, 6, 8, 0.002, 1);
		final float[] truth = MriRecon.magnitude(d.truth);
		final DynamicMri.Params p = new DynamicMri.Params();
		p.iterations = 15;
		p.psmSteps = 20;
		final String[] methods = { "frame-sense", "tv-spacetime", "psm" };
		final double[] psnr = new double[3];
		float[] tv = null;
		for (int m = 0; m < 3; m++) {
			// PSM starts from the space-time TV result (as reconstruct("psm") does), computed once here
			final float[] r = m < 2 ? DynamicMri.reconstruct(d.op, d.kspace, methods[m], p, Monitor.NONE) : DynamicMri.psm(d.op, d.kspace, tv, p, Monitor.NONE);
			if (m == 1) tv = r;
			final float[] x = MriBench.align(MriRecon.magnitude(r), truth);
			psnr[m] = Metrics.psnr(x, truth);
			System.out.printf("dynamic MRI 40 x 40 x 12, 8 golden-angle spokes per frame: %-12s %.2f dB%n", methods[m], psnr[m]);
		}
		assertTrue(psnr[1] > psnr[0] + 3, "space-time TV " + psnr[1] + " vs frame-by-frame " + psnr[0]);
		assertTrue(psnr[2] > psnr[1] - 0.5, "PSM " + psnr[2] + " must keep the TV start's quality (" + psnr[1] + ")");
	}
}
