package org.recon4d.op.reg;

import org.recon4d.op.LinearOperator;
import org.recon4d.util.Parallel;

/**
 * Orthonormal 2D Haar wavelet transform (Mallat layout, in place per image) over a batch of
 * images with interleaved channels: shape {channels, nx, ny, batch} (channels = 2 for complex
 * data). Each level halves the low-pass block while both of its sides are even and at least
 * {@code 2 * minSize}, so any image size works (odd blocks simply stop the recursion). Being
 * orthonormal, its adjoint is its inverse, and the proximal map of ||W x||_1 is W^T soft(W x).
 */
public final class Haar implements LinearOperator {

	private final int ch, nx, ny, batch, levels;
	private static final float S = (float) Math.sqrt(0.5);

	public Haar(final int channels, final int nx, final int ny, final int batch, final int maxLevels, final int minSize) {
		this.ch = channels;
		this.nx = nx;
		this.ny = ny;
		this.batch = batch;
		int l = 0, w = nx, h = ny;
		while (l < maxLevels && w % 2 == 0 && h % 2 == 0 && w >= 2 * minSize && h >= 2 * minSize) { l++; w /= 2; h /= 2; }
		this.levels = l;
	}

	public int levels() { return levels; }

	@Override public long[] domainShape() { return new long[] { ch, nx, ny, batch }; }
	@Override public long[] rangeShape() { return domainShape(); }
	@Override public String name() { return "Haar(" + levels + " levels, " + nx + "x" + ny + ")"; }

	@Override
	public void apply(final float[] x, final float[] y) {
		if (x != y) System.arraycopy(x, 0, y, 0, x.length);
		Parallel.forEach(batch * ch, bc -> {
			final int b = bc / ch, c = bc % ch;
			final int off = b * ch * nx * ny + c;
			final float[] tmp = new float[Math.max(nx, ny)];
			int w = nx, h = ny;
			for (int l = 0; l < levels; l++) {
				for (int j = 0; j < h; j++) {
					for (int i = 0; i < w / 2; i++) {
						final float a = y[idx(off, 2 * i, j)], d = y[idx(off, 2 * i + 1, j)];
						tmp[i] = S * (a + d);
						tmp[w / 2 + i] = S * (a - d);
					}
					for (int i = 0; i < w; i++) y[idx(off, i, j)] = tmp[i];
				}
				for (int i = 0; i < w; i++) {
					for (int j = 0; j < h / 2; j++) {
						final float a = y[idx(off, i, 2 * j)], d = y[idx(off, i, 2 * j + 1)];
						tmp[j] = S * (a + d);
						tmp[h / 2 + j] = S * (a - d);
					}
					for (int j = 0; j < h; j++) y[idx(off, i, j)] = tmp[j];
				}
				w /= 2;
				h /= 2;
			}
		});
	}

	@Override
	public void adjoint(final float[] y, final float[] x) {
		if (x != y) System.arraycopy(y, 0, x, 0, y.length);
		Parallel.forEach(batch * ch, bc -> {
			final int b = bc / ch, c = bc % ch;
			final int off = b * ch * nx * ny + c;
			final float[] tmp = new float[Math.max(nx, ny)];
			for (int l = levels - 1; l >= 0; l--) {
				final int w = nx >> l, h = ny >> l;
				for (int i = 0; i < w; i++) {
					for (int j = 0; j < h / 2; j++) {
						final float a = x[idx(off, i, j)], d = x[idx(off, i, h / 2 + j)];
						tmp[2 * j] = S * (a + d);
						tmp[2 * j + 1] = S * (a - d);
					}
					for (int j = 0; j < h; j++) x[idx(off, i, j)] = tmp[j];
				}
				for (int j = 0; j < h; j++) {
					for (int i = 0; i < w / 2; i++) {
						final float a = x[idx(off, i, j)], d = x[idx(off, w / 2 + i, j)];
						tmp[2 * i] = S * (a + d);
						tmp[2 * i + 1] = S * (a - d);
					}
					for (int i = 0; i < w; i++) x[idx(off, i, j)] = tmp[i];
				}
			}
		});
	}

	private int idx(final int off, final int i, final int j) {
		return off + ch * (j * nx + i);
	}
}
