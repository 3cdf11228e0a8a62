package org.recon4d.solve;

import java.util.concurrent.CancellationException;

/**
 * Receives one call per solver iteration and answers whether the user cancelled. Solvers call
 * {@link #checkCanceled()} at the top of every iteration, so a cancel stops within one iteration.
 */
public interface Monitor {

	Monitor NONE = (k, total, cost, x) -> { };

	/**
	 * @param k iteration just finished (1-based), @param total planned iterations
	 * @param cost objective value at the new iterate, @param x the iterate (read only)
	 */
	void iteration(int k, int total, double cost, float[] x);

	default boolean isCanceled() {
		return false;
	}

	default void checkCanceled() {
		if (isCanceled()) throw new CancellationException("reconstruction cancelled");
	}
}
