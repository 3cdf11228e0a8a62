package org.recon4d.avatar;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.recon4d.tensor.Djl;

/** Autograd gradients of the rendered colours and soft silhouette against float64 central differences. */
class DiffRenderGradientTest {

	// icosahedron, perturbed so that no symmetry hides an error
	static double[] vertices() {
		final double t = (1 + Math.sqrt(5)) / 2;
		final double[] v = {-1, t, 0, 1, t, 0, -1, -t, 0, 1, -t, 0, 0, -1, t, 0, 1, t, 0, -1, -t, 0, 1, -t, t, 0, -1, t, 0, 1, -t, 0, -1, -t, 0, 1};
		final SplittableRandom r = new SplittableRandom(3);
		for (int i = 0; i < v.length; i++) v[i] = 0.5 * v[i] + 0.05 * (r.nextDouble() - 0.5);
		return v;
	}

	static final int[] TRI = {0, 11, 5, 0, 5, 1, 0, 1, 7, 0, 7, 10, 0, 10, 11, 1, 5, 9, 5, 11, 4, 11, 10, 2, 10, 7, 6, 7, 1, 8,
		3, 9, 4, 3, 4, 2, 3, 2, 6, 3, 6, 8, 3, 8, 9, 4, 9, 5, 2, 4, 11, 6, 2, 10, 8, 6, 7, 9, 8, 1};

	@Test
	void gradientsMatchFiniteDifferences() {
		Djl.configure();
		final double[] v0 = vertices();
		final Camera cam = new Camera(32, 32, 30, 30, 16, 16, AvatarJob.lookAt(new double[] {0.7, 0.9, 3.5}, new double[] {0, 0, 0}));
		final Raster.View view = Raster.render(32, 32, cam.project(v0), TRI, 3, 3);
		final SplittableRandom r = new SplittableRandom(7);
		final double[] alb = new double[36], light = new double[27];
		for (int i = 0; i < alb.length; i++) alb[i] = 0.2 + 0.6 * r.nextDouble();
		for (int i = 0; i < light.length; i++) light[i] = (i < 3 ? 2 : 0.4) * (r.nextDouble() - (i < 3 ? 0 : 0.5));
		try (NDManager m = Djl.newManager()) {
			final DiffRender.Pixels px = new DiffRender.Pixels(m, view, TRI, DataType.FLOAT64, null);
			final DiffRender.Band band = new DiffRender.Band(m, view, DataType.FLOAT64);
			final DiffRender.Incidence inc = new DiffRender.Incidence(m, 12, TRI);
			assertTrue(px.size() > 100 && band.size() > 50, px.size() + " pixels, " + band.size() + " band");
			final double[] wc = new double[3 * px.size()], ws = new double[band.size()];
			for (int i = 0; i < wc.length; i++) wc[i] = r.nextDouble() - 0.5;
			for (int i = 0; i < ws.length; i++) ws[i] = r.nextDouble() - 0.5;
			final NDArray cw = m.create(wc, new Shape(px.size(), 3)), sw = m.create(ws);
			final double[][] params = {v0, alb, light};
			final Shape[] shapes = {new Shape(12, 3), new Shape(12, 3), new Shape(9, 3)};
			final NDArray[] arrays = new NDArray[3];
			for (int k = 0; k < 3; k++) { arrays[k] = m.create(params[k], shapes[k]); arrays[k].setRequiresGradient(true); }
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				gc.backward(loss(arrays[0], arrays[1], arrays[2], cam, px, band, inc, cw, sw));
			}
			final String[] names = {"vertex positions", "albedo", "light"};
			for (int k = 0; k < 3; k++) {
				final double[] auto = arrays[k].getGradient().toDoubleArray();
				double worst = 0, scale = 0;
				for (int i = 0; i < params[k].length; i++) {
					final double h = 1e-6;
					final double[] plus = params[k].clone(), minus = params[k].clone();
					plus[i] += h;
					minus[i] -= h;
					final double fd = (eval(k, plus, params, shapes, m, cam, px, band, inc, cw, sw) - eval(k, minus, params, shapes, m, cam, px, band, inc, cw, sw)) / (2 * h);
					worst = Math.max(worst, Math.abs(fd - auto[i]));
					scale = Math.max(scale, Math.abs(fd));
				}
				System.out.printf("gradient wrt %s: max |autograd - fd| = %.3g (max |fd| %.3g)%n", names[k], worst, scale);
				assertTrue(scale > 1e-3, names[k] + ": the loss should depend on them");
				assertTrue(worst < 1e-5 * scale, names[k] + ": max error " + worst + " for gradients up to " + scale);
			}
		}
	}

	private static double eval(final int k, final double[] p, final double[][] params, final Shape[] shapes, final NDManager parent, final Camera cam,
		final DiffRender.Pixels px, final DiffRender.Band band, final DiffRender.Incidence inc, final NDArray cw, final NDArray sw)
	{
		try (NDManager m = parent.newSubManager()) {
			final NDArray[] a = new NDArray[3];
			for (int q = 0; q < 3; q++) a[q] = m.create(q == k ? p : params[q], shapes[q]);
			return loss(a[0], a[1], a[2], cam, px, band, inc, cw, sw).getDouble();
		}
	}

	private static NDArray loss(final NDArray pos, final NDArray albedo, final NDArray light, final Camera cam, final DiffRender.Pixels px,
		final DiffRender.Band band, final DiffRender.Incidence inc, final NDArray cw, final NDArray sw)
	{
		final NDArray proj = DiffRender.project(pos, cam);
		final NDArray lambda = DiffRender.barycentric(proj, px);
		final NDArray n = DiffRender.normalize(DiffRender.interpolate(DiffRender.vertexNormals(pos, inc), px, lambda));
		final NDArray rgb = DiffRender.shade(DiffRender.interpolate(albedo, px, lambda), n, light);
		return rgb.mul(cw).sum().add(DiffRender.silhouette(proj, band, 1.5).mul(sw).sum());
	}
}
