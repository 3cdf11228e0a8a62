package org.recon4d.unroll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.recon4d.io.BadFileException;
import org.recon4d.metrics.Metrics;
import org.recon4d.op.tomo.GatherProjector;
import org.recon4d.op.tomo.ParallelBeamProjector;
import org.recon4d.phantom.DynamicPhantom;
import org.recon4d.phantom.Noise;
import org.recon4d.report.Pictures;
import org.recon4d.solve.Fbp;
import org.recon4d.solve.Monitor;
import org.recon4d.tensor.Djl;

/**
 * The unrolled framework on tomography: a variational network in the image domain through the
 * foundation's parallel-beam projector, x_{t+1} = x_t - eta_t A^T (A x_t - y) / L - R_t(x_t),
 * from the FBP, with R_t a U-Net correction (zero at the start, see {@link UNet#correction}),
 * eta_t learned (initialised to 1) and L = ||A||^2 by power iteration. A and A^T are
 * {@link GatherProjector}'s gathers, so gradients flow through both. Any operator with a DJL
 * forward and adjoint can take the projector's place; the MRI networks use the SENSE pair.
 * <p>
 * Training ({@link #train}): static frames of {@link DynamicPhantom} (seeds 1000.., random time, the
 * RED-PSM denoiser's training family; benchmark seeds are below 1000), 32 views over [0, pi), Gaussian
 * noise 0.5% of the sinogram maximum, loss (1 - SSIM) + L1/max, Adam.
 */
public final class CtUnrolled implements AutoCloseable {

	public record Config(int iterations, int chans, int pools) {
		public static Config small() { return new Config(6, 8, 3); }
	}

	private final Config config;
	private final NDManager manager;
	private final Params p;
	private final UNet[] regs;

	public CtUnrolled(final Config c, final long seed) {
		Djl.configure();
		this.config = c;
		this.manager = Djl.newManager();
		this.p = new Params(manager, seed);
		this.regs = new UNet[c.iterations()];
		for (int t = 0; t < regs.length; t++) {
			regs[t] = new UNet(p, "iters." + t + ".model", 1, 1, c.chans(), c.pools());
			p.constant("iters." + t + ".step", new Shape(1), 1f);
		}
	}

	public Params params() { return p; }

	public String describe() {
		return String.format(Locale.ROOT, "CT variational network: %d iterations, %d-channel %d-pool U-Net corrections (%,d parameters)",
			config.iterations(), config.chans(), config.pools(), p.count());
	}

	/** x0 (B, 1, n, n) float, y the sinogram tensor of {@code a}'s range; returns (B, 1, n, n). */
	public NDArray forward(final GatherProjector a, final float invL, final NDArray x0, final NDArray y) {
		final Shape s = x0.getShape();
		NDArray x = x0;
		for (int t = 0; t < regs.length; t++) {
			final NDArray grad = a.adjoint(a.forward(x.reshape(1, s.get(0), s.get(2), s.get(3))).sub(y)).reshape(s);
			x = x.sub(Djl.mul(grad.mul(p.get("iters." + t + ".step")), invL)).sub(regs[t].correction(x));
		}
		return x;
	}

	/** Slices {n, n, slices} from sinograms {detectors, views, slices} at the given angles. */
	public float[] reconstruct(final float[] sino, final int n, final int detectors, final double[] angles, final int slices, final Monitor mon) {
		final ParallelBeamProjector op = new ParallelBeamProjector(n, n, slices, detectors, new double[][] { angles });
		if (sino.length != op.rangeSize()) throw new IllegalArgumentException("sinogram has " + sino.length + " values, geometry needs " + op.rangeSize());
		final float invL = (float) (1 / normSquared(op));
		final float[] fbp = Fbp.reconstruct(op, sino, Fbp.Filter.RAMP);
		mon.checkCanceled();
		try (NDManager sub = manager.newSubManager(); GatherProjector g = new GatherProjector(op, sub)) {
			final NDArray out = forward(g, invL, sub.create(fbp, new Shape(slices, 1, n, n)), sub.create(sino, new Shape(1, slices, angles.length, detectors)));
			mon.iteration(1, 1, Double.NaN, null);
			return out.toFloatArray();
		}
	}

