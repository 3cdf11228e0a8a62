package org.recon4d.psm;

import java.util.SplittableRandom;

/**
 * A partially separable model of a dynamic image with c = K + 1 components:
 * <pre>
 *   f(p, t) = sum_k Lambda_k(p) psi_k(t),   psi_k = B z_k   (B: {@link SplineBasis}, P x d)
 * </pre>
 * Spatial maps are stored map after map ({@code maps[k * npix + p]}), latents as z[k][j]. The
 * model is mutable only through its optimiser ({@link Psm}); {@link #copy()} snapshots it.
 */
public final class PsmModel {

	final int npix, comps;
	final SplineBasis basis;
	final float[] maps;
	final double[][] z;

	public PsmModel(final int npix, final int comps, final SplineBasis basis) {
		this.npix = npix;
		this.comps = comps;
		this.basis = basis;
		this.maps = new float[npix * comps];
		this.z = new double[comps][basis.latents()];
	}

	public int components() { return comps; }
	public int frames() { return basis.frames(); }
	public SplineBasis basis() { return basis; }
	public float[] maps() { return maps; }
	public double[][] latents() { return z; }

	public PsmModel copy() {
		final PsmModel m = new PsmModel(npix, comps, basis);
		System.arraycopy(maps, 0, m.maps, 0, maps.length);
		for (int k = 0; k < comps; k++) m.z[k] = z[k].clone();
		return m;
	}

	/** psi[k][t]. */
	public double[][] temporal() {
		final double[][] psi = new double[comps][];
		for (int k = 0; k < comps; k++) psi[k] = basis.apply(z[k]);
		return psi;
	}

	/** The dynamic image f (npix x P, frame after frame). */
	public float[] render() {
		final double[][] psi = temporal();
		final int frames = basis.frames();
		final float[] f = new float[npix * frames];
		org.recon4d.util.Parallel.forEach(frames, t -> {
			final int o = t * npix;
			for (int k = 0; k < comps; k++) {
				final float w = (float) psi[k][t];
				final int mo = k * npix;
				for (int p = 0; p < npix; p++) f[o + p] += w * maps[mo + p];
			}
		});
		return f;
	}

	/**
	 * The best rank-c model of a reconstruction x (npix x P) in the spline subspace: the top c
	 * right singular vectors of x (subspace iteration on x^T x), fitted by splines, then maps by
	 * least squares. Temporal functions are scaled to RMS 1, so maps carry image values.
	 */
	public static PsmModel fromImage(final float[] x, final int npix, final int comps, final SplineBasis basis, final long seed) {
		final int frames = basis.frames();
		if (x.length != npix * frames) throw new IllegalArgumentException("image has " + x.length + " values, expected " + npix + " x " + frames);
		// more components than frames or latents leave no independent direction for the rest (NaN after orthonormalising)
		if (comps < 1 || comps > Math.min(frames, basis.latents()))
			throw new IllegalArgumentException(comps + " components need 1 to min(P=" + frames + ", d=" + basis.latents() + ") of them (rank K = components - 1)");
		// Gram matrix M = x^T x (P x P)
		final double[][] gram = new double[frames][frames];
		org.recon4d.util.Parallel.forEach(frames, s -> {
			for (int t = s; t < frames; t++) {
				double acc = 0;
				final int os = s * npix, ot = t * npix;
				for (int p = 0; p < npix; p++) acc += (double) x[os + p] * x[ot + p];
				gram[s][t] = acc;
			}
		});
		for (int s = 0; s < frames; s++) for (int t = 0; t < s; t++) gram[s][t] = gram[t][s];
		// subspace iteration for the top c eigenvectors
		final SplittableRandom r = new SplittableRandom(seed);
		double[][] q = new double[comps][frames];
		for (final double[] v : q) for (int t = 0; t < frames; t++) v[t] = r.nextDouble(-1, 1);
		for (int k = 0; k < comps; k++) q[k] = basis.apply(basis.fit(q[k]));
		orthonormalise(q);
		for (int it = 0; it < 100; it++) {
			final double[][] next = new double[comps][frames];
			for (int k = 0; k < comps; k++) for (int s = 0; s < frames; s++) {
				double acc = 0;
				for (int t = 0; t < frames; t++) acc += gram[s][t] * q[k][t];
				next[k][s] = acc;
			}
			// stay inside the spline space, so the temporal functions remain independent after the fit
			for (int k = 0; k < comps; k++) next[k] = basis.apply(basis.fit(next[k]));
			orthonormalise(next);
			q = next;
		}
		final PsmModel m = new PsmModel(npix, comps, basis);
		for (int k = 0; k < comps; k++) {
			final double[] psi = new double[frames];
			for (int t = 0; t < frames; t++) psi[t] = q[k][t] * Math.sqrt(frames);
			m.z[k] = basis.fit(psi);
		}
		m.fitMaps(x);
		return m;
	}

