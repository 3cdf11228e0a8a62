package org.recon4d.tensor;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;
import org.recon4d.op.tomo.GatherProjector;
import org.recon4d.op.tomo.ParallelBeamProjector;
import org.recon4d.phantom.AngleSchedule;
import org.recon4d.phantom.DynamicPhantom;

/** ImgLib2 <-> NDArray layout, and the projector inside a DJL autograd graph. */
class TensorsTest {

	@Test
	void imgToNdArrayKeepsLayout() {
		final float[] d = new float[5 * 4 * 3];
		for (int i = 0; i < d.length; i++) d[i] = i;
		final ArrayImg<FloatType, FloatArray> img = Tensors.wrap(d, 5, 4, 3);
		assertSame(d, Tensors.data(img), "float ArrayImg data must be shared, not copied");
		try (NDManager m = Djl.newManager()) {
			final NDArray a = Tensors.toNDArray(m, img);
			assertEquals(new Shape(3, 4, 5), a.getShape());
			assertEquals(2 + 5 * (1 + 4 * 2), a.getFloat(2, 1, 2), 0f); // a[t=2, y=1, x=2] = img(x=2, y=1, t=2)
			final Img<FloatType> back = Tensors.toImg(a.mul(2));
			assertArrayEquals(new long[] { 5, 4, 3 }, back.dimensionsAsLongArray());
			assertEquals(2f * d[37], Tensors.data(back)[37], 0f);
		}
		final Img<FloatType> planar = PlanarImgs.floats(5, 4, 3);
		int k = 0;
		for (final FloatType t : planar) t.set(k++);
		assertArrayEquals(d, Tensors.copy(planar));
	}

	@Test
	void gatherProjectorMatchesHostAndDifferentiates() {
		final int n = 24, frames = 6;
		final ParallelBeamProjector a = new ParallelBeamProjector(n, n, 1, n + 3, AngleSchedule.GOLDEN.angles(frames, 3));
		final float[] x = new DynamicPhantom(3).render(n, frames);
		final float[] hostY = a.apply(x);
		final java.util.SplittableRandom r = new java.util.SplittableRandom(5);
		final float[] w = new float[a.rangeSize()];
		for (int i = 0; i < w.length; i++) w[i] = (float) r.nextDouble(-1, 1);
		final float[] hostGrad = a.adjoint(w);
		try (NDManager m = Djl.newManager(); GatherProjector g = new GatherProjector(a, m)) {
			final NDArray xt = m.create(x, new Shape(frames, 1, n, n));
			xt.setRequiresGradient(true);
			final NDArray wt = m.create(w, new Shape(frames, 1, 3, n + 3));
			try (GradientCollector gc = Engine.getEngine(Djl.ENGINE).newGradientCollector()) {
				final NDArray y = g.forward(xt);
				assertEquals(new Shape(frames, 1, 3, n + 3), y.getShape());
				assertTrue(maxRelDiff(y.toFloatArray(), hostY) < 1e-5, "forward differs from host: " + maxRelDiff(y.toFloatArray(), hostY));
				gc.backward(y.mul(wt).sum()); // d/dx <A x, w> = A^T w
			}
			final float[] grad = xt.getGradient().toFloatArray();
			final double err = maxRelDiff(grad, hostGrad);
			System.out.printf("autograd gradient vs host adjoint: max rel diff %.2e%n", err);
			assertTrue(err < 1e-5, "autograd adjoint differs: " + err);
		}
	}

	static double maxRelDiff(final float[] a, final float[] b) {
		double d = 0, s = 0;
		for (int i = 0; i < a.length; i++) { d = Math.max(d, Math.abs(a[i] - b[i])); s = Math.max(s, Math.abs(b[i])); }
		return d / s;
	}
}
