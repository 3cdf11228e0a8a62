package org.recon4d.mri;

import java.util.Locale;
import java.util.SplittableRandom;

import org.recon4d.op.Operators;
import org.recon4d.op.mri.MriOperator;
import org.recon4d.op.mri.Nufft;
import org.recon4d.op.mri.RadialSense;
import org.recon4d.phantom.CardiacPhantom;
import org.recon4d.psm.PsmModel;
import org.recon4d.psm.Psm;
import org.recon4d.psm.SplineBasis;
import org.recon4d.solve.Monitor;

/**
 * Dynamic (2D+t) MRI: golden-angle radial acquisition of a moving object, one batch image per
 * frame, and its reconstructions: CG-SENSE frame by frame, space-time TV (temporal differences in
 * the TV group) and the partially separable model (PSM, the RED-PSM issue's code on the MRI
 * operator, started from the space-time TV result).
 */
public final class DynamicMri {

	/** A simulated acquisition. */
	public static final class Data {
		public final RadialSense op;
		public final float[] kspace, truth; // truth: complex {2, n, n, frames}
		public final double[][] angles;     // per frame

		Data(final RadialSense op, final float[] kspace, final float[] truth, final double[][] angles) {
			this.op = op;
			this.kspace = kspace;
			this.truth = truth;
			this.angles = angles;
		}
	}

	private DynamicMri() {}

	/**
	 * The cardiac phantom (3 beats, 1 breath over the series) with a smooth phase, simulated coils,
	 * golden-angle radial spokes (consecutive golden angles, {@code spokes} per frame, n samples per
	 * spoke) and complex Gaussian noise of {@code noise} times the largest sample magnitude.
	 */
	public static Data simulate(final int n, final int frames, final int coils, final int spokes, final double noise, final long seed) {
		final float[] mag = new CardiacPhantom(3, 1).render(n, frames);
		final float[] x = new float[2 * mag.length];
		for (int t = 0; t < frames; t++) for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) {
			final int p = (t * n + j) * n + i;
			final double ph = 0.4 * Math.sin(Math.PI * i / n) + 0.3 * j / n;
			x[2 * p] = (float) (mag[p] * Math.cos(ph));
			x[2 * p + 1] = (float) (mag[p] * Math.sin(ph));
		}
		final Nufft[] f = new Nufft[frames];
		final double[][] angles = new double[frames][];
		for (int t = 0; t < frames; t++) {
			angles[t] = Nufft.goldenAngles(spokes, t * spokes);
			final double[][] k = Nufft.radial(angles[t], n, n);
			f[t] = new Nufft(n, n, k[0], k[1], 2, 6);
		}
		final RadialSense a = new RadialSense(n, n, coils, CoilMaps.simulate(n, n, coils), f);
		final float[] y = a.apply(x);
		float max = 0;
		for (final float v : y) max = Math.max(max, Math.abs(v));
		final SplittableRandom r = new SplittableRandom(seed);
		for (int i = 0; i < y.length; i++) y[i] += (float) (noise * max * r.nextGaussian());
		return new Data(a, y, x, angles);
	}

	/** Settings of the dynamic reconstructions. */
	public static final class Params {
		public int iterations = 30;
		public double lambda = 0.005, timeWeight = 4;
		public int rank = 6, latents = 9, psmSteps = 60;

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "iterations=%d lambda=%g time-weight=%g (psm: K=%d d=%d, %d steps)", iterations, lambda, timeWeight, rank, latents, psmSteps);
		}
	}

	/** "frame-sense", "tv-spacetime" or "psm"; returns the complex frames {2, n, n, frames}. */
	public static float[] reconstruct(final MriOperator a, final float[] y, final String method, final Params p, final Monitor mon) {
		final MriRecon.Params q = new MriRecon.Params();
		q.iterations = p.iterations;
		switch (method) {
			case "frame-sense":
				q.method = MriRecon.Method.SENSE;
				q.lambda = 0.01;
				return MriRecon.run(a, y, q, mon);
			case "tv-spacetime":
				q.method = MriRecon.Method.TV;
				q.lambda = p.lambda;
				q.timeWeight = p.timeWeight;
				return MriRecon.run(a, y, q, mon);
			case "psm":
				return psm(a, y, reconstruct(a, y, "tv-spacetime", p, mon), p, mon);
			default: throw new IllegalArgumentException("unknown dynamic MRI method '" + method + "' (frame-sense, tv-spacetime, psm)");
		}
	}

	/** PSM fitted to the data from a start (e.g. the space-time TV result). */
	public static float[] psm(final MriOperator a, final float[] y, final float[] start, final Params p, final Monitor mon) {
		// PSM on the real representation: complex maps (re, im interleaved) times real temporal functions
		final int npix = 2 * a.nx() * a.ny();
		final SplineBasis basis = new SplineBasis(a.batch(), p.latents);
		final PsmModel init = PsmModel.fromImage(start, npix, p.rank + 1, basis, 1);
		final Psm.Params pp = new Psm.Params();
		pp.rank = p.rank;
		pp.latents = p.latents;
		pp.outer = p.psmSteps;
		pp.innerSteps = 1;
		pp.xi = pp.chi = 0;
		pp.normA2 = Math.pow(Operators.normEstimate(a, 20, 1), 2);
		return Psm.fit(a, y, init, pp, mon).render();
	}
}
