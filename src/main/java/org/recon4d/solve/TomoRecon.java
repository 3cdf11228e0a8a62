package org.recon4d.solve;

import java.util.Locale;

import org.recon4d.op.reg.Gradient;
import org.recon4d.op.tomo.ParallelBeamProjector;

/**
 * One entry point for the classical tomographic reconstructions, used by commands, the demo and
 * scripts. Methods: FBP (per frame, or sliding window over frames), SIRT, CGLS, TV (spatial,
 * frame by frame jointly) and TV in space and time; TV starts from FBP.
 */
public final class TomoRecon {

	public enum Method {
		FBP, SIRT, CGLS, TV, TV_SPACETIME, PSM, RED_PSM;

		public static Method parse(final String s) {
			switch (s.trim().toLowerCase(Locale.ROOT).replace("_", "-")) {
				case "fbp": return FBP;
				case "sirt": return SIRT;
				case "cgls": return CGLS;
				case "tv": case "tv-space": return TV;
				case "tv-spacetime": case "tv-space-time": case "tvst": return TV_SPACETIME;
				case "psm": return PSM;
				case "red-psm": case "redpsm": return RED_PSM;
				default: throw new IllegalArgumentException("unknown method '" + s + "' (use fbp, sirt, cgls, tv, tv-spacetime, psm or red-psm)");
			}
		}
	}

	/** Parameters with the defaults the demo uses on the 128x128x128 dynamic phantom. */
	public static final class Params {
		public Method method = Method.TV_SPACETIME;
		public Fbp.Filter filter = Fbp.Filter.HANN;
		/** FBP: frames pooled per reconstructed frame (1 = each frame alone). */
		public int window = 32;
		public int iterations = 200;
		public double lambda = 0.1;
		/** Weight of the time difference relative to the spatial ones in space-time TV. */
		public double timeWeight = 16;
		public boolean nonneg = true;
		/** PSM and RED-PSM settings (rank, latents, ADMM weights, steps). */
		public org.recon4d.psm.Psm.Params psm = new org.recon4d.psm.Psm.Params();
		/** RED-PSM denoiser: artefact (default), builtin, gaussian:SIGMA, a TorchScript file or DnCNN weights (see Denoisers). */
		public String denoiser = "artefact";
		/**
		 * PSM start: "tv-spacetime" (temporal functions and maps from the space-time TV result;
		 * measured best, see design notes), "fbp" (the same from the sliding-window FBP), "prosep"
		 * (temporal functions from the projection-domain fit, maps by CGLS: no image-domain
		 * reconstruction at all) or "prosep-tv" (ProSep temporal functions, maps from the TV result).
		 */
		public String psmInit = "tv-spacetime";
		public org.recon4d.psm.ProSep.Params prosep = new org.recon4d.psm.ProSep.Params();

		public Params method(final Method m) { method = m; return this; }
		public Params filter(final Fbp.Filter f) { filter = f; return this; }
		public Params window(final int w) { window = w; return this; }
		public Params iterations(final int k) { iterations = k; return this; }
		public Params lambda(final double l) { lambda = l; return this; }
		public Params timeWeight(final double w) { timeWeight = w; return this; }
		public Params nonneg(final boolean b) { nonneg = b; return this; }

		@Override
		public String toString() {
			switch (method) {
				case FBP: return String.format(Locale.ROOT, "fbp filter=%s window=%d", filter, window);
				case SIRT: case CGLS: return String.format(Locale.ROOT, "%s iterations=%d", method, iterations);
				case PSM: return "psm " + psm + " init=" + psmInit;
				case RED_PSM: return "red-psm " + psm + " denoiser=" + denoiser + " init=" + psmInit;
				default: return String.format(Locale.ROOT, "%s iterations=%d lambda=%g timeWeight=%g nonneg=%b (FBP start, window %d)", method, iterations, lambda, timeWeight, nonneg, window);
			}
		}
	}

	private TomoRecon() {}

	public static float[] run(final ParallelBeamProjector a, final float[] sino, final Params p, final Monitor mon) {
		if (sino.length != a.rangeSize())
			throw new IllegalArgumentException("sinogram has " + sino.length + " values, geometry needs " + a.rangeSize() +
				" (" + a.detectors() + " bins x " + a.views() + " views x " + a.nz() + " slices x " + a.frames() + " frames)");
		final int nonFinite = org.recon4d.util.Vec.firstNonFinite(sino);
		if (nonFinite >= 0) throw new IllegalArgumentException("sinogram value " + nonFinite + " is " + sino[nonFinite]);
		switch (p.method) {
			case FBP: return fbp(a, sino, p);
			case SIRT: return Iterative.sirt(a, sino, p.iterations, p.nonneg, mon);
			case CGLS: return Iterative.cgls(a, sino, p.iterations, mon);
			case TV: return Pdhg.tvLeastSquares(a, sino, gradient(a, false, p), p.lambda, p.iterations, p.nonneg, fbp(a, sino, p), mon);
			case TV_SPACETIME: return spaceTimeTv(a, sino, p, mon);
			case PSM: case RED_PSM: return psm(a, sino, p, mon);
			default: throw new AssertionError(p.method);
		}
	}

