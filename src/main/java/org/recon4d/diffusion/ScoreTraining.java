package org.recon4d.diffusion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.recon4d.metrics.Metrics;
import org.recon4d.phantom.BrainVolume;
import org.recon4d.phantom.Noise;
import org.recon4d.report.Pictures;
import org.recon4d.solve.Monitor;
import org.recon4d.tensor.Djl;

/**
 * Trains a {@link ScoreNet} by denoising score matching in the EDM form (Karras et al. 2022): for
 * a clean slice x0, sigma = exp(P_mean + P_std z) with z standard normal (P_mean -1.2, P_std 1.2),
 * x = x0 + sigma n, loss lambda(sigma) |D(x; sigma) - x0|^2 with lambda = (sigma^2 + sd^2) /
 * (sigma sd)^2, Adam, gradient-norm clipping 1, and an exponential moving average of the weights
 * (decay {@code ema}) which is what gets shipped.
 * <p>
 * Data: axial slices of {@link BrainVolume} volumes with seeds 0..volumes-1 ({@code size^3} each;
 * every slice is used), randomly mirrored left-right. Validation: 16 slices of volumes 900,000..
 * at sigma 0.05, 0.2 and 1, denoising PSNR of the EMA network. All draws come from {@code seed}
 * and the step number, so a resumed run sees the same batches as an uninterrupted one.
 */
public final class ScoreTraining {

	public static final class Config {
		public String preset = "small";
		public int size = 64, volumes = 192, batch = 16, steps = 6000, validateEvery = 250;
		public double learningRate = 5e-4, clip = 1.0, ema = 0.999, pMean = -1.2, pStd = 1.2;
		public long seed = 5;
		public boolean resume;
	}

	static final double[] VAL_SIGMAS = { 0.05, 0.2, 1.0 };

	private ScoreTraining() {}

	static ScoreNet.Config preset(final String name) {
		if ("small".equals(name)) return ScoreNet.Config.small();
		if ("tiny".equals(name)) return ScoreNet.Config.tiny();
		throw new IllegalArgumentException("unknown score-network preset '" + name + "' (use small or tiny)");
	}