	/**
	 * ||A||^2 by 20 power iterations from the all-ones image. Operators.normEstimate gives the same
	 * quantity from a random start; this one stays because the shipped weights learned their step
	 * sizes against exactly this value (ct-unrolled.json's command must reproduce them).
	 */
	static double normSquared(final ParallelBeamProjector op) {
		float[] v = new float[op.domainSize()];
		java.util.Arrays.fill(v, 1f);
		double lam = 1;
		for (int i = 0; i < 20; i++) {
			final float[] w = op.adjoint(op.apply(v));
			double nn = 0;
			for (final float f : w) nn += f * (double) f;
			lam = Math.sqrt(nn);
			for (int q = 0; q < v.length; q++) v[q] = (float) (w[q] / lam);
		}
		return lam;
	}

	public void save(final Path file, final boolean withOptimiser, final boolean overwrite) throws IOException {
		p.save(file, withOptimiser, overwrite, Map.of("meta.config", new float[] { 3, config.iterations(), config.chans(), config.pools() }));
	}

	public static CtUnrolled load(final Path file) throws IOException {
		final float[] meta = UnrolledModel.readMeta(file);
		if (meta.length != 4 || meta[0] != 3) throw new BadFileException(file, "meta.config " + java.util.Arrays.toString(meta) + " is not a CT unrolled network");
		final CtUnrolled m = new CtUnrolled(new Config((int) meta[1], (int) meta[2], (int) meta[3]), 0);
		try {
			m.p.load(file);
		}
		catch (final IOException | RuntimeException e) {
			m.close();
			throw e;
		}
		return m;
	}

	/** Uniform angles over [0, pi). */
	public static double[] angles(final int views) {
		final double[] a = new double[views];
		for (int v = 0; v < views; v++) a[v] = Math.PI * v / views;
		return a;
	}

	/** {images, sinograms} for phantom seeds at times, {n, n, B} and {detectors, views, B}. */
	public static float[][] data(final int n, final int views, final long[] seeds, final double[] times, final double noise, final long noiseSeed) {
		final int b = seeds.length;
		final float[] img = new float[n * n * b];
		for (int i = 0; i < b; i++) new DynamicPhantom(seeds[i]).renderFrame(n, times[i], img, i * n * n);
		final ParallelBeamProjector op = new ParallelBeamProjector(n, n, b, n, new double[][] { angles(views) });
		return new float[][] { img, Noise.gaussian(op.apply(img), noise, noiseSeed) };
	}

