package org.recon4d.unroll;

import java.util.HashMap;
import java.util.Map;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** The {@link Dft} matrices of each image size a network meets, made once in the network's manager. */
public final class Dfts {

	private final NDManager manager;
	private final Map<Long, Dft> cache = new HashMap<>();

	public Dfts(final NDManager manager) {
		this.manager = manager;
	}

	/** For a tensor whose last two axes are (H, W). */
	public synchronized Dft get(final Shape s) {
		final int h = (int) s.get(s.dimension() - 2), w = (int) s.get(s.dimension() - 1);
		return cache.computeIfAbsent(((long) h << 32) | w, k -> new Dft(manager, h, w));
	}
}
