package org.recon4d.op.mri;

import org.recon4d.op.LinearOperator;
import org.recon4d.util.AnyFft;
import org.recon4d.util.Parallel;

/**
 * Centred, orthonormal 2D discrete Fourier transform over a batch of complex images, the fastMRI
 * convention: {@code fftshift(fft2(ifftshift(x))) / sqrt(nx ny)}. Complex values are interleaved
 * (re, im), so the vector shape is {2, nx, ny, batch}, the memory layout of a C-order complex64
 * array [batch, ny, nx]. The transform is unitary, so its adjoint is the centred inverse; the
 * inverse reads and writes with the same index maps, which are exactly the transposes of the
 * forward's shifts, so the pair is an exact adjoint for odd sizes too (where numpy's
 * {@code fftshift(ifft(ifftshift(.)))} is off by one sample).
 */
public final class Fft2c implements LinearOperator {

	private final int nx, ny, batch;
	private final AnyFft fx, fy;
	private final org.recon4d.util.PlanarFft px, py; // both set when nx and ny are powers of two

	public Fft2c(final int nx, final int ny, final int batch) {
		if (nx < 1 || ny < 1 || batch < 1) throw new IllegalArgumentException("bad FFT shape " + nx + " x " + ny + " x " + batch);
		this.nx = nx;
		this.ny = ny;
		this.batch = batch;
		fx = new AnyFft(nx);
		fy = new AnyFft(ny);
		final boolean pow2 = Integer.bitCount(nx) == 1 && Integer.bitCount(ny) == 1 && nx >= 2 && ny >= 2;
		px = pow2 ? new org.recon4d.util.PlanarFft(nx) : null;
		py = pow2 ? new org.recon4d.util.PlanarFft(ny) : null;
	}

	@Override public long[] domainShape() { return new long[] { 2, nx, ny, batch }; }
	@Override public long[] rangeShape() { return domainShape(); }
	@Override public String name() { return "Fft2c(" + nx + "x" + ny + "x" + batch + ")"; }

	@Override
	public void apply(final float[] x, final float[] y) {
		if (x != y) System.arraycopy(x, 0, y, 0, x.length);
		transform(y, 0, batch, false);
	}

	@Override
	public void adjoint(final float[] y, final float[] x) {
		if (x != y) System.arraycopy(y, 0, x, 0, y.length);
		transform(x, 0, batch, true);
	}

	/** Transforms images [from, to) of an interleaved batch in place. */
	public void transform(final float[] v, final int from, final int to, final boolean inverse) {
		Parallel.forEach(to - from, b -> transformOne(v, (long) (from + b) * 2 * nx * ny, inverse));
	}

	/**
	 * Powers of two: planar single-precision transforms, whole rows per butterfly (SIMD-friendly).
	 * The input shift (ifftshift) is applied while de-interleaving, the output shift (fftshift)
	 * while writing back; the transform along x runs on the transposed planes.
	 */
	private void planar(final float[] v, final int o, final boolean inverse) {
		final int hx = nx / 2, hy = ny / 2;
		final float[][] re = new float[ny][nx], im = new float[ny][nx];
		for (int j = 0; j < ny; j++) {
			final int row = o + 2 * ((j + hy) % ny) * nx;
			final float[] r = re[j], m = im[j];
			for (int i = 0; i < nx; i++) {
				final int src = row + 2 * ((i + hx) % nx);
				r[i] = v[src];
				m[i] = v[src + 1];
			}
		}
		py.transform(re, im, inverse); // along y, all x at once
		final float[][] tr = new float[nx][ny], ti = new float[nx][ny];
		for (int j = 0; j < ny; j++) {
			final float[] r = re[j], m = im[j];
			for (int i = 0; i < nx; i++) { tr[i][j] = r[i]; ti[i][j] = m[i]; }
		}
		px.transform(tr, ti, inverse); // along x, all y at once
		final float scale = (float) (1 / Math.sqrt((double) nx * ny));
		for (int i = 0; i < nx; i++) {
			final float[] r = tr[i], m = ti[i];
			final int col = 2 * ((i + hx) % nx);
			for (int j = 0; j < ny; j++) {
				final int dst = o + 2 * ((j + hy) % ny) * nx + col;
				v[dst] = r[j] * scale;
				v[dst + 1] = m[j] * scale;
			}
		}
	}

