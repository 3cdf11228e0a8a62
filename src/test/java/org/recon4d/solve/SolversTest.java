package org.recon4d.solve;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.recon4d.metrics.Metrics;
import org.recon4d.op.reg.Gradient;
import org.recon4d.op.tomo.ParallelBeamProjector;
import org.recon4d.phantom.AngleSchedule;
import org.recon4d.phantom.DynamicPhantom;
import org.recon4d.phantom.Noise;
import org.recon4d.phantom.SheppLogan;

/** Every solver converges on a small phantom: PSNR bounds against ground truth, cost decrease. */
class SolversTest {

	static final int N = 64;
	static final float[] TRUTH = SheppLogan.image(N);
	static final ParallelBeamProjector A = ParallelBeamProjector.of(N, N, AngleSchedule.LINEAR.angles(1, 90)[0]);
	static final float[] CLEAN = A.apply(TRUTH);
	static final float[] NOISY = Noise.gaussian(CLEAN, 0.005, 7);

	@Test
	void psmRankIsLoweredToFitAShortSequence() {
		final TomoRecon.Params p = new TomoRecon.Params().method(TomoRecon.Method.RED_PSM);
		TomoRecon.fitRankToFrames(p, 128);
		assertEquals(8, p.psm.rank, "the default K fits 128 frames unchanged");
		TomoRecon.fitRankToFrames(p, 6);
		assertEquals(5, p.psm.rank, "K + 1 components cannot exceed 6 frames");
		p.psm.latents = 3;
		assertThrows(IllegalArgumentException.class, () -> TomoRecon.fitRankToFrames(p, 6));
	}

	@Test
	void fbpFilters() {
		for (final Fbp.Filter f : Fbp.Filter.values()) {
			final double psnr = Metrics.psnr(Fbp.reconstruct(A, NOISY, f), TRUTH);
			System.out.printf("FBP %-12s PSNR %.2f dB%n", f, psnr);
			assertTrue(psnr > 20, f + " PSNR " + psnr);
		}
	}

	@Test
	void fbpReproducesSmoothObjectScale() {
		// a Gaussian blob is band-limited: FBP must return it with the right amplitude
		final float[] blob = new float[N * N];
		for (int j = 0; j < N; j++) for (int i = 0; i < N; i++) {
			final double x = i - 31.5, y = j - 31.5;
			blob[j * N + i] = (float) Math.exp(-(x * x + y * y) / (2 * 36.0));
		}
		final float[] rec = Fbp.reconstruct(A, A.apply(blob), Fbp.Filter.RAMP);
		assertEquals(1.0, rec[32 * N + 32], 0.03, "peak amplitude");
		assertTrue(Metrics.psnr(rec, blob) > 35, "blob PSNR " + Metrics.psnr(rec, blob));
	}

	@Test
	void sirtConverges() {
		final History h = new History(TRUTH, null, null);
		final float[] x = Iterative.sirt(A, NOISY, 100, true, h);
		System.out.printf("SIRT PSNR %.2f dB (it 10: %.2f)%n", Metrics.psnr(x, TRUTH), h.psnr(9));
		assertTrue(Metrics.psnr(x, TRUTH) > 24);
		for (int k = 1; k < h.size(); k++) assertTrue(h.cost(k) <= h.cost(k - 1) * (1 + 1e-6), "SIRT cost rose at " + k);
	}

	@Test
	void cglsConverges() {
		final History h = new History(TRUTH, null, null);
		final float[] x = Iterative.cgls(A, CLEAN, 60, h);
		System.out.printf("CGLS PSNR %.2f dB, cost %.3e -> %.3e%n", Metrics.psnr(x, TRUTH), h.cost(0), h.cost(h.size() - 1));
		assertTrue(Metrics.psnr(x, TRUTH) > 30);
		assertTrue(h.cost(h.size() - 1) < 1e-3 * h.cost(0));
	}

