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
		return simulate(new CardiacPhantom(3, 1), n, frames, coils, spokes, noise, seed);
	}

	/** As above for any cardiac phantom (e.g. other heart and breathing rates, for tuning on separate data). */
	public static Data simulate(final CardiacPhantom phantom, final int n, final int frames, final int coils, final int spokes, final double noise, final long seed) {
		final float[] mag = phantom.render(n, frames);
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

	/** Radial data read from BART arrays: the operator (without maps yet) pieces. */
	public static final class RadialFiles {
		public final float[] kspace;
		public final Nufft[] nufft;
		public final int n, coils, frames, samples;

		RadialFiles(final float[] kspace, final Nufft[] nufft, final int n, final int coils, final int frames, final int samples) {
			this.kspace = kspace;
			this.nufft = nufft;
			this.n = n;
			this.coils = coils;
			this.frames = frames;
			this.samples = samples;
		}
	}

	/**
	 * Reads BART's non-Cartesian layout: k-space [1, readout, spokes, coils, 1 x 6, frames] (time on
	 * dim 10) and trajectory [3, readout, spokes, 1 x 7, frames] in BART's units (cycles per field
	 * of view); the image is n x n with n the readout length unless given.
	 */
	public static RadialFiles readBart(final java.nio.file.Path kspace, final java.nio.file.Path trajectory, final int size) throws java.io.IOException {
		final org.recon4d.io.Cfl.Array k = org.recon4d.io.Cfl.read(kspace), tr = org.recon4d.io.Cfl.read(trajectory);
		final long[] kd = pad(k.dims, 11), td = pad(tr.dims, 11);
		if (kd[0] != 1) throw new org.recon4d.io.BadFileException(kspace, "dim 0 is " + kd[0] + "; non-Cartesian k-space has 1 there (BART layout [1, readout, spokes, coils, ..., frames])");
		if (td[0] != 3 && td[0] != 2) throw new org.recon4d.io.BadFileException(trajectory, "dim 0 is " + td[0] + "; a trajectory has 3 (kx, ky, kz) there");
		for (int i = 4; i < 10; i++) if (kd[i] != 1) throw new org.recon4d.io.BadFileException(kspace, "dim " + i + " is " + kd[i] + "; only readout, spokes, coils and time (dim 10) may exceed 1");
		if (td[1] != kd[1] || td[2] != kd[2] || (td[10] != kd[10] && td[10] != 1))
			throw new IllegalArgumentException("trajectory dims " + java.util.Arrays.toString(tr.dims) + " do not match k-space " + java.util.Arrays.toString(k.dims));
		final int readout = (int) kd[1], spokes = (int) kd[2], coils = (int) kd[3], frames = (int) kd[10];
		final int n = size > 0 ? size : readout;
		final int m = readout * spokes;
		final Nufft[] f = new Nufft[frames];
		for (int t = 0; t < frames; t++) {
			final int tt = td[10] == 1 ? 0 : t;
			final double[] kx = new double[m], ky = new double[m];
			for (int s = 0; s < m; s++) {
				final int o = 2 * ((int) td[0] * (tt * m + s));
				kx[s] = tr.data[o];
				ky[s] = tr.data[o + 2];
			}
			f[t] = new Nufft(n, n, kx, ky, 2, 6);
		}
		return new RadialFiles(k.data, f, n, coils, frames, m);
	}

	/** Writes an acquisition as BART arrays prefix-k, prefix-traj (and prefix-maps with the simulated maps). */
	public static void writeBart(final Data d, final int coils, final java.nio.file.Path prefix, final boolean overwrite) throws java.io.IOException {
		final int n = d.op.nx(), frames = d.op.batch(), m = d.op.samplesPerFrame();
		final float[] traj = new float[2 * 3 * m * frames];
		for (int f = 0; f < frames; f++) {
			final double[][] k = Nufft.radial(d.angles[f], n, n);
			for (int s = 0; s < m; s++) {
				final int o = 2 * 3 * (f * m + s);
				traj[o] = (float) k[0][s];
				traj[o + 2] = (float) k[1][s];
			}
		}
		final int spokes = m / n;
		final java.nio.file.Path dir = prefix.toAbsolutePath().getParent();
		final String name = prefix.getFileName().toString();
		org.recon4d.io.Cfl.write(dir.resolve(name + "-traj"), new long[] { 3, n, spokes, 1, 1, 1, 1, 1, 1, 1, frames }, traj, overwrite);
		org.recon4d.io.Cfl.write(dir.resolve(name + "-k"), new long[] { 1, n, spokes, coils, 1, 1, 1, 1, 1, 1, frames }, d.kspace, overwrite);
		org.recon4d.io.Cfl.write(dir.resolve(name + "-maps"), new long[] { n, n, 1, coils }, CoilMaps.simulate(n, n, coils), overwrite);
	}

	private static long[] pad(final long[] d, final int len) {
		final long[] out = java.util.Arrays.copyOf(d, Math.max(len, d.length));
		for (int i = d.length; i < out.length; i++) out[i] = 1;
		return out;
	}

	/**
	 * Coil maps from radial data without a calibration scan: all frames' spokes gridded together
	 * (density compensation |k|, the radial ramp), the Cartesian centre of that time average
	 * handed to the ACS estimate.
	 */
	public static float[] estimateMaps(final RadialFiles r, final int calib) {
		final int img = r.n * r.n;
		final float[] coilImg = new float[2 * img * r.coils];
		for (int t = 0; t < r.frames; t++) for (int c = 0; c < r.coils; c++) {
			final float[] y = java.util.Arrays.copyOfRange(r.kspace, 2 * r.samples * (t * r.coils + c), 2 * r.samples * (t * r.coils + c + 1));
			final float[] w = r.nufft[t].rampWeights();
			for (int s = 0; s < r.samples; s++) { y[2 * s] *= w[s]; y[2 * s + 1] *= w[s]; }
			final float[] x = r.nufft[t].adjoint(y);
			for (int q = 0; q < 2 * img; q++) coilImg[2 * img * c + q] += x[q];
		}
		new org.recon4d.op.mri.Fft2c(r.n, r.n, r.coils).apply(coilImg, coilImg);
		return CoilMaps.fromCalibration(coilImg, r.n, r.n, r.coils, Math.min(calib, r.n), 0.05);
	}

	/** Settings of the dynamic reconstructions. */
	public static final class Params {
		public int iterations = 30;
		/** CG steps per ADMM iteration: radial normal equations converge slower than Cartesian ones (3 steps: 31.9 dB, 5: 33.7 dB on the bench). */
		public int innerCg = 5;
		public double lambda = 0.005, timeWeight = 4;
		public int rank = 6, latents = 9, psmSteps = 60;
		/**
		 * RED-PSM: outer ADMM iterations (10 PSM steps each), weights, denoiser (see Denoisers.load).
		 * The weights are relative to the data term, whose scale here (||A||^2 about 1 with
		 * RSS-normalised maps) is far below the projector's; 0.1 / 0.3 measured best of
		 * {100/100, 1/1, 0.1/0.3, 0.02/0.1} on the bench (docs/design-notes.md).
		 */
		public int redOuter = 6;
		public double redLambda = 0.1, redBeta = 0.3;
		public String denoiser = "builtin";

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "iterations=%d (cg %d) lambda=%g time-weight=%g (psm: K=%d d=%d, %d steps)", iterations, innerCg, lambda, timeWeight, rank, latents, psmSteps);
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
				q.innerCg = p.innerCg;
				return MriRecon.run(a, y, q, mon);
			case "psm":
				return psm(a, y, reconstruct(a, y, "tv-spacetime", p, mon), p, mon);
			case "red-psm":
				return redPsm(a, y, reconstruct(a, y, "tv-spacetime", p, mon), p, mon);
			default: throw new IllegalArgumentException("unknown dynamic MRI method '" + method + "' (frame-sense, tv-spacetime, psm, red-psm)");
		}
	}

	/**
	 * RED-PSM (the tomography issue's ADMM, {@link Psm#redPsm}) on the MRI operator: complex maps,
	 * real temporal functions, the denoiser ({@code p.denoiser}, see Denoisers) applied to each
	 * frame's magnitude with the phase kept ({@link org.recon4d.prior.ComplexDenoiser}).
	 */
	public static float[] redPsm(final MriOperator a, final float[] y, final float[] start, final Params p, final Monitor mon) {
		final SplineBasis basis = new SplineBasis(a.batch(), p.latents);
		final PsmModel init = PsmModel.fromImage(start, 2 * a.nx() * a.ny(), p.rank + 1, basis, 1);
		final Psm.Params pp = psmParams(a, p);
		pp.outer = p.redOuter;
		pp.innerSteps = 10;
		pp.lambda = p.redLambda;
		pp.beta = p.redBeta;
		try (org.recon4d.prior.Denoiser d = new org.recon4d.prior.ComplexDenoiser(org.recon4d.prior.Denoisers.load(p.denoiser))) {
			return Psm.redPsm(a, y, init, d, a.nx(), a.ny(), pp, mon).render();
		}
		catch (final java.io.IOException e) {
			throw new IllegalArgumentException("cannot load denoiser '" + p.denoiser + "': " + e.getMessage(), e);
		}
	}

	static Psm.Params psmParams(final MriOperator a, final Params p) {
		final Psm.Params pp = new Psm.Params();
		pp.rank = p.rank;
		pp.latents = p.latents;
		pp.xi = pp.chi = 0;
		pp.normA2 = Math.pow(Operators.normEstimate(a, 20, 1), 2);
		return pp;
	}

	/** PSM fitted to the data from a start (e.g. the space-time TV result). */
	public static float[] psm(final MriOperator a, final float[] y, final float[] start, final Params p, final Monitor mon) {
		// PSM on the real representation: complex maps (re, im interleaved) times real temporal functions
		final int npix = 2 * a.nx() * a.ny();
		final SplineBasis basis = new SplineBasis(a.batch(), p.latents);
		final PsmModel init = PsmModel.fromImage(start, npix, p.rank + 1, basis, 1);
		final Psm.Params pp = psmParams(a, p);
		pp.outer = p.psmSteps;
		pp.innerSteps = 1;
		return Psm.fit(a, y, init, pp, mon).render();
	}
}
