package org.recon4d.psm;

import java.util.Locale;

import org.recon4d.op.LinearOperator;
import org.recon4d.solve.Iterative;
import org.recon4d.solve.Monitor;

/**
 * Projection-domain separable initialisation of a PSM, after the ProSep baseline of RED-PSM's
 * authors: the measured sinogram is fitted by
 * <pre>
 *   g(s, theta, t) ~ sum_k Gamma_k(s, theta) psi_k(t),
 *   Gamma_k(s, theta) = sum_{n=0..N} a_kn(s) cos(n theta) + b_kn(s) sin(n theta),   psi_k = B z_k,
 * </pre>
 * i.e. each component's sinogram is expanded in angular harmonics (one view per frame sees each
 * component at a single angle, so the angular dependence must be smooth to be identifiable) and
 * the temporal functions are splines. The fit alternates two linear least-squares problems: the
 * harmonic coefficients for all detector bins at once (one small normal matrix shared by every
 * bin, with a ridge), then the spline latents. The temporal functions found this way start the
 * image-domain PSM; the maps follow by CGLS on Lambda -> A(Lambda Psi) (any linear operator) or
 * by least squares against a reconstruction.
 * <p>
 * Departure from the paper: the Helgason-Ludwig consistency conditions are not imposed; the ridge
 * and the low harmonic order N stand in for them.
 */
public final class ProSep {

