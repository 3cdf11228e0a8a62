package org.recon4d.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

import org.recon4d.metrics.Metrics;
import org.recon4d.mri.MriRecon;
import org.recon4d.op.mri.Sense;
import org.recon4d.report.BenchTable;
import org.recon4d.solve.Monitor;
import org.recon4d.unroll.MriSamples;
import org.recon4d.unroll.Net;
import org.recon4d.unroll.Reconstructor;
import org.recon4d.unroll.UnrolledJob;
import org.recon4d.unroll.UnrolledModel;

/**
 * {@code ./recon4d bench unrolled}: learned unrolled networks against the classical
 * reconstructions on held-out simulated slices ({@link MriSamples}, BrainPhantom seeds from
 * 1,000,000 on, which training never draws), 128 x 128, 8 coils, 1% noise, fastMRI random masks
 * at 4x (task R4) and 8x (R8). Classical methods get the true coil maps (an oracle that favours
 * them; the networks estimate their own from the ACS lines). L1-wavelet lambda is tuned per task
 * by SSIM on separate slices (seeds 2,000,000..). Metrics per slice against the magnitude image,
 * averaged: SSIM (Metrics.ssim), PSNR, NMSE, and {@code ssim_object}: SSIM over window centres inside
 * the object (reference > 0), which leaves out the empty background. {@code seconds} per slice; {@code peak_mb} the
 * process's peak resident memory while the method ran (JVM + libtorch; sampled, see RssPeak); it includes the JVM's baseline.
 * Task {@code speed-256}: one 256 x 256 8-coil slice, inference time only.
 */
public final class UnrolledBench {

	private UnrolledBench() {}

	public static BenchTable run(final int slices, final Path weightsDir, final Consumer<String> log) throws IOException {
		final int n = 128, coils = 8, img = n * n;
		final double noise = 0.01;
		final BenchTable t = new BenchTable("unrolled", String.format(Locale.ROOT,
			"%d held-out slices per task, %d x %d, %d coils; CG-SENSE 30 iterations lambda 0.001; L1-wavelet FISTA 50 iterations, lambda tuned by SSIM on 4 other slices; networks: the shipped weights in %s",
			slices, n, n, coils, weightsDir));
		for (final double acc : new double[] { 4, 8 }) {
			final String task = "R" + (int) acc;
			final long[] seeds = new long[slices], tuneSeeds = new long[4];
			final double[] accs = new double[slices];
			for (int i = 0; i < slices; i++) { seeds[i] = 1_000_000 + i; accs[i] = acc; }
			for (int i = 0; i < 4; i++) tuneSeeds[i] = 2_000_000 + i;
			final MriSamples.Batch data = MriSamples.make(n, coils, seeds, accs, noise, 1_000_000 + (long) acc);
			final MriSamples.Batch tune = MriSamples.make(n, coils, tuneSeeds, new double[] { acc, acc, acc, acc }, noise, 2_000_000 + (long) acc);
			// zero-filled
			measure(t, task, "zero-filled", data, n, log, b -> MriRecon.zeroFilledRss(slice(data.kspace(), b, 2 * img * coils), n, n, coils), "");
			measure(t, task, "sense", data, n, log, b -> MriRecon.magnitude(MriRecon.cgSense(op(data, b, n, coils), slice(data.kspace(), b, 2 * img * coils), 30, 1e-3, Monitor.NONE)), "lambda 0.001");
			// L1-wavelet: lambda by SSIM on the tuning slices
			double best = Double.NEGATIVE_INFINITY, lam = 0;
			for (final double l : new double[] { 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02 }) {
				double s = 0;
				for (int b = 0; b < 4; b++) {
					final float[] x = MriRecon.magnitude(l1(tune, b, n, coils, l));
					s += Metrics.ssim(x, slice(tune.target(), b, img), n, n) / 4;
				}
				log.accept(String.format(Locale.ROOT, "%s l1-wavelet tuning: lambda %g SSIM %.4f", task, l, s));
				if (s > best) { best = s; lam = l; }
			}
			final double lamF = lam;
			measure(t, task, "l1-wavelet", data, n, log, b -> MriRecon.magnitude(l1(data, b, n, coils, lamF)), "lambda " + lam);
			for (final String kind : new String[] { UnrolledModel.E2E, UnrolledModel.RECURRENT }) {
				final Path w = weightsDir.resolve(kind + ".npz");
				try (UnrolledModel r = UnrolledModel.load(w)) {
					// the command's default output (coil-combined), then fastMRI's RSS for comparison
					for (final Net.Output o : new Net.Output[] { Net.Output.COMBINED, Net.Output.RSS }) {
						r.output(o);
						measure(t, task, o == Net.Output.COMBINED ? kind : kind + "-rss", data, n, log,
							b -> r.reconstruct(slice(data.kspace(), b, 2 * img * coils), slice(data.columns(), b, n), n, n, coils, 1, 1, Monitor.NONE), r.describe());
					}
				}
			}
		}
		ct(t, slices, weightsDir, log);
		// inference time for one 256 x 256 8-coil slice (4x), the size the issue asks about
		final MriSamples.Batch big = MriSamples.make(256, coils, new long[] { 1_000_100 }, new double[] { 4 }, noise, 7);
		for (final String kind : new String[] { UnrolledModel.E2E, UnrolledModel.RECURRENT }) {
			try (UnrolledModel r = UnrolledModel.load(weightsDir.resolve(kind + ".npz")).output(Net.Output.COMBINED)) {
				r.reconstruct(big.kspace(), big.columns(), 256, 256, coils, 1, 1, Monitor.NONE); // warm-up
				System.gc();
				final double sec, peak;
				final float[] x;
				try (RssPeak rss = new RssPeak()) {
					final long t0 = System.nanoTime();
					x = r.reconstruct(big.kspace(), big.columns(), 256, 256, coils, 1, 1, Monitor.NONE);
					sec = (System.nanoTime() - t0) * 1e-9;
					peak = rss.mb();
				}
				t.row("speed-256", kind, "recon4d", "ssim", Metrics.ssim(x, big.target(), 256, 256), "psnr", Metrics.psnr(x, big.target()),
					"nmse", nmse(x, big.target()), "seconds", sec, "peak_mb", peak, "settings", r.describe());
				log.accept(String.format(Locale.ROOT, "speed-256 %s: %.2f s per 256 x 256 x 8 slice", kind, sec));
			}
		}
		return t;
	}

