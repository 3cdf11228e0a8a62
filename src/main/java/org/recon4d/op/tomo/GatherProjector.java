package org.recon4d.op.tomo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The {@link ParallelBeamProjector} as DJL tensor operations, for use inside an autograd graph
 * (unrolled networks train through it).
 * <p>
 * The system matrix is stored as a padded gather table: for each of the R rays, L = 2 max(nx, ny)
 * (pixel index, weight) pairs. Forward: {@code y = sum_L(w * take(x, idx))}. The adjoint is the
 * gradient of the forward with respect to x: libtorch's backward of {@code take} is an
 * accumulating scatter, so {@code A^T} inside the graph is exact without a scatter-add op in DJL.
 * <p>
 * Measured choice (see docs/benchmarks.md, row "projector impl"): the host Java kernels are
 * faster on CPU and need no table, so solvers use {@link ParallelBeamProjector}; this class is
 * used where gradients must flow. Memory: R * L * 12 bytes (int64 index + float32 weight), e.g.
 * 128 frames x 1 view x 128 bins x 256 = 50 MB.
 */
public final class GatherProjector implements AutoCloseable {

	private final ParallelBeamProjector op;
	private final NDArray index, weight;
	private final int rays, width;
	private final NDManager manager;
	private NDArray indexT, weightT;

	public GatherProjector(final ParallelBeamProjector op, final NDManager manager) {
		this.op = op;
		this.width = op.maxEntriesPerRay();
		this.rays = op.rangeSize();
		final long[] idx = new long[rays * width];
		final float[] w = new float[rays * width];
		final int m = op.detectors(), views = op.views(), nz = op.nz();
		for (int t = 0, r = 0; t < op.frames(); t++) for (int z = 0; z < nz; z++)
			for (int v = 0; v < views; v++) for (int k = 0; k < m; k++, r++) {
				final int base = r * width;
				final int[] n = { 0 };
				op.rayEntries(t, z, v, k, (i, wt) -> { idx[base + n[0]] = i; w[base + n[0]] = wt; n[0]++; });
			}
		this.index = manager.create(idx, new Shape(rays, width));
		this.weight = manager.create(w, new Shape(rays, width));
		this.manager = manager;
	}

	/**
	 * The transposed table (for each pixel, the rays through it), built on first use from the same
	 * entries, so {@link #adjoint} is the exact transpose of {@link #forward} and is itself a gather
	 * that autograd differentiates (its backward is A). Unrolled networks need A^T inside the graph.
	 */
	private synchronized void buildTranspose() {
		if (indexT != null) return;
		final long[] idx = index.toLongArray();
		final float[] w = weight.toFloatArray();
		final int n = Math.toIntExact(op.domainSize());
		final int[] count = new int[n];
		for (int q = 0; q < idx.length; q++) if (w[q] != 0) count[(int) idx[q]]++;
		int wt = 1;
		for (final int c : count) wt = Math.max(wt, c);
		final long[] it = new long[n * wt];
		final float[] ww = new float[n * wt];
		final int[] fill = new int[n];
		for (int q = 0; q < idx.length; q++) {
			if (w[q] == 0) continue;
			final int pix = (int) idx[q], slot = pix * wt + fill[pix]++;
			it[slot] = q / width;
			ww[slot] = w[q];
		}
		indexT = manager.create(it, new Shape(n, wt));
		weightT = manager.create(ww, new Shape(n, wt));
	}

	/** x = A^T y for y with {@code op.rangeSize()} elements; returns shape (t, z, y, x), differentiable with respect to y. */
	public NDArray adjoint(final NDArray y) {
		buildTranspose();
		final NDArray g = y.reshape(-1).take(indexT).mul(weightT).sum(new int[] { 1 });
		return g.reshape(op.frames(), op.nz(), op.ny(), op.nx());
	}

	public ParallelBeamProjector operator() {
		return op;
	}

	/**
	 * y = A x for x of any shape with {@code op.domainSize()} elements (e.g. (t, z, y, x));
	 * returns shape (t, z, views, detectors), differentiable with respect to x.
	 */
	public NDArray forward(final NDArray x) {
		final NDArray flat = x.getDataType() == DataType.FLOAT32 ? x.reshape(-1) : x.toType(DataType.FLOAT32, false).reshape(-1);
		final NDArray g = flat.take(index).mul(weight).sum(new int[] { 1 });
		return g.reshape(op.frames(), op.nz(), op.views(), op.detectors());
	}

	@Override
	public void close() {
		index.close();
		weight.close();
		if (indexT != null) { indexT.close(); weightT.close(); }
	}
}