	/** Settings of the projection-domain fit. */
	public static final class Params {
		/** Highest angular harmonic N (2N + 1 functions per component). */
		public int harmonics = 4;
		/** Alternating least-squares sweeps. */
		public int sweeps = 40;
		/** Ridge weight, relative to the mean diagonal of the normal matrix. */
		public double ridge = 1e-3;
		/** CGLS iterations for the maps (early stopping regularises the under-determined fit). */
		public int mapIterations = 20;

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "prosep N=%d sweeps=%d ridge=%g cgls=%d", harmonics, sweeps, ridge, mapIterations);
		}
	}

	/** Result of the projection-domain fit. */
	public static final class Fit {
		/** Temporal latents z[k][j] (psi_k = B z_k), orthonormal over frames, RMS 1. */
		public final double[][] latents;
		/** Relative residual ||g - model|| / ||g|| after each sweep. */
		public final double[] residual;

		Fit(final double[][] latents, final double[] residual) {
			this.latents = latents;
			this.residual = residual;
		}
	}

	private ProSep() {}

	/**
	 * Fits the temporal functions of a {@code comps}-component model to a sinogram laid out as
	 * [t][view][bin] (the foundation's parallel-beam range with one slice).
	 *
	 * @param angles [t][view] in radians
	 */
	public static Fit temporal(final float[] sino, final double[][] angles, final int bins, final int comps, final SplineBasis basis, final Params p) {
		final int frames = angles.length, views = angles[0].length;
		if (frames != basis.frames()) throw new IllegalArgumentException("sinogram has " + frames + " frames, basis " + basis.frames());
		if (sino.length != frames * views * bins)
			throw new IllegalArgumentException("sinogram has " + sino.length + " values, expected " + frames + " x " + views + " x " + bins);
		final int nh = 2 * p.harmonics + 1, cols = comps * nh, rows = frames * views, d = basis.latents();
		if (cols >= rows) throw new IllegalArgumentException(String.format(Locale.ROOT,
			"ProSep needs fewer unknowns per detector bin (%d components x %d harmonics = %d) than measured views (%d); lower the rank or the harmonic order",
			comps, nh, cols, rows));
		// angular basis per measured view
		final double[][] phi = new double[rows][nh];
		for (int t = 0; t < frames; t++) for (int v = 0; v < views; v++) {
			final double th = angles[t][v];
			final double[] f = phi[t * views + v];
			f[0] = 1;
			for (int n = 1; n <= p.harmonics; n++) { f[2 * n - 1] = Math.cos(n * th); f[2 * n] = Math.sin(n * th); }
		}
		// start: constant plus slow cosines in time, inside the spline space
		double[][] z = new double[comps][];
		final double[][] psi = new double[comps][frames];
		for (int k = 0; k < comps; k++) {
			for (int t = 0; t < frames; t++) psi[k][t] = Math.cos(Math.PI * k * (t + 0.5) / frames);
			z[k] = basis.fit(psi[k]);
		}
		z = normalise(z, basis);
		double gg = 0;
		for (final float v : sino) gg += (double) v * v;
		final double[] residual = new double[p.sweeps];
		final double[][] coef = new double[bins][cols]; // c[s][(k, n)]
		for (int sweep = 0; sweep < p.sweeps; sweep++) {
			final double[][] ps = new double[comps][];
			for (int k = 0; k < comps; k++) ps[k] = basis.apply(z[k]);
			// (1) harmonic coefficients: rows (t, v), columns (k, n), shared by all bins
			final double[][] design = new double[rows][cols];
			for (int r = 0; r < rows; r++) for (int k = 0; k < comps; k++) for (int n = 0; n < nh; n++)
				design[r][k * nh + n] = ps[k][r / views] * phi[r][n];
			final double[][] inv = ridgeInverse(normal(design, cols), p.ridge);
			org.recon4d.util.Parallel.forEach(bins, s -> {
				final double[] rhs = new double[cols];
				for (int r = 0; r < rows; r++) {
					final double g = sino[r * bins + s];
					for (int c = 0; c < cols; c++) rhs[c] += design[r][c] * g;
				}
				for (int c = 0; c < cols; c++) {
					double acc = 0;
					for (int e = 0; e < cols; e++) acc += inv[c][e] * rhs[e];
					coef[s][c] = acc;
				}
			});
			// (2) latents: g(t, v, s) ~ sum_{k, j} B[t][j] z[k][j] h_k(t, v, s), h_k = sum_n c[s][k, n] phi_n
			final int nz = comps * d;
			final double[][] nm = new double[nz][nz];
			final double[] rhs = new double[nz];
			final double[] u = new double[nz];
			// h[(r * bins + s) * comps + k] = Gamma_k at view r, bin s: kept for the residual below
			final double[] h = new double[rows * bins * comps];
			for (int r = 0; r < rows; r++) {
				final int t = r / views;
				for (int s = 0; s < bins; s++) {
					final int ho = (r * bins + s) * comps;
					for (int k = 0; k < comps; k++) {
						double acc = 0;
						for (int n = 0; n < nh; n++) acc += coef[s][k * nh + n] * phi[r][n];
						h[ho + k] = acc;
					}
					for (int k = 0; k < comps; k++) for (int j = 0; j < d; j++) u[k * d + j] = basis.get(t, j) * h[ho + k];
					final double g = sino[r * bins + s];
					for (int a = 0; a < nz; a++) {
						if (u[a] == 0) continue;
						rhs[a] += u[a] * g;
						for (int b = a; b < nz; b++) nm[a][b] += u[a] * u[b];
					}
				}
			}
			for (int a = 0; a < nz; a++) for (int b = 0; b < a; b++) nm[a][b] = nm[b][a];
			final double[][] ninv = ridgeInverse(nm, 1e-9);
			final double[][] next = new double[comps][d];
			for (int a = 0; a < nz; a++) {
				double acc = 0;
				for (int b = 0; b < nz; b++) acc += ninv[a][b] * rhs[b];
				next[a / d][a % d] = acc;
			}
			// residual of the current (coefficients, latents) pair
			double res = 0;
			final double[][] pn = new double[comps][];
			for (int k = 0; k < comps; k++) pn[k] = basis.apply(next[k]);
			for (int r = 0; r < rows; r++) for (int s = 0; s < bins; s++) {
				double m = 0;
				for (int k = 0; k < comps; k++) m += pn[k][r / views] * h[(r * bins + s) * comps + k];
				final double e = sino[r * bins + s] - m;
				res += e * e;
			}
			residual[sweep] = Math.sqrt(res / gg);
			z = normalise(next, basis);
		}
		return new Fit(z, residual);
	}

	/**
	 * The full ProSep start: temporal functions from the sinogram, then maps by {@code
	 * p.mapIterations} CGLS iterations on Lambda -> A(sum_k Lambda_k psi_k).
	 */
	public static PsmModel init(final LinearOperator a, final float[] sino, final double[][] angles, final int bins, final int npix,
		final int comps, final SplineBasis basis, final Params p, final Monitor mon)
	{
		final Fit fit = temporal(sino, angles, bins, comps, basis, p);
		final PsmModel m = new PsmModel(npix, comps, basis);
		for (int k = 0; k < comps; k++) m.z[k] = fit.latents[k].clone();
		// the monitor sees cancellation only: CGLS iterates here are maps, not images
		final float[] maps = Iterative.cgls(mapsOperator(a, m), sino, p.mapIterations, (k, total, cost, x) -> mon.checkCanceled());
		System.arraycopy(maps, 0, m.maps, 0, maps.length);
		return m;
	}

	/** ProSep temporal functions with maps fitted by least squares to a reconstruction x. */
	public static PsmModel fromReconstruction(final float[] sino, final double[][] angles, final int bins, final float[] x, final int npix,
		final int comps, final SplineBasis basis, final Params p)
	{
		final Fit fit = temporal(sino, angles, bins, comps, basis, p);
		final PsmModel m = new PsmModel(npix, comps, basis);
		for (int k = 0; k < comps; k++) m.z[k] = fit.latents[k].clone();
		m.fitMaps(x);
		return m;
	}

	/** Lambda -> A(sum_k Lambda_k psi_k) for the model's fixed temporal functions. */
	public static LinearOperator mapsOperator(final LinearOperator a, final PsmModel m) {
		final double[][] psi = m.temporal();
		final int npix = m.npix, comps = m.comps, frames = m.frames();
		final long[] range = a.rangeShape();
		return new LinearOperator() {
			@Override public long[] domainShape() { return new long[] { npix, comps }; }
			@Override public long[] rangeShape() { return range; }
			@Override public String name() { return "PsmMaps(" + a.name() + ", " + comps + " components)"; }

			@Override
			public void apply(final float[] maps, final float[] y) {
				final PsmModel q = new PsmModel(npix, comps, m.basis);
				System.arraycopy(maps, 0, q.maps, 0, maps.length);
				for (int k = 0; k < comps; k++) q.z[k] = m.z[k];
				a.apply(q.render(), y);
			}

			@Override
			public void adjoint(final float[] y, final float[] out) {
				final float[] f = a.adjoint(y);
				java.util.Arrays.fill(out, 0);
				org.recon4d.util.Parallel.forEach(comps, k -> {
					for (int t = 0; t < frames; t++) {
						final float w = (float) psi[k][t];
						for (int q = 0; q < npix; q++) out[k * npix + q] += w * f[t * npix + q];
					}
				});
			}
		};
	}

	static double[][] normal(final double[][] design, final int cols) {
		final double[][] n = new double[cols][cols];
		for (final double[] row : design) for (int a = 0; a < cols; a++) {
			if (row[a] == 0) continue;
			for (int b = a; b < cols; b++) n[a][b] += row[a] * row[b];
		}
		for (int a = 0; a < cols; a++) for (int b = 0; b < a; b++) n[a][b] = n[b][a];
		return n;
	}

	static double[][] ridgeInverse(final double[][] n, final double ridge) {
		double tr = 0;
		for (int a = 0; a < n.length; a++) tr += n[a][a];
		final double mu = ridge * tr / n.length;
		final double[][] r = new double[n.length][];
		for (int a = 0; a < n.length; a++) { r[a] = n[a].clone(); r[a][a] += mu; }
		return PsmModel.invert(r);
	}

	/** Orthonormal temporal functions (Gram-Schmidt on the sampled functions, latents refitted), RMS 1. */
	static double[][] normalise(final double[][] z, final SplineBasis basis) {
		final int comps = z.length, frames = basis.frames();
		final double[][] psi = new double[comps][];
		for (int k = 0; k < comps; k++) psi[k] = basis.apply(z[k]);
		PsmModel.orthonormalise(psi);
		final double[][] out = new double[comps][];
		for (int k = 0; k < comps; k++) {
			for (int t = 0; t < frames; t++) psi[k][t] *= Math.sqrt(frames);
			out[k] = basis.fit(psi[k]);
		}
		return out;
	}
}
