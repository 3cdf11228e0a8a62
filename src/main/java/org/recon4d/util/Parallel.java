package org.recon4d.util;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Data-parallel loops on the common fork-join pool (all cores). */
public final class Parallel {

	private static volatile boolean serial;

	private Parallel() {}

	/** Single-threaded mode (benchmarks time one thread against a reference tool's one thread). */
	public static void setSerial(final boolean s) {
		serial = s;
	}

	/** Runs body(i) for i in [0, n), in parallel when n is large enough to pay for it. */
	public static void forEach(final int n, final IntConsumer body) {
		if (n <= 1 || serial || Runtime.getRuntime().availableProcessors() == 1) {
			for (int i = 0; i < n; i++) body.accept(i);
		}
		else IntStream.range(0, n).parallel().forEach(body);
	}
}