	@Test
	void tvBeatsFbpOnFewViews() {
		final ParallelBeamProjector sparse = ParallelBeamProjector.of(N, N, AngleSchedule.LINEAR.angles(1, 20)[0]);
		final float[] y = Noise.gaussian(sparse.apply(TRUTH), 0.005, 3);
		final Gradient d = new Gradient(sparse.domainShape(), new int[] { 0, 1 }, new double[] { 1, 1 });
		final History h = new History(TRUTH, null, null);
		final float[] x = Pdhg.tvLeastSquares(sparse, y, d, 0.5, 300, true, h);
		final double fbp = Metrics.psnr(Fbp.reconstruct(sparse, y, Fbp.Filter.RAMP), TRUTH);
		final double tv = Metrics.psnr(x, TRUTH);
		System.out.printf("20 views: FBP %.2f dB, TV %.2f dB; cost %.4e -> %.4e%n", fbp, tv, h.cost(0), h.cost(h.size() - 1));
		assertTrue(tv > fbp + 8, "TV " + tv + " vs FBP " + fbp);
		// the objective settles: last 50 iterations change it by under 0.1 %
		assertTrue(Math.abs(h.cost(h.size() - 1) - h.cost(h.size() - 51)) < 1e-3 * h.cost(h.size() - 1));
	}

	@Test
	void spaceTimeTvBeatsSlidingWindowFbp() {
		final int n = 48, frames = 32;
		final float[] truth = new DynamicPhantom(1).render(n, frames);
		final ParallelBeamProjector a = new ParallelBeamProjector(n, n, 1, n, AngleSchedule.BITREVERSED.angles(frames, 2));
		final float[] y = Noise.gaussian(a.apply(truth), 0.005, 5);
		final float[] fbp = Fbp.slidingWindow(a, y, Fbp.Filter.HANN, 16);
		final Gradient d = new Gradient(a.domainShape(), new int[] { 0, 1, 3 }, new double[] { 1, 1, 16 });
		final float[] tv = Pdhg.tvLeastSquares(a, y, d, 0.1, 150, true, fbp, Monitor.NONE);
		final double pf = Metrics.psnr(fbp, truth), pt = Metrics.psnr(tv, truth);
		System.out.printf("dynamic %dx%dx%d: sliding FBP %.2f dB, space-time TV %.2f dB%n", n, n, frames, pf, pt);
		assertTrue(pt > pf + 3, "space-time TV " + pt + " vs FBP " + pf);
	}

	@Test
	void fbpZeroesOutsideTheFieldOfView() {
		final float[] x = Fbp.reconstruct(A, NOISY, Fbp.Filter.RAMP);
		assertEquals(0f, x[0], 0f);                       // corner: outside the disc of radius N/2
		assertEquals(0f, x[N - 1 + (N - 1) * N], 0f);
		assertNotEquals(0f, x[N / 2 * N + N / 2]);        // centre
		final ParallelBeamProjector wide = ParallelBeamProjector.of(N, (int) Math.ceil(N * Math.sqrt(2)) + 1, AngleSchedule.LINEAR.angles(1, 90)[0]);
		assertNotEquals(0f, Fbp.reconstruct(wide, wide.apply(TRUTH), Fbp.Filter.RAMP)[0], "a wide detector covers the corners");
	}

	@Test
	void cancelStopsWithinOneIteration() {
		final AtomicInteger seen = new AtomicInteger();
		final Monitor mon = new Monitor() {
			@Override public void iteration(final int k, final int total, final double cost, final float[] x) { seen.set(k); }
			@Override public boolean isCanceled() { return seen.get() >= 3; }
		};
		assertThrows(CancellationException.class, () -> Iterative.cgls(A, CLEAN, 100, mon));
		assertEquals(3, seen.get());
		seen.set(0);
		final Gradient d = new Gradient(A.domainShape(), new int[] { 0, 1 }, new double[] { 1, 1 });
		assertThrows(CancellationException.class, () -> Pdhg.tvLeastSquares(A, CLEAN, d, 0.1, 100, true, mon));
		assertEquals(3, seen.get());
	}
}
