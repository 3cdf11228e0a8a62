package org.recon4d.avatar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.recon4d.solve.Monitor;
import org.recon4d.tensor.Djl;

/**
 * Fits an avatar to multi-view frames in stages: (1) appearance (per-vertex albedo and
 * second-order spherical-harmonic light) with the geometry fixed; (2) body shape (per-bone
 * length and radius scales, {@link ShapeModel}) with silhouettes and colours; (3) surface detail:
 * rest-space vertex offsets moved by Laplacian-preconditioned gradient steps (after "Large Steps
 * in Inverse Rendering": the step is (I + lambda L)^-1 times the gradient, so it stays smooth
 * and few views cannot tangle it); (4) appearance again on the final geometry.
 */
public final class AvatarFit {

	public static final class Settings {
		public int appearanceSteps = 150, shapeSteps = 150, detailSteps = 0, finalSteps = 150;
		public double albedoRate = 0.03, lightRate = 0.05, shapeRate = 0.01;
		public double silhouetteWeight = 1.0, sigmaStart = 3, sigmaEnd = 0.4, band = 6;
		public int candidates = 4, rasterEvery = 5;
		public double detailStep = 0.0005, laplacian = 30;
		/** visibility rays per vertex for self-shadowing in the appearance stages (0: none) */
		public int shadowRays = 128;
		/** weight of the colour term against the silhouette term in the shape and detail stages */
		public double shapeColourWeight = 0.1;
		/** skinning-weight refinement steps (0: keep the template's weights), learning rate on the weight logits, pull towards the start */
		public int weightSteps = 0;
		public double weightRate = 0.05, weightAnchor = 1e-4;
		public Settings copy() {
			final Settings s = new Settings();
			s.appearanceSteps = appearanceSteps; s.shapeSteps = shapeSteps; s.detailSteps = detailSteps; s.finalSteps = finalSteps;
			s.albedoRate = albedoRate; s.lightRate = lightRate; s.shapeRate = shapeRate; s.silhouetteWeight = silhouetteWeight;
			s.sigmaStart = sigmaStart; s.sigmaEnd = sigmaEnd; s.band = band; s.candidates = candidates; s.rasterEvery = rasterEvery;
			s.detailStep = detailStep; s.laplacian = laplacian; s.shadowRays = shadowRays; s.shapeColourWeight = shapeColourWeight;
			s.weightSteps = weightSteps; s.weightRate = weightRate; s.weightAnchor = weightAnchor;
			return s;
		}
	}

	/** The fitted avatar: rig (rest geometry, albedo as vertex colours), light, shape parameters, per-stage losses. */
	public static final class Result {
		public final Rig rig;
		public final float[] light;
		public final float[] theta;
		public final List<String> log;
		public final double seconds;

		Result(final Rig rig, final float[] light, final float[] theta, final List<String> log, final double seconds) {
			this.rig = rig;
			this.light = light;
			this.theta = theta;
			this.log = log;
			this.seconds = seconds;
		}
	}

	private final ShapeModel shape;
	private final List<Pose> poses;
	private final List<Dataset.Frame> frames;
	private final Settings s;
	private final Monitor monitor;
	private final Consumer<String> log;

	public AvatarFit(final Rig start, final List<Pose> poses, final List<Dataset.Frame> frames, final Settings settings, final Monitor monitor, final Consumer<String> log) {
		this.shape = new ShapeModel(start);
		this.poses = poses;
		this.frames = frames;
		this.s = settings;
		this.monitor = monitor == null ? Monitor.NONE : monitor;
		this.log = log == null ? x -> {} : log;
	}

	/**
	 * Skinning-weight stage: per pose, each vertex's position under each of its four joints
	 * (V x 4 x 3, the shaped rest geometry moved by that joint's skinning matrix); the posed
	 * vertex is their blend by softmax(logits). Null outside that stage.
	 */
	private float[][] influence;
	private NDArray[] influenceNd;
	private NDArray logits;

	/** Per-frame constants for the current geometry: covered pixels, band, targets. */
	private static final class FrameData {
		DiffRender.Pixels pixels;
		DiffRender.Band band;
		/** per-vertex occlusion correction T - Y(n) of the frame's pose (V x 9), or null */
		NDArray rgb, mask, transfer;
	}

