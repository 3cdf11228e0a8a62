package org.recon4d.op.mri;

import org.recon4d.op.LinearOperator;
import org.recon4d.util.Parallel;

/**
 * Non-uniform 2D FFT by Kaiser-Bessel gridding (Jackson et al. 1991; Beatty et al. 2005): the
 * image is divided by the kernel's apodisation, zero-padded to an oversampled grid (factor
 * sigma), transformed by the centred FFT, and interpolated at the sample locations with a
 * separable Kaiser-Bessel kernel of width W grid cells. The adjoint spreads with the same weights,
 * transforms back, crops and divides by the same apodisation, so the pair is an exact adjoint.
 * <p>
 * Convention, matching {@link Fft2c} on the Cartesian grid: y(k) = (1/sqrt(nx ny)) sum_x m(x)
 * e^{-2 pi i (kx x / nx + ky y / ny)}, image positions x = i - nx/2, k in cycles per field of view
 * (BART's trajectory units: -n/2 .. n/2). Complex vectors interleaved: image {2, nx, ny}, samples
 * {2, m}.
 */
public final class Nufft implements LinearOperator {

	private final int nx, ny, gx, gy, m, w;
	private final int[] gridX, gridY;  // first grid cell of each sample's kernel footprint
	private final float[] wx, wy;      // kernel weights per sample (m x w each)
	private final float[] apodX, apodY;
	private final double[] kxs, kys;
	private final Fft2c fft;
	private final double scale;

	/**
	 * @param kx, ky sample locations in cycles per field of view (|k| &lt;= n/2)
	 * @param sigma grid oversampling (e.g. 2)
	 * @param width kernel width in grid cells (e.g. 6)
	 */
	public Nufft(final int nx, final int ny, final double[] kx, final double[] ky, final double sigma, final int width) {
		if (kx.length != ky.length) throw new IllegalArgumentException("kx and ky differ in length: " + kx.length + " vs " + ky.length);
		if (sigma < 1.25 || width < 2 || width > 16) throw new IllegalArgumentException("need oversampling >= 1.25 and kernel width 2..16, got " + sigma + ", " + width);
		this.nx = nx;
		this.ny = ny;
		this.gx = even(nx * sigma);
		this.gy = even(ny * sigma);
		this.m = kx.length;
		this.w = width;
		this.kxs = kx.clone();
		this.kys = ky.clone();
		// Beatty et al.'s beta for oversampling sigma and width W
		final double s = (double) gx / nx;
		final double beta = Math.PI * Math.sqrt(width * width / (s * s) * (s - 0.5) * (s - 0.5) - 0.8);
		gridX = new int[m];
		gridY = new int[m];
		wx = new float[m * w];
		wy = new float[m * w];
		for (int j = 0; j < m; j++) {
			if (!Double.isFinite(kx[j]) || !Double.isFinite(ky[j]) || Math.abs(kx[j]) > nx / 2.0 + 1e-9 || Math.abs(ky[j]) > ny / 2.0 + 1e-9)
				throw new IllegalArgumentException("sample " + j + " at (" + kx[j] + ", " + ky[j] + ") is outside k-space +-" + nx / 2.0 + ", +-" + ny / 2.0);
			final double ux = kx[j] * gx / nx + gx / 2.0, uy = ky[j] * gy / ny + gy / 2.0;
			gridX[j] = (int) Math.floor(ux - width / 2.0) + 1;
			gridY[j] = (int) Math.floor(uy - width / 2.0) + 1;
			for (int a = 0; a < w; a++) {
				wx[j * w + a] = (float) kb(ux - (gridX[j] + a), width, beta);
				wy[j * w + a] = (float) kb(uy - (gridY[j] + a), width, beta);
			}
		}
		apodX = apodisation(nx, gx, width, beta);
		apodY = apodisation(ny, gy, width, beta);
		fft = new Fft2c(gx, gy, 1);
		// Fft2c on the grid carries 1/sqrt(gx gy); the target is 1/sqrt(nx ny)
		scale = Math.sqrt((double) gx * gy / ((double) nx * ny));
	}

	/**
	 * Grid size for n * sigma: the next power of two when it is at most 60 % larger (radix-2 FFTs
	 * are several times faster than Bluestein's for other sizes; the kernel's beta follows the
	 * actual oversampling), else the next even size.
	 */
	private static int even(final double v) {
		final int c = (int) Math.ceil(v);
		final int p2 = org.recon4d.util.Fft.nextPow2(c);
		if (p2 <= 1.6 * c) return p2;
		return c % 2 == 0 ? c : c + 1;
	}