	/** Maps by least squares for fixed temporal functions: Lambda = x Psi (Psi^T Psi)^-1. */
	void fitMaps(final float[] x) {
		final int frames = basis.frames();
		final double[][] psi = temporal();
		final double[][] g = new double[comps][comps];
		for (int a = 0; a < comps; a++) for (int b = 0; b < comps; b++) for (int t = 0; t < frames; t++) g[a][b] += psi[a][t] * psi[b][t];
		final double[][] inv = invert(g);
		final double[][] w = new double[comps][frames]; // w = (Psi^T Psi)^-1 Psi^T
		for (int k = 0; k < comps; k++) for (int t = 0; t < frames; t++) for (int b = 0; b < comps; b++) w[k][t] += inv[k][b] * psi[b][t];
		java.util.Arrays.fill(maps, 0);
		org.recon4d.util.Parallel.forEach(comps, k -> {
			for (int t = 0; t < frames; t++) {
				final float wt = (float) w[k][t];
				for (int p = 0; p < npix; p++) maps[k * npix + p] += wt * x[t * npix + p];
			}
		});
	}

	/** A random model (for tests): smooth-ish maps and latents from a seed. */
	public static PsmModel random(final int nx, final int ny, final int comps, final SplineBasis basis, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final PsmModel m = new PsmModel(nx * ny, comps, basis);
		for (int k = 0; k < comps; k++) {
			final double cx = r.nextDouble(0.3, 0.7) * nx, cy = r.nextDouble(0.3, 0.7) * ny, rad = r.nextDouble(0.15, 0.3) * nx, amp = r.nextDouble(0.3, 1);
			for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) {
				final double d2 = ((i - cx) * (i - cx) + (j - cy) * (j - cy)) / (rad * rad);
				m.maps[k * nx * ny + j * nx + i] = (float) (amp * Math.exp(-d2));
			}
			for (int j = 0; j < basis.latents(); j++) m.z[k][j] = (k == 0 ? 1 : 0) + r.nextDouble(-0.5, 0.5);
		}
		return m;
	}

	static void orthonormalise(final double[][] v) {
		for (int k = 0; k < v.length; k++) {
			for (int j = 0; j < k; j++) {
				double d = 0;
				for (int t = 0; t < v[k].length; t++) d += v[k][t] * v[j][t];
				for (int t = 0; t < v[k].length; t++) v[k][t] -= d * v[j][t];
			}
			double n = 0;
			for (final double a : v[k]) n += a * a;
			n = Math.sqrt(n);
			if (n > 0) for (int t = 0; t < v[k].length; t++) v[k][t] /= n;
		}
	}

	static double[][] invert(final double[][] a) {
		final int n = a.length;
		final double[][] m = new double[n][2 * n];
		for (int i = 0; i < n; i++) { System.arraycopy(a[i], 0, m[i], 0, n); m[i][n + i] = 1; }
		for (int c = 0; c < n; c++) {
			int p = c;
			for (int r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
			final double[] tmp = m[c]; m[c] = m[p]; m[p] = tmp;
			final double piv = m[c][c];
			if (Math.abs(piv) < 1e-300) throw new IllegalStateException("temporal functions are linearly dependent");
			for (int k = 0; k < 2 * n; k++) m[c][k] /= piv;
			for (int r = 0; r < n; r++) {
				if (r == c) continue;
				final double f = m[r][c];
				for (int k = 0; k < 2 * n; k++) m[r][k] -= f * m[c][k];
			}
		}
		final double[][] inv = new double[n][n];
		for (int i = 0; i < n; i++) System.arraycopy(m[i], n, inv[i], 0, n);
		return inv;
	}
}