	public Result run() {
		final long t0 = System.nanoTime();
		Djl.configure();
		final List<String> history = new ArrayList<>();
		final Rig rig = shape.rig;
		final int nv = rig.vertexCount(), nj = rig.jointCount();
		final int total = s.appearanceSteps + s.shapeSteps + s.detailSteps + s.weightSteps + s.finalSteps;
		int done = 0;
		try (NDManager m = Djl.newManager()) {
			final List<ShapeModel.Linear> lin = new ArrayList<>();
			for (final Pose p : poses) lin.add(shape.linear(p));
			final NDArray[] base = new NDArray[poses.size()], bmat = new NDArray[poses.size()], blend = new NDArray[poses.size()];
			for (int p = 0; p < poses.size(); p++) {
				base[p] = m.create(lin.get(p).base, new Shape(nv, 3));
				bmat[p] = m.create(lin.get(p).b, new Shape(3L * nv, 2L * nj));
				blend[p] = m.create(lin.get(p).blend, new Shape(nv, 3, 3));
			}
			final DiffRender.Incidence inc = new DiffRender.Incidence(m, nv, rig.triangles);
			final float[] a0 = new float[3 * nv];
			Arrays.fill(a0, 0.5f);
			final NDArray albedo = m.create(a0, new Shape(nv, 3));
			final float[] l0 = new float[27];
			l0[0] = l0[1] = l0[2] = 2.5f;
			final NDArray light = m.create(l0, new Shape(9, 3));
			final NDArray theta = m.create(shape.identity(), new Shape(2L * nj, 1));
			final NDArray delta = m.zeros(new Shape(nv, 3));
			final int[][] nbr = Geometry.neighbours(nv, rig.triangles);

			// (1) appearance
			done = appearance(m, "appearance", s.appearanceSteps, albedo, light, theta, delta, base, bmat, blend, inc, lin, history, done, total);
			// (2) shape
			{
				final Adam aTheta = new Adam(theta, s.shapeRate), aAlb = new Adam(albedo, s.albedoRate * 0.3), aLight = new Adam(light, s.lightRate * 0.3);
				FrameData[] fd = null;
				for (int it = 0; it < s.shapeSteps; it++) {
					monitor.checkCanceled();
					final double frac = s.shapeSteps <= 1 ? 1 : it / (double) (s.shapeSteps - 1);
					final double sigma = s.sigmaStart * Math.pow(s.sigmaEnd / s.sigmaStart, frac);
					if (it % s.rasterEvery == 0) fd = rasterize(m, theta, delta, lin, Math.max(s.band, 3 * sigma), fd);
					final double[] losses = step(m, fd, albedo, light, theta, delta, base, bmat, blend, inc, sigma, true, s.shapeColourWeight);
					aTheta.lr = s.shapeRate * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * frac)));
					aTheta.step(); aAlb.step(); aLight.step();
					Adam.clear(delta);
					record(history, "shape", it, losses);
					monitor.iteration(++done, total, losses[0] + losses[1], null);
				}
				if (fd != null) for (final FrameData f : fd) f.rgb.getManager().close();
			}
			// (3) detail: Laplacian-preconditioned offsets
			{
				final Adam aAlb = new Adam(albedo, s.albedoRate * 0.3);
				delta.setRequiresGradient(true);
				FrameData[] fd = null;
				final double[] eta = new double[1];
				for (int it = 0; it < s.detailSteps; it++) {
					monitor.checkCanceled();
					if (it % s.rasterEvery == 0) fd = rasterize(m, theta, delta, lin, s.band, fd, s.shadowRays);
					final double[] losses = step(m, fd, albedo, light, theta, delta, base, bmat, blend, inc, s.sigmaEnd, true, s.shapeColourWeight);
					final NDArray g = delta.getGradient();
					final float[] grad = g.toFloatArray();
					for (int i = 0; i < grad.length; i++) if (!Float.isFinite(grad[i])) grad[i] = 0;
					g.subi(g);
					g.close();
					// preconditioned gradient descent: the step is (I + lambda L)^-1 times the gradient
					// (Sobolev/"Large Steps" preconditioning), scaled so that the first step moves the
					// farthest vertex by detailStep, then decaying; it stops where the gradient vanishes
					final double[] pre = Laplace.smooth(grad, nbr, s.laplacian);
					if (it == 0) {
						double most = 0;
						for (int v = 0; v < nv; v++) most = Math.max(most, Math.sqrt(pre[3 * v] * pre[3 * v] + pre[3 * v + 1] * pre[3 * v + 1] + pre[3 * v + 2] * pre[3 * v + 2]));
						eta[0] = most > 0 ? s.detailStep / most : 0;
					}
					final double frac = s.detailSteps <= 1 ? 1 : it / (double) (s.detailSteps - 1);
					final double lr = eta[0] * (0.2 + 0.8 * 0.5 * (1 + Math.cos(Math.PI * frac)));
					final float[] move = new float[pre.length];
					for (int i = 0; i < move.length; i++) move[i] = (float) (lr * pre[i]);
					try (NDArray step = m.create(move, delta.getShape())) {
						Djl.subtractInPlace(delta, step);
					}
					aAlb.step();
					Adam.clear(light);
					Adam.clear(theta);
					record(history, "detail", it, losses);
					monitor.iteration(++done, total, losses[0] + losses[1], null);
				}
				if (fd != null) for (final FrameData f : fd) f.rgb.getManager().close();
			}
			// (3b) skinning weights, with the shape fixed
			float[] refinedWeights = null;
			if (s.weightSteps > 0) {
				final Rig shaped = shape.shaped(theta.toFloatArray(), delta.toFloatArray());
				influence = new float[poses.size()][];
				influenceNd = new NDArray[poses.size()];
				for (int p = 0; p < poses.size(); p++) {
					final double[][] sk = Skinning.matrices(shaped, poses.get(p));
					final float[] inf = new float[nv * 12];
					for (int v = 0; v < nv; v++)
						for (int k = 0; k < 4; k++) {
							final double[] mj = sk[rig.joints[4 * v + k]];
							for (int i = 0; i < 3; i++)
								inf[12 * v + 3 * k + i] = (float) (mj[4 * i] * shaped.positions[3 * v] + mj[4 * i + 1] * shaped.positions[3 * v + 1]
									+ mj[4 * i + 2] * shaped.positions[3 * v + 2] + mj[4 * i + 3]);
						}
					influence[p] = inf;
					influenceNd[p] = m.create(inf, new Shape(nv, 4, 3));
				}
				final float[] w0 = new float[4 * nv];
				for (int i = 0; i < w0.length; i++) w0[i] = (float) Math.log(Math.max(rig.weights[i], 1e-12)); // unused slots stay unused
				logits = m.create(w0, new Shape(nv, 4));
				final NDArray anchor = m.create(w0, new Shape(nv, 4));
				final Adam aW = new Adam(logits, s.weightRate), aAlb = new Adam(albedo, s.albedoRate * 0.3);
				FrameData[] fd = null;
				for (int it = 0; it < s.weightSteps; it++) {
					monitor.checkCanceled();
					if (it % s.rasterEvery == 0) fd = rasterize(m, theta, delta, lin, s.band, fd);
					final double[] losses = step(m, fd, albedo, light, theta, delta, base, bmat, blend, inc, s.sigmaEnd, true, s.shapeColourWeight);
					// pull towards the template's weights: gradient of anchor/2 |l - l0|^2
					try (NDManager tmp = m.newSubManager()) {
						final NDArray g = logits.getGradient();
						g.attach(tmp);
						final NDArray pull = logits.stopGradient().sub(anchor).mul((float) s.weightAnchor);
						pull.attach(tmp);
						g.addi(pull);
					}
					aW.step();
					aAlb.step();
					Adam.clear(light);
					Adam.clear(theta);
					record(history, "weights", it, losses);
					monitor.iteration(++done, total, losses[0] + losses[1], null);
				}
				if (fd != null) for (final FrameData f : fd) f.rgb.getManager().close();
				refinedWeights = softmaxWeights();
				logits.setRequiresGradient(false);
			}
			// (4) appearance on the final geometry
			done = appearance(m, "appearance-final", s.finalSteps, albedo, light, theta, delta, base, bmat, blend, inc, lin, history, done, total);

			Rig fitted = shape.shaped(theta.toFloatArray(), delta.toFloatArray()).withColours(albedo.toFloatArray());
			if (refinedWeights != null) fitted = fitted.withWeights(refinedWeights);
			influence = null;
			influenceNd = null;
			logits = null;
			return new Result(fitted, light.toFloatArray(), theta.toFloatArray(), history, (System.nanoTime() - t0) / 1e9);
		}
	}

	/** softmax of the current logits (4 per vertex), zeroing weights below 1e-4 and renormalising. */
	private float[] softmaxWeights() {
		final float[] l = logits.toFloatArray();
		final float[] w = new float[l.length];
		for (int v = 0; v < l.length / 4; v++) {
			double mx = -Double.MAX_VALUE, sum = 0;
			for (int k = 0; k < 4; k++) mx = Math.max(mx, l[4 * v + k]);
			final double[] e = new double[4];
			for (int k = 0; k < 4; k++) { e[k] = Math.exp(l[4 * v + k] - mx); sum += e[k]; }
			double kept = 0;
			for (int k = 0; k < 4; k++) { e[k] /= sum; if (e[k] < 1e-4) e[k] = 0; kept += e[k]; }
			for (int k = 0; k < 4; k++) w[4 * v + k] = (float) (e[k] / kept);
		}
		return w;
	}

	/** Posed vertices of pose p in Java: the linear shape model, or the weight stage's blend. */
	private double[] posedJava(final int p, final List<ShapeModel.Linear> lin, final float[] th, final float[] de) {
		if (influence == null) return lin.get(p).apply(th, de);
		final float[] w = softmaxWeights();
		final int nv = w.length / 4;
		final double[] out = new double[3 * nv];
		for (int v = 0; v < nv; v++)
			for (int k = 0; k < 4; k++)
				for (int i = 0; i < 3; i++) out[3 * v + i] += w[4 * v + k] * influence[p][12 * v + 3 * k + i];
		return out;
	}

	private int appearance(final NDManager m, final String name, final int steps, final NDArray albedo, final NDArray light, final NDArray theta,
		final NDArray delta, final NDArray[] base, final NDArray[] bmat, final NDArray[] blend, final DiffRender.Incidence inc,
		final List<ShapeModel.Linear> lin, final List<String> history, int done, final int total)
	{
		if (steps == 0) return done;
		theta.setRequiresGradient(false);
		delta.setRequiresGradient(false);
		final FrameData[] fd = rasterize(m, theta, delta, lin, 0, null, s.shadowRays);
		final Adam aAlb = new Adam(albedo, s.albedoRate), aLight = new Adam(light, s.lightRate);
		for (int it = 0; it < steps; it++) {
			monitor.checkCanceled();
			final double[] losses = step(m, fd, albedo, light, theta, delta, base, bmat, blend, inc, 1, false, 1);
			aAlb.step(); aLight.step();
			record(history, name, it, losses);
			monitor.iteration(++done, total, losses[0], null);
		}
		for (final FrameData f : fd) f.rgb.getManager().close();
		return done;
	}

	private void record(final List<String> history, final String stage, final int it, final double[] losses) {
		final String line = String.format("%s,%d,%.6g,%.6g", stage, it, losses[0], losses[1]);
		history.add(line);
		if (it % 20 == 0) log.accept(String.format("avatar %s step %d: colour mse %.5f, silhouette mse %.5f", stage, it, losses[0], losses[1]));
	}

	private FrameData[] rasterize(final NDManager parent, final NDArray theta, final NDArray delta, final List<ShapeModel.Linear> lin,
		final double band, final FrameData[] previous)
	{
		return rasterize(parent, theta, delta, lin, band, previous, 0);
	}

	private FrameData[] rasterize(final NDManager parent, final NDArray theta, final NDArray delta, final List<ShapeModel.Linear> lin,
		final double band, final FrameData[] previous, final int rays)
	{
		final float[][] transfer = new float[poses.size()][];
		if (previous != null) for (final FrameData f : previous) { f.rgb.getManager().close(); }
		final float[] th = theta.toFloatArray(), de = delta.toFloatArray();
		final double[][] posed = new double[poses.size()][];
		final FrameData[] out = new FrameData[frames.size()];
		for (int i = 0; i < frames.size(); i++) {
			final Dataset.Frame f = frames.get(i);
			if (posed[f.pose] == null) {
				posed[f.pose] = posedJava(f.pose, lin, th, de);
				if (rays > 0) {
					// occlusion as a correction T - Y(n) per vertex, added to the differentiable Y(n) of each pixel
					final float[] vn = Geometry.vertexNormals(posed[f.pose], shape.rig.triangles);
					final float[] t = Transfer.compute(posed[f.pose], shape.rig.triangles, vn, rays);
					for (int v = 0; v < vn.length / 3; v++) {
						final double[] y = Renderer.sh(new double[] {vn[3 * v], vn[3 * v + 1], vn[3 * v + 2]});
						for (int k = 0; k < 9; k++) t[9 * v + k] -= (float) y[k];
					}
					transfer[f.pose] = t;
				}
			}
			final Raster.View v = Raster.render(f.camera.width, f.camera.height, f.camera.project(posed[f.pose]), shape.rig.triangles, band, s.candidates);
			final NDManager m = parent.newSubManager();
			final FrameData d = new FrameData();
			final boolean[] keep = new boolean[v.triangle.length];
			for (int p = 0; p < keep.length; p++) keep[p] = f.mask == null || f.mask[p] > 0.5f;
			d.pixels = new DiffRender.Pixels(m, v, shape.rig.triangles, DataType.FLOAT32, keep);
			final float[] rgb = new float[3 * d.pixels.size()];
			for (int p = 0; p < d.pixels.size(); p++) for (int c = 0; c < 3; c++) rgb[3 * p + c] = f.rgb[3 * d.pixels.pixel[p] + c];
			d.rgb = m.create(rgb, new Shape(d.pixels.size(), 3));
			// without a mask there is no silhouette to compare with: no band for this frame
			d.band = new DiffRender.Band(m, f.mask == null ? v.withoutBand() : v, DataType.FLOAT32);
			final float[] mk = new float[d.band.size()];
			for (int p = 0; p < mk.length; p++) mk[p] = f.mask == null ? 1 : f.mask[d.band.pixel[p]];
			d.mask = m.create(mk);
			if (rays > 0) d.transfer = m.create(transfer[f.pose], new Shape(transfer[f.pose].length / 9, 9));
			out[i] = d;
		}
		return out;
	}

	/** One loss evaluation and backward pass; returns (colour mse, silhouette mse). */
	private double[] step(final NDManager parent, final FrameData[] fd, final NDArray albedo, final NDArray light, final NDArray theta,
		final NDArray delta, final NDArray[] base, final NDArray[] bmat, final NDArray[] blend, final DiffRender.Incidence inc,
		final double sigma, final boolean silhouette, final double colourWeight)
	{
		try (NDManager m = parent.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
			// step-local views, so that every intermediate array is freed with this step
			final NDArray albedoL = DiffRender.local(albedo, m), lightL = DiffRender.local(light, m);
			final NDArray thetaL = DiffRender.local(theta, m), deltaL = DiffRender.local(delta, m);
			long npx = 0, nband = 0;
			for (final FrameData d : fd) { npx += d.pixels.size(); nband += d.band.size(); }
			NDArray colour = null, sil = null;
			final NDArray[] posedP = new NDArray[poses.size()], normalsP = new NDArray[poses.size()];
			for (int i = 0; i < frames.size(); i++) {
				final Dataset.Frame f = frames.get(i);
				final FrameData d = fd[i];
				if (posedP[f.pose] == null) {
					final NDArray bm = DiffRender.local(bmat[f.pose], m), bl = DiffRender.local(blend[f.pose], m);
					final long nv = base[f.pose].getShape().get(0);
					if (influenceNd != null) {
						// weight stage: blend of the per-joint positions by softmax(logits)
						final NDArray w = DiffRender.local(logits, m).softmax(1).expandDims(2);
						posedP[f.pose] = DiffRender.local(influenceNd[f.pose], m).mul(w).sum(new int[] {1});
					} else
						posedP[f.pose] = bm.matMul(thetaL).reshape(nv, 3).add(base[f.pose]).add(bl.matMul(deltaL.expandDims(2)).squeeze(2));
					normalsP[f.pose] = DiffRender.vertexNormals(posedP[f.pose], inc);
				}
				final NDArray proj = DiffRender.project(posedP[f.pose], f.camera);
				if (d.pixels.size() > 0) {
					final NDArray lambda = DiffRender.barycentric(proj, d.pixels);
					final NDArray a = DiffRender.interpolate(albedoL, d.pixels, lambda);
					final NDArray shaded;
					final NDArray n = DiffRender.normalize(DiffRender.interpolate(normalsP[f.pose], d.pixels, lambda));
					if (d.transfer != null) shaded = a.mul(DiffRender.shBasis(n).add(DiffRender.interpolate(DiffRender.local(d.transfer, m), d.pixels, lambda)).matMul(lightL));
					else shaded = DiffRender.shade(a, n, lightL);
					final NDArray e = shaded.sub(d.rgb).square().sum();
					colour = colour == null ? e : colour.add(e);
				}
				if (silhouette && d.band.size() > 0) {
					final NDArray e = DiffRender.silhouette(proj, d.band, sigma).sub(d.mask).square().sum();
					sil = sil == null ? e : sil.add(e);
				}
			}
			if (colour == null && sil == null) throw new IllegalStateException("the avatar left every camera's view (no pixel covered)");
			final NDArray cmean = colour == null ? m.zeros(new Shape()) : Djl.div(colour, 3.0 * Math.max(1, npx));
			final double cl = cmean.getFloat();
			NDArray loss = Djl.mul(cmean, colourWeight);
			double sl = 0;
			if (sil != null) {
				final NDArray sn = Djl.div(sil, nband);
				sl = sn.getFloat();
				loss = loss.add(Djl.mul(sn, s.silhouetteWeight));
			}
			gc.backward(loss);
			return new double[] {cl, sl};
		}
	}
}