	/** Kaiser-Bessel kernel I0(beta sqrt(1 - (2d/W)^2)) for |d| &lt; W/2, else 0. */
	static double kb(final double d, final int width, final double beta) {
		final double r = 2 * d / width;
		return Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r));
	}

	static double besselI0(final double x) {
		// power series; converges fast for the arguments used here (beta < 30)
		double sum = 1, term = 1;
		final double q = x * x / 4;
		for (int k = 1; k < 200; k++) {
			term *= q / ((double) k * k);
			sum += term;
			if (term < 1e-17 * sum) break;
		}
		return sum;
	}

	/**
	 * Apodisation of the gridding kernel at image position x = i - n/2: the kernel's continuous
	 * Fourier transform, sum over the grid offsets d of kb(d) e^{2 pi i d x / g} approximated by
	 * its integral (closed form sinh/sin of sqrt(beta^2 - (pi W x / g)^2)).
	 */
	static float[] apodisation(final int n, final int g, final int width, final double beta) {
		final float[] a = new float[n];
		for (int i = 0; i < n; i++) {
			final double x = (double) (i - n / 2) / g;
			final double z2 = beta * beta - Math.PI * Math.PI * width * width * x * x;
			final double v;
			if (z2 > 1e-12) { final double z = Math.sqrt(z2); v = width * Math.sinh(z) / z; }
			else if (z2 < -1e-12) { final double z = Math.sqrt(-z2); v = width * Math.sin(z) / z; }
			else v = width;
			a[i] = (float) v;
		}
		return a;
	}

	public int samples() { return m; }

	/** Radial density compensation: |k| in cycles per field of view (floor 0.5 at the centre). */
	public float[] rampWeights() {
		final float[] r = new float[m];
		for (int j = 0; j < m; j++) r[j] = (float) Math.max(0.5, Math.hypot(kxs[j], kys[j]));
		return r;
	}

	@Override public long[] domainShape() { return new long[] { 2, nx, ny }; }
	@Override public long[] rangeShape() { return new long[] { 2, m }; }
	@Override public String name() { return "Nufft(" + nx + "x" + ny + " -> " + m + " samples, grid " + gx + "x" + gy + ", KB width " + w + ")"; }

	@Override
	public void apply(final float[] x, final float[] y) {
		final float[] grid = new float[2 * gx * gy];
		final int ox = gx / 2 - nx / 2, oy = gy / 2 - ny / 2;
		for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) {
			final float d = (float) (scale / (apodX[i] * apodY[j]));
			final int s = 2 * (j * nx + i), t = 2 * ((j + oy) * gx + i + ox);
			grid[t] = x[s] * d;
			grid[t + 1] = x[s + 1] * d;
		}
		fft.transformOne(grid, 0, false);
		Parallel.forEach(Math.max(1, Math.min(64, m / 256)), chunk -> {
			final int chunks = Math.max(1, Math.min(64, m / 256));
			final int lo = (int) ((long) m * chunk / chunks), hi = (int) ((long) m * (chunk + 1) / chunks);
			for (int j = lo; j < hi; j++) {
				double re = 0, im = 0;
				for (int b = 0; b < w; b++) {
					final int gyy = Math.floorMod(gridY[j] + b, gy);
					final float wb = wy[j * w + b];
					for (int a = 0; a < w; a++) {
						final int gxx = Math.floorMod(gridX[j] + a, gx);
						final float wt = wb * wx[j * w + a];
						final int o = 2 * (gyy * gx + gxx);
						re += wt * grid[o];
						im += wt * grid[o + 1];
					}
				}
				y[2 * j] = (float) re;
				y[2 * j + 1] = (float) im;
			}
		});
	}

	@Override
	public void adjoint(final float[] y, final float[] x) {
		// spreading is a scatter: serial over samples keeps it exact and race-free
		final float[] grid = new float[2 * gx * gy];
		for (int j = 0; j < m; j++) {
			final float re = y[2 * j], im = y[2 * j + 1];
			for (int b = 0; b < w; b++) {
				final int gyy = Math.floorMod(gridY[j] + b, gy);
				final float wb = wy[j * w + b];
				for (int a = 0; a < w; a++) {
					final int gxx = Math.floorMod(gridX[j] + a, gx);
					final float wt = wb * wx[j * w + a];
					final int o = 2 * (gyy * gx + gxx);
					grid[o] += wt * re;
					grid[o + 1] += wt * im;
				}
			}
		}
		fft.transformOne(grid, 0, true);
		final int ox = gx / 2 - nx / 2, oy = gy / 2 - ny / 2;
		for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) {
			final float d = (float) (scale / (apodX[i] * apodY[j]));
			final int s = 2 * (j * nx + i), t = 2 * ((j + oy) * gx + i + ox);
			x[s] = grid[t] * d;
			x[s + 1] = grid[t + 1] * d;
		}
	}

	/** Radial spokes through the centre: spoke s at angle angles[s], samples k = -n/2 .. n/2 - 1 along it. */
	public static double[][] radial(final double[] angles, final int samplesPerSpoke, final int n) {
		final double[] kx = new double[angles.length * samplesPerSpoke], ky = new double[kx.length];
		for (int s = 0; s < angles.length; s++) for (int r = 0; r < samplesPerSpoke; r++) {
			final double k = (r - samplesPerSpoke / 2.0) * n / (double) samplesPerSpoke;
			kx[s * samplesPerSpoke + r] = k * Math.cos(angles[s]);
			ky[s * samplesPerSpoke + r] = k * Math.sin(angles[s]);
		}
		return new double[][] { kx, ky };
	}

	/** Golden-angle spoke angles (111.246... degrees apart), starting at offset spokes. */
	public static double[] goldenAngles(final int count, final int offset) {
		final double g = Math.PI * (Math.sqrt(5) - 1) / 2; // 111.25 degrees
		final double[] a = new double[count];
		for (int s = 0; s < count; s++) a[s] = ((s + offset) * g) % (2 * Math.PI);
		return a;
	}
}
