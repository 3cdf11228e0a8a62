package org.recon4d.op.reg;

import java.util.Arrays;

import org.recon4d.op.LinearOperator;
import org.recon4d.util.Parallel;

/**
 * Weighted forward-difference gradient along chosen axes of an n-D array (Neumann boundary: the
 * difference at the last index of an axis is 0).
 * <pre>
 *   (D x)[c, p] = w_c (x[p + e_{a_c}] - x[p])  for p_{a_c} &lt; n_{a_c} - 1, else 0
 *   (D^T g)[p]  = sum_c w_c (g[c, p - e_{a_c}] - g[c, p])     (negative divergence)
 * </pre>
 * Domain shape: the array's; range shape: the array's shape followed by the number of components
 * (component slowest). Space-time TV uses axes (0, 1, 3) with weights (1, 1, mu).
 */
public final class Gradient implements LinearOperator {

	private final long[] shape;
	private final int[] axes;
	private final float[] weights;
	private final int n;
	private final int[] strides;

	public Gradient(final long[] shape, final int[] axes, final double[] weights) {
		if (axes.length != weights.length) throw new IllegalArgumentException("one weight per axis");
		this.shape = shape.clone();
		this.axes = axes.clone();
		this.weights = new float[weights.length];
		for (int c = 0; c < weights.length; c++) this.weights[c] = (float) weights[c];
		this.strides = new int[shape.length];
		int s = 1;
		for (int d = 0; d < shape.length; d++) { strides[d] = s; s = Math.multiplyExact(s, (int) shape[d]); }
		this.n = s;
		for (final int a : axes) if (a < 0 || a >= shape.length) throw new IllegalArgumentException("axis " + a + " not in shape " + Arrays.toString(shape));
	}

	/** Largest row abs-sum over all components (2 max w); used for step sizes. */
	public double maxRowSum() {
		double m = 0;
		for (final float w : weights) m = Math.max(m, 2 * Math.abs(w));
		return m;
	}

	/** Largest column abs-sum (2 sum |w|). */
	public double maxColumnSum() {
		double m = 0;
		for (final float w : weights) m += 2 * Math.abs(w);
		return m;
	}

	public int components() {
		return axes.length;
	}

	@Override public long[] domainShape() { return shape.clone(); }

	@Override public long[] rangeShape() {
		final long[] r = Arrays.copyOf(shape, shape.length + 1);
		r[shape.length] = axes.length;
		return r;
	}

	@Override public String name() { return "Gradient(axes " + Arrays.toString(axes) + ", w " + Arrays.toString(weights) + ")"; }

	@Override
	public void apply(final float[] x, final float[] y) {
		Parallel.forEach(axes.length, c -> {
			final int a = axes[c], st = strides[a], len = (int) shape[a];
			final float w = weights[c];
			final int off = c * n;
			for (int p = 0; p < n; p++) {
				final int pa = (p / st) % len;
				y[off + p] = pa < len - 1 ? w * (x[p + st] - x[p]) : 0f;
			}
		});
	}

	@Override
	public void adjoint(final float[] y, final float[] x) {
		final int chunks = Math.max(1, Math.min(64, n / 4096));
		final int per = (n + chunks - 1) / chunks;
		Parallel.forEach(chunks, ch -> {
			final int lo = ch * per, hi = Math.min(n, lo + per);
			for (int p = lo; p < hi; p++) {
				float acc = 0;
				for (int c = 0; c < axes.length; c++) {
					final int a = axes[c], st = strides[a], len = (int) shape[a];
					final int pa = (p / st) % len, off = c * n;
					float d = 0;
					if (pa < len - 1) d -= y[off + p];
					if (pa > 0) d += y[off + p - st];
					acc += weights[c] * d;
				}
				x[p] = acc;
			}
		});
	}
}
