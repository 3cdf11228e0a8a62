package org.recon4d.prior;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import org.recon4d.metrics.Metrics;
import org.recon4d.phantom.DynamicPhantom;
import org.recon4d.tensor.Djl;

/**
 * Trains the RED-PSM denoiser on *static* frames of the object class: single frames of
 * {@link DynamicPhantom} with training seeds (1000 + i, never the benchmark's seeds 1..999) at
 * random times, random flips and 90-degree turns, random crops, additive Gaussian noise with
 * sigma uniform in [sigmaMin, sigmaMax]. Loss: mean squared error; Adam. Deterministic from the
 * seed up to libtorch's CPU kernels.
 */
public final class DenoiserTraining {

	/** Training settings; recorded in the model card. */
	public static final class Config {
		public int steps = 1500, batch = 24, patch = 48, size = 128, channels = 64, hidden = 6;
		public double sigmaMin = 0.01, sigmaMax = 0.10, learningRate = 1e-3;
		public long seed = 7;
		public int phantoms = 200;
		/**
		 * "gaussian": static frames plus Gaussian noise (RED's denoiser, the default); "tv": input =
		 * space-time TV reconstruction of a simulated one-view-per-frame acquisition of a training
		 * sequence (seeds 2000 + i), target = that sequence's true frame (an artefact remover);
		 * "mixed": half of each batch of either kind.
		 */
		public String source = "gaussian";
		/** Training sequences for source "tv" (each 128 frames, one TV solve). */
		public int sequences = 12;
		/** Largest artefact strength for source "blend". */
		public double blendMax = 1.25;
		/**
		 * Source "blend": from this fraction of the steps on, half of each batch (as many Gaussian as
		 * artefact patches) is first passed through the network being trained, and the loss asks the
		 * second pass for the true frame too, so that applying the network to its own output (what
		 * RED's iterations do) does not drift. 0 turns the second pass off.
		 */
		public double secondPassFrom = 0.2;
		/** Source "blend": every this many patches (0: none) the input is the clean frame itself, so the network learns to leave clean frames alone. */
		public int identityEvery = 8;
	}

	private DenoiserTraining() {}

