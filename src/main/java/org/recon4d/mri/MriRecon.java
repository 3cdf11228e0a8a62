package org.recon4d.mri;

import java.util.Locale;
import java.util.SplittableRandom;

import org.recon4d.op.LinearOperator;
import org.recon4d.op.Operators;
import org.recon4d.op.mri.Fft2c;
import org.recon4d.op.mri.MriOperator;
import org.recon4d.op.reg.Gradient;
import org.recon4d.op.reg.Haar;
import org.recon4d.solve.Iterative;
import org.recon4d.solve.Monitor;
import org.recon4d.util.Vec;

/**
 * Multi-coil MRI reconstructions on a {@link Sense} operator (complex interleaved vectors):
 * zero-filled root-sum-of-squares, CG-SENSE with Tikhonov weight, L1-wavelet compressed sensing by
 * FISTA (orthonormal Haar with random cycle shifts, as BART shifts its wavelets), and total
 * variation by ADMM (isotropic over x, y with real and imaginary parts in one group; CG inner
 * solves). The same objectives as {@code bart pics -l2 -r}, {@code -R W:3:0:lambda} and
 * {@code -R T:3:0:lambda}, up to BART's scaling of the data (see docs/design-notes.md).
 */
public final class MriRecon {

	public enum Method {
		ZERO_FILLED, SENSE, L1_WAVELET, TV;

		public static Method parse(final String s) {
			switch (s.toLowerCase(Locale.ROOT).replace('_', '-')) {
				case "zero-filled": case "zf": case "rss": return ZERO_FILLED;
				case "sense": case "cg-sense": case "l2": return SENSE;
				case "l1-wavelet": case "wavelet": case "l1": return L1_WAVELET;
				case "tv": return TV;
				default: throw new IllegalArgumentException("unknown MRI method '" + s + "' (use zero-filled, sense, l1-wavelet or tv)");
			}
		}
	}

