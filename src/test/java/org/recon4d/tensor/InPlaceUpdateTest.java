package org.recon4d.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.recon4d.unroll.Params;

/**
 * Parameter updates on a thread other than the one that started the engine (a SciJava command's
 * pool thread): there PyTorch's grad mode is on, and a plain in-place update of a leaf that
 * requires a gradient fails.
 */
class InPlaceUpdateTest {

	@Test
	void adamUpdatesOnAFreshThread() throws Exception {
		Djl.configure();
		try (NDManager warm = Djl.newManager()) {
			warm.ones(new Shape(1)).sum(); // the engine starts on this thread
		}
		final AtomicReference<Throwable> failure = new AtomicReference<>();
		final AtomicReference<float[]> result = new AtomicReference<>();
		final Thread t = new Thread(() -> {
			try (NDManager m = Djl.newManager(); Params p = new Params(m, 1)) {
				final NDArray w = p.constant("w", new Shape(3), 1f);
				try (GradientCollector gc = Engine.getEngine(Djl.ENGINE).newGradientCollector()) {
					gc.backward(w.mul(w).sum());
				}
				// the mechanism: a plain in-place update is refused here
				assertThrows(RuntimeException.class, () -> w.subi(m.ones(new Shape(3)).mul(0.1f)));
				p.adam(0.1, 0);
				// also a non-finite gradient: skipped, the gradient zeroed in place
				try (GradientCollector gc = Engine.getEngine(Djl.ENGINE).newGradientCollector()) {
					gc.backward(w.log().sum().mul(Float.NaN));
				}
				p.adam(0.1, 0);
				result.set(w.toFloatArray());
			}
			catch (final Throwable e) {
				failure.set(e);
			}
		});
		t.start();
		t.join();
		if (failure.get() != null) throw new AssertionError("update on a fresh thread failed", failure.get());
		// one Adam step of size lr against a positive gradient, then a skipped step
		assertArrayEquals(new float[] {0.9f, 0.9f, 0.9f}, result.get(), 1e-6f);
	}
}