	/**
	 * Centred orthonormal 1D transforms along x of every row of one image (scale 1/sqrt(nx)): the
	 * x half of the 2D transform, for operators whose k-space weighting depends on kx only.
	 */
	public void transformRows(final float[] v, final long off, final boolean inverse) {
		final int o = Math.toIntExact(off);
		if (px == null) { rows(v, o, inverse, 1 / Math.sqrt(nx)); return; }
		// planar: x as the outer index, all rows at once
		final int hx = nx / 2;
		final float[][] tr = new float[nx][ny], ti = new float[nx][ny];
		for (int j = 0; j < ny; j++) {
			final int row = o + 2 * j * nx;
			for (int i = 0; i < nx; i++) {
				final int src = row + 2 * ((i + hx) % nx);
				tr[i][j] = v[src];
				ti[i][j] = v[src + 1];
			}
		}
		px.transform(tr, ti, inverse);
		final float scale = (float) (1 / Math.sqrt(nx));
		for (int i = 0; i < nx; i++) {
			final float[] r = tr[i], m = ti[i];
			final int col = 2 * ((i + hx) % nx);
			for (int j = 0; j < ny; j++) {
				final int dst = o + 2 * j * nx + col;
				v[dst] = r[j] * scale;
				v[dst + 1] = m[j] * scale;
			}
		}
	}

	/** Row transforms (ifftshift in, fftshift out) of one image, times scale. */
	private void rows(final float[] v, final int o, final boolean inverse, final double scale) {
		final double[] re = new double[nx], im = new double[nx];
		final int hx = nx / 2;
		for (int j = 0; j < ny; j++) {
			final int row = o + 2 * j * nx;
			for (int i = 0; i < nx; i++) {
				final int src = row + 2 * ((i + hx) % nx);
				re[i] = v[src];
				im[i] = v[src + 1];
			}
			fx.transform(re, im, inverse);
			for (int i = 0; i < nx; i++) {
				// fftshift: out[(i + n/2) mod n] = X[i]
				final int dst = row + 2 * ((i + hx) % nx);
				v[dst] = (float) (re[i] * scale);
				v[dst + 1] = (float) (im[i] * scale);
			}
		}
	}

	/** One centred orthonormal 2D transform of the image starting at (interleaved) offset off. */
	public void transformOne(final float[] v, final long off, final boolean inverse) {
		final int o = Math.toIntExact(off);
		if (px != null) { planar(v, o, inverse); return; }
		final double scale = 1 / Math.sqrt((double) nx * ny);
		final int hy = ny / 2;
		rows(v, o, inverse, 1);
		// columns (along y) in blocks of adjacent columns: each row contributes one contiguous run of
		// 2 * B floats, instead of a cache line per value
		final int block = 8;
		final double[][] cre = new double[block][ny], cim = new double[block][ny];
		for (int i0 = 0; i0 < nx; i0 += block) {
			final int bw = Math.min(block, nx - i0);
			for (int j = 0; j < ny; j++) {
				final int src = o + 2 * (((j + hy) % ny) * nx + i0);
				for (int b = 0; b < bw; b++) {
					cre[b][j] = v[src + 2 * b];
					cim[b][j] = v[src + 2 * b + 1];
				}
			}
			for (int b = 0; b < bw; b++) fy.transform(cre[b], cim[b], inverse);
			for (int j = 0; j < ny; j++) {
				final int dst = o + 2 * (((j + hy) % ny) * nx + i0);
				for (int b = 0; b < bw; b++) {
					v[dst + 2 * b] = (float) (cre[b][j] * scale);
					v[dst + 2 * b + 1] = (float) (cim[b][j] * scale);
				}
			}
		}
	}
}