	/** Trains and writes {@code out/NAME.npz}, {@code NAME.csv}, {@code NAME.png}, {@code NAME.json}. */
	public static String train(final int n, final int views, final int batch, final int steps, final int validateEvery, final double lr, final long seed,
		final Path out, final String name, final Consumer<String> log, final Monitor mon) throws IOException
	{
		Djl.configure();
		Engine.getEngine(Djl.ENGINE).setRandomSeed((int) seed);
		Files.createDirectories(out);
		final long t0 = System.nanoTime();
		final double noise = 0.005;
		final ParallelBeamProjector op = new ParallelBeamProjector(n, n, batch, n, new double[][] { angles(views) });
		final float invL = (float) (1 / normSquared(new ParallelBeamProjector(n, n, 1, n, new double[][] { angles(views) })));
		final long[] valSeeds = { 990, 991, 992, 993 };
		final float[][] val = data(n, views, valSeeds, new double[] { 0.1, 0.35, 0.6, 0.85 }, noise, 990);
		final List<double[]> rows = new ArrayList<>();
		try (CtUnrolled net = new CtUnrolled(Config.small(), seed); GatherProjector g = new GatherProjector(op, net.manager)) {
			log.accept(net.describe());
			double ema = Double.NaN;
			for (int step = 1; step <= steps; step++) {
				mon.checkCanceled();
				final SplittableRandom r = new SplittableRandom(seed * 7919 + step);
				final long[] seeds = new long[batch];
				final double[] times = new double[batch];
				for (int i = 0; i < batch; i++) { seeds[i] = 1000 + r.nextInt(100_000); times[i] = r.nextDouble(); }
				final float[][] d = data(n, views, seeds, times, noise, r.nextLong());
				final float[] fbp = Fbp.reconstruct(op, d[1], Fbp.Filter.RAMP);
				final double loss;
				try (NDManager sub = net.manager.newSubManager(); GradientCollector gc = Engine.getEngine(Djl.ENGINE).newGradientCollector()) {
					final NDArray pred = net.forward(g, invL, sub.create(fbp, new Shape(batch, 1, n, n)), sub.create(d[1], new Shape(1, batch, views, n)));
					final NDArray l = Training.loss(pred.reshape(batch, n, n), sub.create(d[0], new Shape(batch, n, n)), 1);
					gc.backward(l);
					loss = l.getFloat();
				}
				net.p.adam(lr, 1.0);
				if (Double.isFinite(loss)) ema = Double.isNaN(ema) ? loss : 0.95 * ema + 0.05 * loss;
				if (step % validateEvery == 0 || step == steps) {
					final float[] rec = net.reconstruct(val[1], n, n, angles(views), valSeeds.length, Monitor.NONE);
					double ssim = 0, psnr = 0;
					for (int i = 0; i < valSeeds.length; i++) {
						final float[] a = java.util.Arrays.copyOfRange(rec, i * n * n, (i + 1) * n * n), t = java.util.Arrays.copyOfRange(val[0], i * n * n, (i + 1) * n * n);
						ssim += Metrics.ssim(a, t, n, n) / valSeeds.length;
						psnr += Metrics.psnr(a, t) / valSeeds.length;
					}
					rows.add(new double[] { step, ema, ssim, psnr, (System.nanoTime() - t0) * 1e-9 });
					log.accept(String.format(Locale.ROOT, "step %d/%d loss %.4f  val SSIM %.4f PSNR %.2f  %.0f s%s", step, steps, ema, ssim, psnr, rows.get(rows.size() - 1)[4],
						net.p.skipped() > 0 ? "  (" + net.p.skipped() + " non-finite steps skipped)" : ""));
					final StringBuilder sb = new StringBuilder("step,train_loss,val_ssim,val_psnr,seconds\n");
					for (final double[] row : rows) sb.append(String.format(Locale.ROOT, "%d,%.5f,%.5f,%.3f,%.1f%n", (long) row[0], row[1], row[2], row[3], row[4]));
					Files.writeString(out.resolve(name + ".csv"), sb.toString());
					Pictures.save(Pictures.plot("CT unrolled: validation SSIM", "SSIM", List.of("32 views"), List.of(rows.stream().mapToDouble(x -> x[2]).toArray()), false),
						out.resolve(name + ".png"), true);
				}
				mon.iteration(step, steps, loss, null);
			}
			net.save(out.resolve(name + ".npz"), false, true);
			final double[] last = rows.get(rows.size() - 1);
			final String card = String.format(Locale.ROOT, "{\n  \"model\": \"%s\",\n  \"file\": \"%s.npz\",\n  \"parameters\": %d,\n" +
				"  \"command\": \"./recon4d train ct-unrolled steps=%d batch=%d size=%d views=%d seed=%d lr=%g out=%s model=%s\",\n  \"seed\": %d,\n" +
				"  \"data\": \"static DynamicPhantom frames, seeds 1000..100999 at random times, %d x %d, %d views over [0, pi), %d detector bins, Gaussian noise 0.5%% of the sinogram maximum; input: ramp FBP\",\n" +
				"  \"loss\": \"(1 - SSIM) + L1/max\", \"optimizer\": \"Adam lr %g, gradient norm clip 1\", \"steps\": %d, \"batch\": %d,\n" +
				"  \"train_seconds\": %.0f, \"machine\": \"%d cores, %s\",\n  \"validation\": {\"seeds\": \"990..993\", \"ssim\": %.4f, \"psnr\": %.2f},\n  \"curves\": \"%s.csv, %s.png\"\n}\n",
				net.describe(), name, net.p.count(), steps, batch, n, views, seed, lr, out, name, seed, n, n, views, n, lr, steps, batch,
				(System.nanoTime() - t0) * 1e-9, Runtime.getRuntime().availableProcessors(), Djl.preferredDevice(), last[2], last[3], name, name);
			Files.writeString(out.resolve(name + ".json"), card);
			return card;
		}
	}

	@Override
	public void close() {
		p.close();
		manager.close();
	}
}