	/**
	 * Task ct-32view: sparse-view parallel-beam CT, 128 x 128 static frames of DynamicPhantom (seeds
	 * 1.., below the training seeds 1000..), 32 views over [0, pi), Gaussian noise 0.5% of the
	 * sinogram maximum: ramp FBP, TV (PDHG, 300 iterations, lambda tuned by SSIM on seeds 900..903 over 0.01..30,
	 * non-negative) and the unrolled CT network ({@code ct-unrolled.npz}).
	 */
	static void ct(final BenchTable t, final int slices, final Path weightsDir, final Consumer<String> log) throws IOException {
		final int n = 128, views = 32, img = n * n;
		final long[] seeds = new long[slices], tuneSeeds = { 900, 901, 902, 903 };
		final double[] times = new double[slices], tuneTimes = { 0.2, 0.4, 0.6, 0.8 };
		for (int i = 0; i < slices; i++) { seeds[i] = 1 + i; times[i] = (i + 0.5) / slices; }
		final float[][] d = org.recon4d.unroll.CtUnrolled.data(n, views, seeds, times, 0.005, 77);
		final float[][] tune = org.recon4d.unroll.CtUnrolled.data(n, views, tuneSeeds, tuneTimes, 0.005, 78);
		final org.recon4d.op.tomo.ParallelBeamProjector op = org.recon4d.op.tomo.ParallelBeamProjector.of(n, n, org.recon4d.unroll.CtUnrolled.angles(views));
		final MriSamples.Batch targets = new MriSamples.Batch(n, 1, slices, null, null, d[0], null);
		final int det = n * views;
		measure(t, "ct-32view", "fbp", targets, n, log, b -> org.recon4d.solve.Fbp.reconstruct(op, slice(d[1], b, det), org.recon4d.solve.Fbp.Filter.RAMP), "ramp filter");
		double best = Double.NEGATIVE_INFINITY, lam = 0;
		for (final double l : new double[] { 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30 }) {
			double s = 0;
			for (int b = 0; b < tuneSeeds.length; b++) s += Metrics.ssim(tv(op, slice(tune[1], b, det), l), slice(tune[0], b, img), n, n) / tuneSeeds.length;
			log.accept(String.format(Locale.ROOT, "ct-32view tv tuning: lambda %g SSIM %.4f", l, s));
			if (s > best) { best = s; lam = l; }
		}
		final double lamF = lam;
		measure(t, "ct-32view", "tv", targets, n, log, b -> tv(op, slice(d[1], b, det), lamF), "PDHG 300 iterations, lambda " + lam);
		try (org.recon4d.unroll.CtUnrolled net = org.recon4d.unroll.CtUnrolled.load(weightsDir.resolve("ct-unrolled.npz"))) {
			final double[] angles = org.recon4d.unroll.CtUnrolled.angles(views);
			measure(t, "ct-32view", "unrolled", targets, n, log, b -> net.reconstruct(slice(d[1], b, det), n, n, angles, 1, Monitor.NONE), net.describe());
		}
	}

