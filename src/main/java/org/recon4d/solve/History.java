package org.recon4d.solve;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.recon4d.metrics.Metrics;

/**
 * A {@link Monitor} that records cost, elapsed seconds and (with a reference) PSNR per iteration,
 * forwards progress to a listener and asks a supplier whether to cancel.
 */
public final class History implements Monitor {

	/** Progress listener: (iteration, total, cost). */
	@FunctionalInterface
	public interface Progress {
		void report(int k, int total, double cost);
	}

	private final float[] reference;
	private final Progress progress;
	private final BooleanSupplier cancel;
	private final long start = System.nanoTime();
	private final List<double[]> rows = new ArrayList<>(); // k, cost, psnr, seconds

	public History() {
		this(null, null, null);
	}

	/** @param reference ground truth for PSNR or null; @param progress or null; @param cancel or null */
	public History(final float[] reference, final Progress progress, final BooleanSupplier cancel) {
		this.reference = reference;
		this.progress = progress;
		this.cancel = cancel;
	}

	@Override
	public void iteration(final int k, final int total, final double cost, final float[] x) {
		final double psnr = reference == null ? Double.NaN : Metrics.psnr(x, reference);
		rows.add(new double[] { k, cost, psnr, (System.nanoTime() - start) * 1e-9 });
		if (progress != null) progress.report(k, total, cost);
	}

	@Override
	public boolean isCanceled() {
		return cancel != null && cancel.getAsBoolean();
	}

	public int size() { return rows.size(); }
	public double cost(final int i) { return rows.get(i)[1]; }
	public double psnr(final int i) { return rows.get(i)[2]; }
	public double seconds(final int i) { return rows.get(i)[3]; }

	public double[] costs() {
		return rows.stream().mapToDouble(r -> r[1]).toArray();
	}

	public double[] psnrs() {
		return rows.stream().mapToDouble(r -> r[2]).toArray();
	}
}