	/** Settings; defaults match the benchmark. */
	public static final class Params {
		public Method method = Method.SENSE;
		public int iterations = 30;
		/** Tikhonov weight (SENSE) or regularisation weight (L1-wavelet, TV). */
		public double lambda = 0.01;
		/** Weight of time differences in TV (dynamic MRI: the batch is time); 0 = spatial TV per image. */
		public double timeWeight = 0;
		/** ADMM penalty (TV). */
		public double rho = 0.05;
		/** CG steps per ADMM iteration (TV). */
		/** 3 measured as good as 5 (30.17 vs 30.19 dB, 4.1 vs 6.7 s at 256 x 256 x 8, 4x) and better than 2 (29.98). */
		public int innerCg = 3;
		public long seed = 1;

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%s iterations=%d lambda=%g%s", method.name().toLowerCase(Locale.ROOT).replace('_', '-'), iterations, lambda,
				method == Method.TV ? String.format(Locale.ROOT, " rho=%g cg=%d%s", rho, innerCg, timeWeight > 0 ? String.format(Locale.ROOT, " time-weight=%g", timeWeight) : "") : "");
		}
	}

	private MriRecon() {}

	/**
	 * Runs the chosen method; returns the complex image {2, nx, ny, batch} in the data's units.
	 * The data are first scaled as BART's {@code pics} scales them (see {@link #dataScale}), so a
	 * lambda means the same here and in {@code bart pics}; the result is scaled back.
	 */
	public static float[] run(final MriOperator a, final float[] kspace, final Params p, final Monitor mon) {
		final float s = (float) dataScale(a.adjoint(kspace));
		final float[] y = kspace.clone();
		for (int i = 0; i < y.length; i++) y[i] *= s;
		final float[] x = runScaled(a, y, p, mon);
		for (int i = 0; i < x.length; i++) x[i] /= s;
		return x;
	}

	/**
	 * BART's automatic data scaling for {@code pics}: with med, p90 and max the median, 90th
	 * percentile and maximum of |A^H y|, the scale is 1 / p90 when max - p90 &lt; 2 (p90 - med),
	 * else 1 / max.
	 */
	public static double dataScale(final float[] adjointImage) {
		final float[] m = magnitude(adjointImage);
		java.util.Arrays.sort(m);
		final double med = m[(int) (m.length * 0.5)], p90 = m[(int) (m.length * 0.9)], max = m[m.length - 1];
		final double ref = max - p90 < 2 * (p90 - med) ? p90 : max;
		return ref > 0 ? 1 / ref : 1;
	}

	static float[] runScaled(final MriOperator a, final float[] kspace, final Params p, final Monitor mon) {
		switch (p.method) {
			case ZERO_FILLED: return a.adjoint(kspace);
			case SENSE: return cgSense(a, kspace, p.iterations, p.lambda, mon);
			case L1_WAVELET: return l1Wavelet(a, kspace, p.lambda, p.iterations, p.seed, mon);
			case TV: return tv(a, kspace, p.lambda, p.timeWeight, p.rho, p.iterations, p.innerCg, mon);
			default: throw new IllegalStateException();
		}
	}

	/** Root-sum-of-squares of the zero-filled coil images: {nx, ny, batch} magnitudes. */
	public static float[] zeroFilledRss(final float[] kspace, final int nx, final int ny, final int coils) {
		final int batch = kspace.length / (2 * nx * ny * coils);
		final float[] coilImg = kspace.clone();
		new Fft2c(nx, ny, coils * batch).adjoint(coilImg, coilImg);
		return CoilMaps.rss(coilImg, nx * ny, coils);
	}

	/** CG on (A^H A + lambda I) x = A^H y from x = 0. */
	public static float[] cgSense(final LinearOperator a, final float[] y, final int iterations, final double lambda, final Monitor mon) {
		final float[] b = a.adjoint(y);
		return Iterative.cg(a, (float) lambda, null, 0, b, new float[b.length], iterations, mon, true);
	}

	/**
	 * FISTA (Beck and Teboulle 2009) for 1/2 ||A x - y||^2 + lambda ||W S_k x||_1, W the orthonormal
	 * Haar transform and S_k a random circular shift drawn each iteration (cycle spinning; each
	 * step's proximal map is exact). Complex coefficients are shrunk by magnitude. Step 1/L with L
	 * = ||A||^2 estimated by power iteration.
	 */
	public static float[] l1Wavelet(final MriOperator a, final float[] y, final double lambda, final int iterations, final long seed, final Monitor mon) {
		final int nx = a.nx(), ny = a.ny(), batch = a.batch();
		final Haar w = new Haar(2, nx, ny, batch, 4, 4);
		final double norm = Operators.normEstimate(a, 20, seed);
		final float step = (float) (1 / (norm * norm * 1.01));
		final SplittableRandom rnd = new SplittableRandom(seed);
		float[] x = new float[a.domainSize()], xPrev = x.clone();
		final float[] z = x.clone();
		double t = 1;
		final int shiftMax = 1 << w.levels();
		// gradient A^H (A z - y) = N z - A^H y, N = A^H A (cheaper than A then A^H for kx-only masks)
		final LinearOperator an = a.normal();
		final float[] aty = a.adjoint(y);
		for (int k = 1; k <= iterations; k++) {
			mon.checkCanceled();
			final float[] grad = an.apply(z);
			for (int i = 0; i < grad.length; i++) grad[i] -= aty[i];
			final float[] v = z.clone();
			Vec.axpy(v, -step, grad);
			final int sx = rnd.nextInt(shiftMax), sy = rnd.nextInt(shiftMax);
			final float[] c = shift(v, nx, ny, batch, sx, sy);
			w.apply(c, c);
			softComplex(c, (float) (lambda * step));
			w.adjoint(c, c);
			xPrev = x;
			x = shift(c, nx, ny, batch, -sx, -sy);
			final double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
			final float mom = (float) ((t - 1) / tNext);
			for (int i = 0; i < z.length; i++) z[i] = x[i] + mom * (x[i] - xPrev[i]);
			t = tNext;
			// the objective's data part at x costs one more forward: only when someone listens
			// (the L1 part depends on the random shift and is left out)
			if (mon != Monitor.NONE) {
				final float[] r = residual(a, x, y);
				mon.iteration(k, iterations, 0.5 * Vec.dot(r, r), x);
			}
		}
		return x;
	}

	/**
	 * ADMM for 1/2 ||A x - y||^2 + lambda sum_p ||(D x)_p||_2, D the forward differences over x
	 * and y of real and imaginary parts (one group of four per pixel): x by {@code innerCg} warm
	 * CG steps on (A^H A + rho D^T D) x = A^H y + rho D^T (z - u), z by group shrinkage, u += Dx - z.
	 */
	public static float[] tv(final MriOperator a, final float[] y, final double lambda, final double rho, final int iterations, final int innerCg, final Monitor mon) {
		return tv(a, y, lambda, 0, rho, iterations, innerCg, mon);
	}

	/**
	 * TV as above; with {@code timeWeight} &gt; 0 and several frames, the batch axis is time and
	 * its differences join each pixel's group with that weight (space-time TV for dynamic MRI).
	 */
	public static float[] tv(final MriOperator a, final float[] y, final double lambda, final double timeWeight, final double rho, final int iterations,
		final int innerCg, final Monitor mon)
	{
		final int nx = a.nx(), ny = a.ny(), batch = a.batch();
		final boolean time = timeWeight > 0 && batch > 1;
		final Gradient d = new Gradient(new long[] { 2, nx, ny, batch }, time ? new int[] { 1, 2, 3 } : new int[] { 1, 2 },
			time ? new double[] { 1, 1, timeWeight } : new double[] { 1, 1 });
		final float[] aty = a.adjoint(y);
		final float[] x = new float[aty.length];
		final int m = d.rangeSize();
		final float[] z = new float[m], u = new float[m];
		for (int k = 1; k <= iterations; k++) {
			mon.checkCanceled();
			final float[] zu = new float[m];
			for (int i = 0; i < m; i++) zu[i] = z[i] - u[i];
			final float[] b = d.adjoint(zu);
			for (int i = 0; i < b.length; i++) b[i] = aty[i] + (float) rho * b[i];
			Iterative.cg(a, 0, d, (float) rho, b, x, innerCg, Monitor.NONE, false);
			final float[] dx = d.apply(x);
			for (int i = 0; i < m; i++) z[i] = dx[i] + u[i];
			shrinkGroups(z, x.length, (float) (lambda / rho));
			for (int i = 0; i < m; i++) u[i] += dx[i] - z[i];
			if (mon != Monitor.NONE) { // the objective costs one more forward: only when someone listens
				final float[] r = residual(a, x, y);
				mon.iteration(k, iterations, 0.5 * Vec.dot(r, r) + lambda * groupNorm(dx, x.length), x);
			}
		}
		return x;
	}

	static float[] residual(final LinearOperator a, final float[] x, final float[] y) {
		final float[] r = a.apply(x);
		for (int i = 0; i < r.length; i++) r[i] -= y[i];
		return r;
	}

	/** Soft threshold of complex interleaved values by magnitude. */
	static void softComplex(final float[] c, final float thr) {
		for (int i = 0; i < c.length; i += 2) {
			final float mag = (float) Math.hypot(c[i], c[i + 1]);
			final float s = mag > thr ? 1 - thr / mag : 0;
			c[i] *= s;
			c[i + 1] *= s;
		}
	}

	/**
	 * Group shrinkage of a gradient field laid out component after component (n = image vector
	 * length): one group = real and imaginary parts of every component at one pixel.
	 */
	static void shrinkGroups(final float[] g, final int n, final float thr) {
		final int comps = g.length / n;
		for (int q = 0; q < n; q += 2) {
			double s2 = 0;
			for (int c = 0; c < comps; c++) s2 += (double) g[c * n + q] * g[c * n + q] + (double) g[c * n + q + 1] * g[c * n + q + 1];
			final float mag = (float) Math.sqrt(s2);
			final float s = mag > thr ? 1 - thr / mag : 0;
			for (int c = 0; c < comps; c++) { g[c * n + q] *= s; g[c * n + q + 1] *= s; }
		}
	}

	static double groupNorm(final float[] g, final int n) {
		final int comps = g.length / n;
		double s = 0;
		for (int q = 0; q < n; q += 2) {
			double s2 = 0;
			for (int c = 0; c < comps; c++) s2 += (double) g[c * n + q] * g[c * n + q] + (double) g[c * n + q + 1] * g[c * n + q + 1];
			s += Math.sqrt(s2);
		}
		return s;
	}

	/** Circular shift of each complex image by (sx, sy). */
	static float[] shift(final float[] v, final int nx, final int ny, final int batch, final int sx, final int sy) {
		final float[] out = new float[v.length];
		for (int b = 0; b < batch; b++) for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) {
			final int src = 2 * ((b * ny + j) * nx + i);
			final int dst = 2 * ((b * ny + Math.floorMod(j + sy, ny)) * nx + Math.floorMod(i + sx, nx));
			out[dst] = v[src];
			out[dst + 1] = v[src + 1];
		}
		return out;
	}

	/** Magnitudes of a complex interleaved vector. */
	public static float[] magnitude(final float[] c) {
		final float[] m = new float[c.length / 2];
		for (int i = 0; i < m.length; i++) m[i] = (float) Math.hypot(c[2 * i], c[2 * i + 1]);
		return m;
	}
}
