package org.recon4d.unroll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;

import org.recon4d.metrics.Metrics;
import org.recon4d.report.Pictures;
import org.recon4d.solve.Monitor;
import org.recon4d.tensor.Djl;

/**
 * Trains an unrolled network on simulated multi-coil data ({@link MriSamples}): each step draws
 * {@code batch} phantom seeds from [0, 1,000,000) and accelerations 4x or 8x at random (from
 * {@code seed} and the step number, so a resumed run sees the same data as an uninterrupted one);
 * loss (1 - SSIM) + L1 / max(target) as in DIRECT (SSIM with fastMRI's 7 x 7 uniform window);
 * Adam with gradient-norm clipping. Every {@code validateEvery} steps: SSIM/PSNR on a fixed
 * validation set (seeds 900,000..), a checkpoint with optimiser state, and the curves as CSV and
 * PNG. Resume continues from {@code out/NAME-last.npz}.
 */
public final class Training {

	/** Settings; the model card records them. */
	public static final class Config {
		public String kind = UnrolledModel.E2E;
		/** Network size: "small" (CPU), "published" (GPU), "tiny" (tests). */
		public String preset = "small";
		public int size = 128, coils = 8, batch = 2, steps = 2000, validateEvery = 100, validationSlices = 8;
		public double learningRate = 1e-3, clip = 1.0, noise = 0.01, l1Weight = 1.0;
		/** Output image the loss sees: "rss" (fastMRI) or "combined" (see Net.Output). */
		public String output = "rss";
		/** From this step on the learning rate is a tenth (0: constant). */
		public int lrDropAt;
		public long seed = 11;
		public boolean resume;
	}

	private Training() {}

	/** Trains, writes {@code out/NAME.npz} (weights), {@code NAME-last.npz}, {@code NAME.csv}, {@code NAME.png}, {@code NAME.json}. */
	public static String train(final Config c, final Path out, final String name, final Consumer<String> log, final Monitor mon) throws IOException {
		Djl.configure();
		Engine.getEngine(Djl.ENGINE).setRandomSeed((int) c.seed);
		Files.createDirectories(out);
		final Path last = out.resolve(name + "-last.npz"), csv = out.resolve(name + ".csv");
		long t0 = System.nanoTime();
		final List<double[]> rows = new ArrayList<>();
		try (UnrolledModel model = UnrolledModel.create(c.kind, c.preset, c.seed)) {
			model.output(Net.Output.parse(c.output));
			log.accept(model.describe());
			if (c.resume && Files.isRegularFile(last)) {
				model.params().load(last);
				rows.addAll(readCurves(csv, model.params().step()));
				// the clock continues from the checkpoint's time (time spent after it by the interrupted run is not counted)
				if (!rows.isEmpty()) t0 -= (long) (rows.get(rows.size() - 1)[6] * 1e9);
				log.accept("resumed from " + last + " at step " + model.params().step());
			}
			final MriSamples.Batch val = validationSet(c);
			double ema = Double.NaN;
			for (long step = model.params().step() + 1; step <= c.steps; step++) {
				mon.checkCanceled();
				final java.util.SplittableRandom r = new java.util.SplittableRandom(c.seed * 7919 + step);
				final long[] seeds = new long[c.batch];
				final double[] acc = new double[c.batch];
				for (int b = 0; b < c.batch; b++) { seeds[b] = r.nextLong(1_000_000); acc[b] = r.nextBoolean() ? 4 : 8; }
				final MriSamples.Batch data = MriSamples.make(c.size, c.coils, seeds, acc, c.noise, r.nextLong());
				final double loss;
				try (NDManager sub = model.params().manager().newSubManager(); GradientCollector gc = Engine.getEngine(Djl.ENGINE).newGradientCollector()) {
					final Object[] in = UnrolledModel.inputs(sub, data.kspace(), data.columns(), c.size, c.size, c.coils, c.batch);
					final NDArray pred = model.net().forward((Cx) in[0], (NDArray) in[1], (NDArray) in[2]);
					final NDArray target = sub.create(data.target(), new Shape(c.batch, c.size, c.size));
					final NDArray l = loss(pred, target, c.l1Weight);
					gc.backward(l);
					loss = l.getFloat();
				}
				model.params().adam(c.lrDropAt > 0 && step >= c.lrDropAt ? 0.1 * c.learningRate : c.learningRate, c.clip);
				if (Double.isFinite(loss)) ema = Double.isNaN(ema) ? loss : 0.95 * ema + 0.05 * loss;
				if (step % c.validateEvery == 0 || step == c.steps) {
					final double[] v = validate(model, val, c);
					final double[] row = { step, ema, v[0], v[1], v[2], v[3], (System.nanoTime() - t0) * 1e-9 };
					rows.add(row);
					log.accept(String.format(Locale.ROOT, "step %d/%d loss %.4f  val SSIM 4x %.4f 8x %.4f  PSNR 4x %.2f 8x %.2f  %.0f s%s",
						step, c.steps, ema, v[0], v[1], v[2], v[3], row[6], model.params().skipped() > 0 ? "  (" + model.params().skipped() + " non-finite steps skipped)" : ""));
					model.save(last, true, true);
					writeCurves(rows, csv, out.resolve(name + ".png"), model.kind());
				}
				mon.iteration((int) step, c.steps, loss, null);
			}
			final Path weights = out.resolve(name + ".npz");
			model.save(weights, false, true);
			final double[] v = validate(model, val, c);
			final String card = card(c, name, model, v, (System.nanoTime() - t0) * 1e-9, out);
			Files.writeString(out.resolve(name + ".json"), card);
			return card;
		}
	}