	static float[] tv(final org.recon4d.op.tomo.ParallelBeamProjector op, final float[] sino, final double lambda) {
		return org.recon4d.solve.TomoRecon.run(op, sino, new org.recon4d.solve.TomoRecon.Params().method(org.recon4d.solve.TomoRecon.Method.TV)
			.lambda(lambda).iterations(300).nonneg(true).filter(org.recon4d.solve.Fbp.Filter.RAMP).window(1), Monitor.NONE);
	}

	interface PerSlice {
		float[] run(int b) throws IOException;
	}

	static void measure(final BenchTable t, final String task, final String method, final MriSamples.Batch data, final int n, final Consumer<String> log,
		final PerSlice f, final String settings) throws IOException
	{
		final int img = n * n, s = data.size();
		double ssim = 0, ssimHead = 0, psnr = 0, nm = 0, sec = 0;
		f.run(0); // warm-up (JIT, libtorch)
		System.gc();
		final double peak;
		try (RssPeak rss = new RssPeak()) {
			for (int b = 0; b < s; b++) {
				final long t0 = System.nanoTime();
				final float[] x = f.run(b);
				sec += (System.nanoTime() - t0) * 1e-9;
				final float[] ref = slice(data.target(), b, img);
				ssim += Metrics.ssim(x, ref, n, n) / s;
				final boolean[] head = new boolean[ref.length];
				for (int q = 0; q < ref.length; q++) head[q] = ref[q] > 0;
				ssimHead += Metrics.ssim(x, ref, n, n, head) / s;
				psnr += Metrics.psnr(x, ref) / s;
				nm += nmse(x, ref) / s;
			}
			peak = rss.mb();
		}
		t.row(task, method, "recon4d", "ssim", ssim, "psnr", psnr, "nmse", nm, "seconds", sec / s, "peak_mb", peak, "ssim_object", ssimHead, "settings", settings);
		log.accept(String.format(Locale.ROOT, "%s %-16s SSIM %.4f (object %.4f) PSNR %.2f NMSE %.4f %.3f s/slice", task, method, ssim, ssimHead, psnr, nm, sec / s));
	}

	static float[] l1(final MriSamples.Batch d, final int b, final int n, final int coils, final double lambda) {
		return MriRecon.l1Wavelet(op(d, b, n, coils), slice(d.kspace(), b, 2 * n * n * coils), lambda, 50, 1, Monitor.NONE);
	}

	static Sense op(final MriSamples.Batch d, final int b, final int n, final int coils) {
		final float[] cols = slice(d.columns(), b, n);
		final boolean[] m = new boolean[n];
		for (int i = 0; i < n; i++) m[i] = cols[i] != 0;
		return new Sense(n, n, coils, 1, slice(d.maps(), b, 2 * n * n * coils), org.recon4d.op.mri.Masks.lines(m, n));
	}

	static float[] slice(final float[] a, final int b, final int len) {
		return Arrays.copyOfRange(a, b * len, (b + 1) * len);
	}

	/** ||x - ref||^2 / ||ref||^2 (fastMRI's NMSE), the square of {@link Metrics#nrmse}. */
	public static double nmse(final float[] x, final float[] ref) {
		final double e = Metrics.nrmse(x, ref);
		return e * e;
	}

	/**
	 * Peak resident memory of this process (JVM heap and off-heap, libtorch) while a method runs:
	 * a daemon thread samples VmRSS from /proc/self/status every 5 ms (resetting the kernel's VmHWM
	 * through clear_refs is not permitted in every container). NaN where /proc is absent.
	 */
	static final class RssPeak implements AutoCloseable {
		private volatile boolean running = true;
		private volatile long peakKb = -1;
		private final Thread thread;

		RssPeak() {
			sample();
			thread = new Thread(() -> {
				while (running) {
					sample();
					try {
						Thread.sleep(5);
					}
					catch (final InterruptedException e) {
						return;
					}
				}
			}, "rss-peak");
			thread.setDaemon(true);
			thread.start();
		}

		private void sample() {
			try {
				for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
					if (line.startsWith("VmRSS:")) peakKb = Math.max(peakKb, Long.parseLong(line.replaceAll("[^0-9]", "")));
			}
			catch (final IOException | NumberFormatException e) {
				running = false;
			}
		}

		double mb() {
			sample();
			return peakKb < 0 ? Double.NaN : peakKb / 1024.0;
		}

		@Override
		public void close() {
			running = false;
			thread.interrupt();
		}
	}

	/** Where {@code ./recon4d bench unrolled} looks for weights by default. */
	public static Path defaultWeights() {
		return UnrolledJob.resolveNetwork(UnrolledModel.E2E).getParent();
	}
}