	/** Trains and saves {@code dir/name-0000.params} plus {@code dir/name.json} (model card). */
	public static String train(final Config c, final Path dir, final String name, final Consumer<String> log) throws IOException {
		final SplittableRandom rnd = new SplittableRandom(c.seed);
		Djl.configure();
		Engine.getEngine(Djl.ENGINE).setRandomSeed((int) c.seed);
		final long t0 = System.nanoTime();
		try (Model model = Model.newInstance(name, Djl.preferredDevice(), Djl.ENGINE)) {
			model.setBlock(DnCnn.build(c.channels, c.hidden));
			final DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss())
				.optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) c.learningRate)).build());
			double lastLoss = Double.NaN;
			try (Trainer trainer = model.newTrainer(tc)) {
				trainer.initialize(new Shape(c.batch, 1, c.patch, c.patch));
				final DynamicPhantom[] pool = new DynamicPhantom[c.phantoms];
				for (int i = 0; i < pool.length; i++) pool[i] = new DynamicPhantom(1000 + i);
				final boolean halfGaussian = "mixed".equals(c.source) || "blend".equals(c.source);
				final float[][][] pairs = "tv".equals(c.source) || halfGaussian ? artefactPairs(c, log) : null;
				double ema = 0;
				for (int step = 1; step <= c.steps; step++) {
					final float[] clean = new float[c.batch * c.patch * c.patch], noisy = new float[clean.length];
					for (int b = 0; b < c.batch; b++) {
						// "mixed": every other patch is a Gaussian-noise pair, so the network stays a denoiser
						if (pairs != null && !(halfGaussian && b % 2 == 0)) {
							final int sq = rnd.nextInt(pairs.length), fr = rnd.nextInt(pairs[sq][0].length / (c.size * c.size));
							final int o = b * c.patch * c.patch;
							cropPatch(pairs[sq][0], pairs[sq][1], fr * c.size * c.size, c, rnd, clean, noisy, o);
							if ("blend".equals(c.source)) {
								final float alpha = (float) (c.blendMax * rnd.nextDouble());
								for (int q = o; q < o + c.patch * c.patch; q++) noisy[q] = clean[q] + alpha * (noisy[q] - clean[q]);
							}
						}
						else samplePatch(pool[rnd.nextInt(pool.length)], c, rnd, clean, noisy, b * c.patch * c.patch);
						if ("blend".equals(c.source) && c.identityEvery > 0 && b % c.identityEvery == 0)
							System.arraycopy(clean, b * c.patch * c.patch, noisy, b * c.patch * c.patch, c.patch * c.patch);
					}
					if ("blend".equals(c.source) && c.secondPassFrom > 0 && step > c.secondPassFrom * c.steps) secondPass(trainer, c, noisy);
					// every array of a step (inputs, activations, loss) lives in a sub-manager closed after the
					// step; attaching them to the trainer's manager leaked about 150 MB of native memory a step
					try (NDManager sub = trainer.getManager().newSubManager(); GradientCollector gc = trainer.newGradientCollector()) {
						final NDArray x = sub.create(noisy, new Shape(c.batch, 1, c.patch, c.patch));
						final NDArray y = sub.create(clean, new Shape(c.batch, 1, c.patch, c.patch));
						final NDArray pred = trainer.forward(new NDList(x)).singletonOrThrow();
						final NDArray loss = pred.sub(y).square().mean();
						gc.backward(loss);
						lastLoss = loss.getFloat();
					}
					trainer.step();
					ema = step == 1 ? lastLoss : 0.98 * ema + 0.02 * lastLoss;
					if (step % 50 == 0 || step == c.steps)
						log.accept(String.format(Locale.ROOT, "step %d/%d loss %.3e (avg %.3e) %.0f s", step, c.steps, lastLoss, ema, (System.nanoTime() - t0) * 1e-9));
				}
			}
			Files.createDirectories(dir);
			model.setProperty("epochs", Integer.toString(c.steps));
			model.save(dir, name);
			final double seconds = (System.nanoTime() - t0) * 1e-9;
			// held-out quality: seeds 500..507, 128 x 128 frames, sigma 0.05
			final double[] q;
			try (DnCnnDenoiser d = new DnCnnDenoiser(dir, name, c.channels, c.hidden)) {
				q = heldOut(d, 0.05, c.size);
			}
			final String card = String.format(Locale.ROOT,
				"{\n  \"model\": \"DnCNN (no batch norm, residual), %d channels, %d hidden layers, 3x3 convs\",\n" +
				"  \"file\": \"%s-0000.params\",\n  \"parameters\": %d,\n" +
				"  \"command\": \"./recon4d train denoiser steps=%d batch=%d patch=%d seed=%d out=%s%s\",\n" +
				"  \"seed\": %d,\n  \"data\": \"%s\",\n" +
				"  \"steps\": %d, \"batch\": %d, \"optimizer\": \"Adam lr %g\", \"loss\": \"MSE\", \"final_batch_loss\": %.4e,\n" +
				"  \"train_seconds\": %.0f, \"machine\": \"%d cores, %s\",\n" +
				"  \"heldout\": {\"seeds\": \"500..507\", \"size\": %d, \"sigma\": 0.05, \"psnr_noisy\": %.2f, \"psnr_denoised\": %.2f}\n}\n",
				c.channels, c.hidden, name, 640 + c.hidden * (64 * 64 * 9 + 64) + 577, c.steps, c.batch, c.patch, c.seed, dir,
				("gaussian".equals(c.source) ? "" : " source=" + c.source + " sequences=" + c.sequences) + (name.equals("dncnn-walnut") ? "" : " model=" + name), c.seed, describeData(c), c.steps, c.batch, c.learningRate, lastLoss, seconds,
				Runtime.getRuntime().availableProcessors(), Djl.preferredDevice(), c.size, q[0], q[1]);
			Files.writeString(dir.resolve(name + ".json"), card);
			log.accept(card);
			return card;
		}
	}

	/** Replaces patches 2, 3, 6, 7, ... of the batch by the network's current output on them (no gradient). */
	private static void secondPass(final Trainer trainer, final Config c, final float[] noisy) {
		final int pp = c.patch * c.patch;
		try (NDManager sub = trainer.getManager().newSubManager()) {
			final float[] out = trainer.evaluate(new NDList(sub.create(noisy, new Shape(c.batch, 1, c.patch, c.patch)))).singletonOrThrow().toFloatArray();
			for (int b = 0; b < c.batch; b++) if ((b / 2) % 2 == 1) System.arraycopy(out, b * pp, noisy, b * pp, pp);
		}
	}

	static String describeData(final Config c) {
		if ("blend".equals(c.source)) return "half of each batch: " + describeData(withSource(c, "gaussian")) + "; half: true frame + alpha (TV result - true frame), alpha ~ U[0, " + c.blendMax + "], from " + describeData(withSource(c, "tv"))
			+ (c.secondPassFrom > 0 ? String.format(Locale.ROOT, "; after %.0f%% of the steps, half of each batch is the network's own output on its input (second pass, target the true frame)", 100 * c.secondPassFrom) : "")
			+ (c.identityEvery > 0 ? "; every " + c.identityEvery + "th patch is the clean frame itself (identity)" : "");
		if ("mixed".equals(c.source)) return "half of each batch: " + describeData(withSource(c, "gaussian")) + "; half: " + describeData(withSource(c, "tv"));
		if ("tv".equals(c.source)) return String.format(Locale.ROOT,
			"pairs (space-time TV reconstruction, true frame) of %d simulated sequences, DynamicPhantom seeds 2000..%d, 128 frames, one view per frame bit-reversed, Gaussian noise 0.5%% of the sinogram maximum, 200 PDHG iterations; flips, 90-degree turns, %dx%d crops of %dx%d frames",
			c.sequences, 2000 + c.sequences - 1, c.patch, c.patch, c.size, c.size);
		return String.format(Locale.ROOT, "static frames of DynamicPhantom, seeds 1000..%d, random time, flips, 90-degree turns, %dx%d crops of %dx%d frames; Gaussian noise sigma ~ U[%g, %g]",
			1000 + c.phantoms - 1, c.patch, c.patch, c.size, c.size, c.sigmaMin, c.sigmaMax);
	}

	private static Config withSource(final Config c, final String source) {
		final Config o = new Config();
		o.steps = c.steps; o.batch = c.batch; o.patch = c.patch; o.size = c.size; o.channels = c.channels; o.hidden = c.hidden;
		o.sigmaMin = c.sigmaMin; o.sigmaMax = c.sigmaMax; o.learningRate = c.learningRate; o.seed = c.seed; o.phantoms = c.phantoms;
		o.sequences = c.sequences;
		o.blendMax = c.blendMax;
		o.secondPassFrom = c.secondPassFrom;
		o.identityEvery = c.identityEvery;
		o.source = source;
		return o;
	}

	/** PSNR (noisy, denoised) on held-out frames: seeds 500..507 at times 0, 1/7, ..., sigma. */
	public static double[] heldOut(final Denoiser d, final double sigma, final int size) {
		final int n = 8;
		final float[] clean = new float[n * size * size];
		for (int i = 0; i < n; i++) {
			final float[] f = new DynamicPhantom(500 + i).render(size, 8);
			System.arraycopy(f, i * size * size, clean, i * size * size, size * size);
		}
		final SplittableRandom r = new SplittableRandom(12345);
		final float[] noisy = new float[clean.length];
		for (int i = 0; i < clean.length; i++) noisy[i] = (float) (clean[i] + sigma * gauss(r));
		return new double[] { Metrics.psnr(noisy, clean), Metrics.psnr(d.denoise(noisy, size, size), clean) };
	}

	/**
	 * {truth, reconstruction} per training sequence: seeds 2000 + i, 128 frames, one view per frame
	 * bit-reversed, Gaussian noise 0.5% of the sinogram maximum, 200 PDHG iterations of space-time TV.
	 */
	static float[][][] artefactPairs(final Config c, final Consumer<String> log) {
		final float[][][] out = new float[c.sequences][][];
		for (int i = 0; i < c.sequences; i++) {
			final org.recon4d.phantom.Acquisition acq = org.recon4d.phantom.Acquisition.simulate("dynamic", c.size, 128, 1,
				org.recon4d.phantom.AngleSchedule.BITREVERSED, "gaussian", 0.005, 2000 + i);
			final org.recon4d.op.tomo.ParallelBeamProjector a = new org.recon4d.op.tomo.ParallelBeamProjector(c.size, c.size, 1, c.size, acq.angles);
			final float[] rec = org.recon4d.solve.TomoRecon.run(a, acq.sinogram.data(),
				new org.recon4d.solve.TomoRecon.Params().method(org.recon4d.solve.TomoRecon.Method.TV_SPACETIME), org.recon4d.solve.Monitor.NONE);
			out[i] = new float[][] { acq.truth.data(), rec };
			log.accept(String.format(Locale.ROOT, "training pair %d/%d: TV %.2f dB", i + 1, c.sequences, Metrics.psnr(rec, acq.truth.data())));
		}
		return out;
	}

	/** A random patch with a random flip and quarter turns, the same for a clean frame and its input. */
	static void cropPatch(final float[] clean, final float[] input, final int frameOff, final Config c, final SplittableRandom r,
		final float[] outClean, final float[] outInput, final int off)
	{
		final int x0 = r.nextInt(c.size - c.patch + 1), y0 = r.nextInt(c.size - c.patch + 1);
		final boolean flip = r.nextBoolean();
		final int turns = r.nextInt(4);
		for (int j = 0; j < c.patch; j++) for (int i = 0; i < c.patch; i++) {
			int u = flip ? c.patch - 1 - i : i, v = j;
			for (int k = 0; k < turns; k++) { final int t = u; u = c.patch - 1 - v; v = t; }
			final int q = frameOff + (y0 + v) * c.size + x0 + u;
			outClean[off + j * c.patch + i] = clean[q];
			outInput[off + j * c.patch + i] = input[q];
		}
	}

	static void samplePatch(final DynamicPhantom p, final Config c, final SplittableRandom r, final float[] clean, final float[] noisy, final int off) {
		final float[] frame = new float[c.size * c.size];
		p.renderFrame(c.size, r.nextDouble(), frame, 0);
		// same random draws in the same order as before the crop was shared (shipped weights stay reproducible)
		cropPatch(frame, frame, 0, c, r, clean, noisy, off);
		final double sigma = c.sigmaMin + (c.sigmaMax - c.sigmaMin) * r.nextDouble();
		for (int q = 0; q < c.patch * c.patch; q++) noisy[off + q] = (float) (noisy[off + q] + sigma * gauss(r));
	}

	static double gauss(final SplittableRandom r) {
		final double u = 1 - r.nextDouble(), v = r.nextDouble();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}
}