	/** The rows of a curves CSV (header skipped) up to and including {@code step}: what a resumed run keeps. */
	public static List<double[]> readCurves(final Path csv, final long step) throws IOException {
		final List<double[]> rows = new ArrayList<>();
		if (!Files.isRegularFile(csv)) return rows;
		for (final String line : Files.readAllLines(csv)) {
			if (line.isEmpty() || !Character.isDigit(line.charAt(0))) continue;
			final String[] f = line.split(",");
			final double[] r = new double[f.length];
			for (int i = 0; i < f.length; i++) r[i] = Double.parseDouble(f[i]);
			if (r[0] <= step) rows.add(r);
		}
		return rows;
	}

	/** (1 - SSIM) + w * mean |pred - target| / max(target), per sample then averaged. */
	public static NDArray loss(final NDArray pred, final NDArray target, final double l1Weight) {
		final long b = target.getShape().get(0);
		final NDArray range = target.reshape(b, -1).max(new int[] { 1 }, true).reshape(b, 1, 1, 1);
		final NDArray x = pred.expandDims(1), y = target.expandDims(1);
		final NDArray l1 = x.sub(y).abs().div(range).mean();
		return ssimLoss(x, y, range).add(Djl.mul(l1, l1Weight));
	}

	/** fastMRI's SSIMLoss: 7 x 7 uniform window, k1 0.01, k2 0.03, unbiased covariance, valid region. */
	public static NDArray ssimLoss(final NDArray x, final NDArray y, final NDArray range) {
		final float np = 49, cov = np / (np - 1);
		final NDArray c1 = range.mul(0.01f).square(), c2 = range.mul(0.03f).square();
		final NDArray ux = pool(x), uy = pool(y), uxx = pool(x.mul(x)), uyy = pool(y.mul(y)), uxy = pool(x.mul(y));
		final NDArray vx = Djl.mul(uxx.sub(ux.mul(ux)), cov), vy = Djl.mul(uyy.sub(uy.mul(uy)), cov), vxy = Djl.mul(uxy.sub(ux.mul(uy)), cov);
		final NDArray num = Djl.mul(ux.mul(uy), 2).add(c1).mul(Djl.mul(vxy, 2).add(c2));
		final NDArray den = ux.square().add(uy.square()).add(c1).mul(vx.add(vy).add(c2));
		return num.div(den).mean().neg().add(1f);
	}

	private static NDArray pool(final NDArray x) {
		return Pool.avgPool2d(x, new Shape(7, 7), new Shape(1, 1), new Shape(0, 0), false, true);
	}

	/** Fixed validation slices: phantom seeds 900,000.., half at 4x and half at 8x. */
	static MriSamples.Batch validationSet(final Config c) {
		final long[] seeds = new long[c.validationSlices];
		final double[] acc = new double[c.validationSlices];
		for (int i = 0; i < seeds.length; i++) { seeds[i] = 900_000 + i; acc[i] = i < seeds.length / 2 ? 4 : 8; }
		return MriSamples.make(c.size, c.coils, seeds, acc, c.noise, 900_000);
	}

