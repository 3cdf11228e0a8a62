package org.recon4d.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Multiresolution levels for viewers: each level halves x and y (and z when present and deeper
 * than 1) by averaging 2x2(x2) blocks; t is never reduced. Levels stop when the next one would
 * make x or y smaller than {@code minSize} or after {@code maxLevels}.
 */
public final class Pyramid {

	private Pyramid() {}

	/** Level 0 is the input. Factors per level are in {@link #factors}. */
	public static List<Volume> levels(final Volume v, final int minSize, final int maxLevels) {
		final List<Volume> out = new ArrayList<>();
		out.add(v);
		Volume cur = v;
		while (out.size() < maxLevels && cur.size("x") / 2 >= minSize && cur.size("y") / 2 >= minSize) {
			cur = half(cur);
			out.add(cur);
		}
		return out;
	}

	/** Per-level downsampling factors in (x, y, z) relative to level 0. */
	public static int[] factors(final Volume v, final int level) {
		final boolean z = v.size("z") > 1;
		final int f = 1 << level;
		return new int[] { f, f, z ? f : 1 };
	}

	static Volume half(final Volume v) {
		final int nx = (int) v.size("x"), ny = (int) v.size("y"), nz = (int) v.size("z"), nt = (int) v.size("t");
		final boolean dz = nz > 1;
		final int ox = Math.max(1, nx / 2), oy = Math.max(1, ny / 2), oz = dz ? Math.max(1, nz / 2) : 1;
		final float[] in = v.data(), out = new float[ox * oy * oz * nt];
		for (int t = 0; t < nt; t++) for (int z = 0; z < oz; z++) for (int y = 0; y < oy; y++) for (int x = 0; x < ox; x++) {
			double s = 0;
			int n = 0;
			for (int c = 0; c < (dz ? 8 : 4); c++) {
				final int xx = 2 * x + (c & 1), yy = 2 * y + ((c >> 1) & 1), zz = dz ? 2 * z + (c >> 2) : z;
				if (xx < nx && yy < ny && zz < nz) { s += in[((t * nz + zz) * ny + yy) * nx + xx]; n++; }
			}
			out[((t * oz + z) * oy + y) * ox + x] = (float) (s / n);
		}
		final String[] axes = v.axes();
		final long[] dims = v.dims();
		final double[] sp = v.spacing();
		for (int d = 0; d < axes.length; d++) {
			switch (axes[d]) {
				case "x": dims[d] = ox; sp[d] *= 2; break;
				case "y": dims[d] = oy; sp[d] *= 2; break;
				case "z": if (dz) { dims[d] = oz; sp[d] *= 2; } break;
				default: break;
			}
		}
		return new Volume(out, dims, axes, sp, v.unit(), v.timeUnit());
	}
}