	/** Writes {@code out/NAME.npz} (EMA weights), {@code NAME-last.npz} and {@code NAME-ema-last.npz} (resume), {@code NAME.csv/.png/.json}. */
	public static String train(final Config c, final Path out, final String name, final Consumer<String> log, final Monitor mon) throws IOException {
		Djl.configure();
		Engine.getEngine(Djl.ENGINE).setRandomSeed((int) c.seed);
		Files.createDirectories(out);
		final Path last = out.resolve(name + "-last.npz"), emaLast = out.resolve(name + "-ema-last.npz"), csv = out.resolve(name + ".csv");
		final int n = c.size, img = n * n;
		final long tData = System.nanoTime();
		final float[][] corpus = new float[c.volumes][];
		for (int v = 0; v < c.volumes; v++) corpus[v] = BrainVolume.volume(n, n, v);
		final float[] val = validationSet(n);
		log.accept(String.format(Locale.ROOT, "corpus: %d volumes of %d^3 (%d slices) in %.1f s", c.volumes, n, c.volumes * n, (System.nanoTime() - tData) * 1e-9));
		long t0 = System.nanoTime();
		final List<double[]> rows = new ArrayList<>();
		final ScoreNet.Config arch = preset(c.preset);
		try (ScoreNet net = new ScoreNet(arch, c.seed); ScoreNet ema = new ScoreNet(arch, c.seed)) {
			log.accept(net.describe());
			if (c.resume && Files.isRegularFile(last) && Files.isRegularFile(emaLast)) {
				net.params().load(last);
				ema.params().load(emaLast);
				rows.addAll(org.recon4d.unroll.Training.readCurves(csv, net.params().step()));
				if (!rows.isEmpty()) t0 -= (long) (rows.get(rows.size() - 1)[rows.get(0).length - 1] * 1e9);
				log.accept("resumed from " + last + " at step " + net.params().step());
			}
			final float sd = (float) arch.sigmaData();
			double avg = Double.NaN;
			for (long step = net.params().step() + 1; step <= c.steps; step++) {
				mon.checkCanceled();
				final SplittableRandom r = new SplittableRandom(c.seed * 104_729 + step);
				final float[] x0 = new float[c.batch * img], noisy = new float[c.batch * img], sig = new float[c.batch], wts = new float[c.batch];
				for (int b = 0; b < c.batch; b++) {
					final float[] vol = corpus[r.nextInt(c.volumes)];
					final int z = r.nextInt(n);
					final boolean flip = r.nextBoolean();
					final double s = Math.exp(c.pMean + c.pStd * Noise.gauss(r));
					sig[b] = (float) s;
					wts[b] = (float) ((s * s + sd * sd) / (s * s * sd * sd));
					for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) {
						final float v = vol[z * img + j * n + (flip ? n - 1 - i : i)];
						x0[b * img + j * n + i] = v;
						noisy[b * img + j * n + i] = (float) (v + s * Noise.gauss(r));
					}
				}
				final double loss;
				try (NDManager sub = net.params().manager().newSubManager(); GradientCollector gc = Engine.getEngine(Djl.ENGINE).newGradientCollector()) {
					final NDArray d = net.forward(sub.create(noisy, new Shape(c.batch, 1, n, n)), sub.create(sig));
					final NDArray err = d.sub(sub.create(x0, new Shape(c.batch, 1, n, n))).square().reshape(c.batch, img).mean(new int[] { 1 });
					final NDArray l = err.mul(sub.create(wts)).mean();
					gc.backward(l);
					loss = l.getFloat();
				}
				net.params().adam(c.learningRate, c.clip);
				updateEma(ema, net, Math.min(c.ema, (1.0 + step) / (10.0 + step)));
				if (Double.isFinite(loss)) avg = Double.isNaN(avg) ? loss : 0.98 * avg + 0.02 * loss;
				if (step % c.validateEvery == 0 || step == c.steps) {
					final double[] v = validate(ema, val, n);
					final double[] row = { step, avg, v[0], v[1], v[2], (System.nanoTime() - t0) * 1e-9 };
					rows.add(row);
					log.accept(String.format(Locale.ROOT, "step %d/%d loss %.4f  denoising PSNR (EMA) sigma 0.05: %.2f  0.2: %.2f  1: %.2f dB  %.0f s%s",
						step, c.steps, avg, v[0], v[1], v[2], row[5], net.params().skipped() > 0 ? "  (" + net.params().skipped() + " non-finite steps skipped)" : ""));
					net.save(last, true, true);
					ema.save(emaLast, false, true);
					writeCurves(rows, csv, out.resolve(name + ".png"));
				}
				mon.iteration((int) step, c.steps, loss, null);
			}
			ema.save(out.resolve(name + ".npz"), false, true);
			final double[] v = validate(ema, val, n);
			final double[] in = inputPsnr(val, n);
			final String card = String.format(Locale.ROOT, "{\n  \"model\": \"%s\",\n  \"file\": \"%s.npz\",\n  \"parameters\": %d,\n" +
				"  \"command\": \"./recon4d train score steps=%d batch=%d size=%d volumes=%d seed=%d lr=%g validateEvery=%d out=%s model=%s\",\n  \"seed\": %d,\n" +
				"  \"data\": \"all %d axial slices of BrainVolume seeds 0..%d (%d x %d x %d), mirrored left-right at random\",\n" +
				"  \"objective\": \"EDM denoising score matching: sigma log-normal (P_mean %.2g, P_std %.2g), weight (sigma^2 + sd^2)/(sigma sd)^2, sd %.2g\",\n" +
				"  \"optimizer\": \"Adam lr %g, gradient norm clip %g, weight EMA %.4g (shipped weights are the EMA)\", \"steps\": %d, \"batch\": %d, \"skipped_steps\": %d,\n" +
				"  \"train_seconds\": %.0f, \"machine\": \"%d cores, %s\",\n" +
				"  \"validation\": {\"slices\": \"16 slices of BrainVolume seeds 900000..900003\", \"denoising_psnr_db\": {\"0.05\": %.2f, \"0.2\": %.2f, \"1\": %.2f}, \"input_psnr_db\": {\"0.05\": %.2f, \"0.2\": %.2f, \"1\": %.2f}},\n" +
				"  \"curves\": \"%s.csv, %s.png\"\n}\n",
				ema.describe(), name, ema.params().count(), c.steps, c.batch, c.size, c.volumes, c.seed, c.learningRate, c.validateEvery, out, name, c.seed,
				c.volumes * n, c.volumes - 1, n, n, n, c.pMean, c.pStd, sd, c.learningRate, c.clip, c.ema, c.steps, c.batch, net.params().skipped(),
				(System.nanoTime() - t0) * 1e-9, Runtime.getRuntime().availableProcessors(), Djl.preferredDevice(), v[0], v[1], v[2], in[0], in[1], in[2], name, name);
			Files.writeString(out.resolve(name + ".json"), card);
			return card;
		}
	}

	private static void updateEma(final ScoreNet ema, final ScoreNet net, final double decay) {
		try (NDManager tmp = net.params().manager().newSubManager()) {
			for (final var e : net.params().all().entrySet()) {
				final NDArray target = ema.params().get(e.getKey());
				final NDArray moved = e.getValue().mul((float) (1 - decay));
				moved.attach(tmp);
				target.muli((float) decay).addi(moved);
			}
		}
	}

	/** 16 validation slices: 4 each of BrainVolume seeds 900,000..900,003, at heights 1/16, 5/16, 9/16, 13/16 of the stack. */
	static float[] validationSet(final int n) {
		final int img = n * n;
		final float[] val = new float[16 * img];
		for (int i = 0; i < 16; i++) {
			final float[] vol = BrainVolume.volume(n, n, 900_000 + i / 4);
			System.arraycopy(vol, (n / 16 + n / 4 * (i % 4)) * img, val, i * img, img);
		}
		return val;
	}

	/** Denoising PSNR of {@code net} at {@link #VAL_SIGMAS} on the validation slices (noise from a fixed seed). */
	static double[] validate(final ScoreModel net, final float[] val, final int n) {
		final int batch = val.length / (n * n);
		final double[] out = new double[VAL_SIGMAS.length];
		for (int k = 0; k < VAL_SIGMAS.length; k++) {
			final float[] noisy = noisy(val, VAL_SIGMAS[k], 77 + k);
			out[k] = Metrics.psnr(net.denoise(noisy, batch, n, n, VAL_SIGMAS[k]), val);
		}
		return out;
	}

	static double[] inputPsnr(final float[] val, final int n) {
		final double[] out = new double[VAL_SIGMAS.length];
		for (int k = 0; k < VAL_SIGMAS.length; k++) out[k] = Metrics.psnr(noisy(val, VAL_SIGMAS[k], 77 + k), val);
		return out;
	}

	private static float[] noisy(final float[] x, final double sigma, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] y = new float[x.length];
		for (int i = 0; i < y.length; i++) y[i] = (float) (x[i] + sigma * Noise.gauss(r));
		return y;
	}

	static void writeCurves(final List<double[]> rows, final Path csv, final Path png) throws IOException {
		final StringBuilder sb = new StringBuilder("step,train_loss,val_psnr_s0.05,val_psnr_s0.2,val_psnr_s1,seconds\n");
		for (final double[] r : rows) sb.append(String.format(Locale.ROOT, "%d,%.5f,%.3f,%.3f,%.3f,%.1f%n", (long) r[0], r[1], r[2], r[3], r[4], r[5]));
		Files.writeString(csv, sb.toString());
		final List<double[]> series = new ArrayList<>();
		for (int k = 0; k < VAL_SIGMAS.length; k++) { final int col = 2 + k; series.add(rows.stream().mapToDouble(r -> r[col]).toArray()); }
		Pictures.save(Pictures.plot("score network: validation denoising PSNR (dB)", "PSNR", List.of("sigma 0.05", "sigma 0.2", "sigma 1"), series, false), png, true);
	}
}