	/** {SSIM 4x, SSIM 8x, PSNR 4x, PSNR 8x} over the validation set (Metrics.ssim / psnr per slice, averaged). */
	static double[] validate(final UnrolledModel model, final MriSamples.Batch v, final Config c) {
		final int n = c.size, img = n * n;
		final float[] rec = model.reconstruct(v.kspace(), v.columns(), n, n, c.coils, v.size(), 4, Monitor.NONE);
		final double[] s = new double[4];
		for (int i = 0; i < v.size(); i++) {
			final float[] a = java.util.Arrays.copyOfRange(rec, i * img, (i + 1) * img), t = java.util.Arrays.copyOfRange(v.target(), i * img, (i + 1) * img);
			final int g = i < v.size() / 2 ? 0 : 1;
			s[g] += Metrics.ssim(a, t, n, n) / (v.size() / 2.0);
			s[2 + g] += Metrics.psnr(a, t) / (v.size() / 2.0);
		}
		return s;
	}

	static void writeCurves(final List<double[]> rows, final Path csv, final Path png, final String kind) throws IOException {
		final StringBuilder sb = new StringBuilder("step,train_loss,val_ssim_4x,val_ssim_8x,val_psnr_4x,val_psnr_8x,seconds\n");
		for (final double[] r : rows)
			sb.append(String.format(Locale.ROOT, "%d,%.5f,%.5f,%.5f,%.3f,%.3f,%.1f%n", (long) r[0], r[1], r[2], r[3], r[4], r[5], r[6]));
		Files.writeString(csv, sb.toString());
		final double[] s4 = rows.stream().mapToDouble(r -> r[2]).toArray(), s8 = rows.stream().mapToDouble(r -> r[3]).toArray();
		Pictures.save(Pictures.plot(kind + ": validation SSIM per " + (rows.size() > 1 ? (long) (rows.get(1)[0] - rows.get(0)[0]) : 1) + " steps",
			"SSIM", List.of("4x", "8x"), List.of(s4, s8), false), png, true);
	}

	static String card(final Config c, final String name, final UnrolledModel model, final double[] v, final double seconds, final Path out) {
		return String.format(Locale.ROOT, "{\n  \"model\": \"%s\",\n  \"file\": \"%s.npz\",\n  \"parameters\": %d,\n" +
			"  \"command\": \"./recon4d train %s steps=%d batch=%d size=%d coils=%d seed=%d lr=%g validateEvery=%d out=%s model=%s%s%s\",\n  \"seed\": %d,\n" +
			"  \"data\": \"BrainPhantom seeds drawn from [0, 1000000) per step, %d x %d, %d simulated loop coils (random ring rotation and radius, unit RSS), complex Gaussian k-space noise %.3g x image max, fastMRI random 1D masks at 4x (centre 8%%) and 8x (centre 4%%) drawn per sample\",\n" +
			"  \"loss\": \"(1 - SSIM) + %.2g L1/max\", \"optimizer\": \"Adam lr %g%s, gradient norm clip %g\", \"steps\": %d, \"batch\": %d, \"skipped_steps\": %d,\n" +
			"  \"train_seconds\": %.0f, \"machine\": \"%d cores, %s\",\n" +
			"  \"validation\": {\"seeds\": \"900000..%d\", \"ssim_4x\": %.4f, \"ssim_8x\": %.4f, \"psnr_4x\": %.2f, \"psnr_8x\": %.2f},\n" +
			"  \"curves\": \"%s.csv, %s.png\"\n}\n",
			model.describe(), name, model.params().count(), model.kind(), c.steps, c.batch, c.size, c.coils, c.seed, c.learningRate, c.validateEvery, out, name,
			("small".equals(c.preset) ? "" : " preset=" + c.preset) + ("rss".equals(c.output) ? "" : " output=" + c.output), c.lrDropAt > 0 ? " lrDropAt=" + c.lrDropAt : "",
			c.seed, c.size, c.size, c.coils, c.noise, c.l1Weight, c.learningRate, c.lrDropAt > 0 ? " (x 0.1 from step " + c.lrDropAt + ")" : "", c.clip, c.steps, c.batch,
			model.params().skipped(), seconds,
			Runtime.getRuntime().availableProcessors(), Djl.preferredDevice(), 900_000 + c.validationSlices - 1, v[0], v[1], v[2], v[3], name, name);
	}
}