	static float[] psm(final ParallelBeamProjector a, final float[] sino, final Params p, final Monitor mon) {
		if (a.nz() != 1) throw new IllegalArgumentException("PSM methods take 2D+t data (one slice), got " + a.nz() + " slices");
		if (a.frames() < 2) throw new IllegalArgumentException("PSM methods need several time frames, got " + a.frames());
		fitRankToFrames(p, a.frames());
		// load the denoiser first: a bad file should fail before minutes of work
		try (org.recon4d.prior.Denoiser d = denoiserFor(p)) {
			final org.recon4d.psm.SplineBasis basis = new org.recon4d.psm.SplineBasis(a.frames(), p.psm.latents);
			final int npix = a.nx() * a.ny(), comps = p.psm.rank + 1;
			final org.recon4d.psm.PsmModel init;
			switch (p.psmInit) {
				case "tv-spacetime": case "fbp": {
					final float[] start = "fbp".equals(p.psmInit) ? fbp(a, sino, p)
						: spaceTimeTv(a, sino, p, mon);
					init = org.recon4d.psm.PsmModel.fromImage(start, npix, comps, basis, 1);
					break;
				}
				case "prosep":
					init = org.recon4d.psm.ProSep.init(a, sino, a.angles(), a.detectors(), npix, comps, basis, p.prosep, mon);
					break;
				case "prosep-tv": {
					final float[] start = spaceTimeTv(a, sino, p, mon);
					init = org.recon4d.psm.ProSep.fromReconstruction(sino, a.angles(), a.detectors(), start, npix, comps, basis, p.prosep);
					break;
				}
				default: throw new IllegalArgumentException("unknown PSM start '" + p.psmInit + "' (use tv-spacetime, fbp, prosep or prosep-tv)");
			}
			return solvePsm(a, sino, init, d, p, mon);
		}
	}

	/**
	 * PSM or RED-PSM ({@code p.method}) started from a reconstruction the caller already has (the
	 * demo passes its space-time TV result instead of computing it again).
	 */
	public static float[] psmFrom(final ParallelBeamProjector a, final float[] sino, final float[] start, final Params p, final Monitor mon) {
		if (p.method != Method.PSM && p.method != Method.RED_PSM) throw new IllegalArgumentException("psmFrom takes psm or red-psm, got " + p.method);
		fitRankToFrames(p, a.frames());
		try (org.recon4d.prior.Denoiser d = denoiserFor(p)) {
			final org.recon4d.psm.SplineBasis basis = new org.recon4d.psm.SplineBasis(a.frames(), p.psm.latents);
			return solvePsm(a, sino, org.recon4d.psm.PsmModel.fromImage(start, a.nx() * a.ny(), p.psm.rank + 1, basis, 1), d, p, mon);
		}
	}

	/**
	 * A model cannot have more components than the sequence has frames: K is lowered to P - 1
	 * when it asks for more (the default K = 8 on a short sequence), which shows in the settings
	 * string. d must still be at least K + 1.
	 */
	static void fitRankToFrames(final Params p, final int frames) {
		if (p.psm.rank < 1) throw new IllegalArgumentException("rank K must be at least 1, got " + p.psm.rank);
		if (p.psm.rank + 1 > frames) p.psm.rank = frames - 1;
		if (p.psm.rank + 1 > p.psm.latents) throw new IllegalArgumentException("rank K=" + p.psm.rank + " needs at least K+1=" + (p.psm.rank + 1) + " latents, got d=" + p.psm.latents);
	}

	/** RED-PSM's denoiser (null for plain PSM); a file that cannot be loaded is named in the error. */
	private static org.recon4d.prior.Denoiser denoiserFor(final Params p) {
		if (p.method != Method.RED_PSM) return null;
		try {
			return org.recon4d.prior.Denoisers.load(p.denoiser);
		}
		catch (final java.io.IOException e) {
			throw new IllegalArgumentException("cannot load denoiser '" + p.denoiser + "': " + e.getMessage(), e);
		}
	}

	private static float[] solvePsm(final ParallelBeamProjector a, final float[] sino, final org.recon4d.psm.PsmModel init,
		final org.recon4d.prior.Denoiser d, final Params p, final Monitor mon)
	{
		if (p.psm.normA2 == 0) p.psm.normA2 = Math.pow(org.recon4d.op.Operators.normEstimate(a, 20, 1), 2);
		if (d == null) return org.recon4d.psm.Psm.fit(a, sino, init, p.psm, mon).render();
		return org.recon4d.psm.Psm.redPsm(a, sino, init, d, a.nx(), a.ny(), p.psm, mon).render();
	}

	/** Space-time TV warm-started from the FBP (the method itself, and the PSM starts built on it). */
	static float[] spaceTimeTv(final ParallelBeamProjector a, final float[] sino, final Params p, final Monitor mon) {
		return Pdhg.tvLeastSquares(a, sino, gradient(a, true, p), p.lambda, p.iterations, p.nonneg, fbp(a, sino, p), mon);
	}

	/** Spatial TV over x, y (and z when there are several slices); plus t with its weight. */
	static Gradient gradient(final ParallelBeamProjector a, final boolean time, final Params p) {
		final boolean z = a.nz() > 1;
		final int n = 2 + (z ? 1 : 0) + (time ? 1 : 0);
		final int[] axes = new int[n];
		final double[] w = new double[n];
		int c = 0;
		axes[c] = 0; w[c++] = 1;
		axes[c] = 1; w[c++] = 1;
		if (z) { axes[c] = 2; w[c++] = 1; }
		if (time) { axes[c] = 3; w[c] = p.timeWeight; }
		return new Gradient(a.domainShape(), axes, w);
	}

	static float[] fbp(final ParallelBeamProjector a, final float[] sino, final Params p) {
		return a.frames() > 1 && p.window > 1 ? Fbp.slidingWindow(a, sino, p.filter, p.window) : Fbp.reconstruct(a, sino, p.filter);
	}
}
