package org.recon4d.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

import org.recon4d.diffusion.AdmmTv;
import org.recon4d.diffusion.DiffusionJob;
import org.recon4d.diffusion.InverseSolvers;
import org.recon4d.diffusion.Samplers;
import org.recon4d.diffusion.ScoreModel;
import org.recon4d.diffusion.ScoreNet;
import org.recon4d.metrics.Metrics;
import org.recon4d.mri.CoilMaps;
import org.recon4d.op.LinearOperator;
import org.recon4d.op.Operators;
import org.recon4d.op.mri.Masks;
import org.recon4d.op.mri.Sense;
import org.recon4d.op.reg.Gradient;
import org.recon4d.op.tomo.ParallelBeamProjector;
import org.recon4d.phantom.BrainVolume;
import org.recon4d.phantom.Noise;
import org.recon4d.report.BenchTable;
import org.recon4d.solve.Fbp;
import org.recon4d.solve.Monitor;
import org.recon4d.solve.Pdhg;
import org.recon4d.util.Vec;

/**
 * {@code ./recon4d bench diffusion}: diffusion priors against FBP and TV on a held-out 3D head
 * ({@link BrainVolume} seed 1,000,000; the score network trained on seeds below 1,000), every
 * axial slice reconstructed with the 2D prior in one batch.
 * <ul>
 * <li>{@code ct-8view}, {@code ct-16view}: parallel-beam CT of every slice, views uniform over
 * [0, pi), Gaussian noise 0.5% of the sinogram maximum.</li>
 * <li>{@code mri-R4}: 8 loop coils (unit RSS), a fastMRI random 1D mask at 4x (8% centre) shared by
 * all slices, complex Gaussian noise 0.2% of the k-space maximum; the image is real.</li>
 * </ul>
 * TV: 3D anisotropic TV with equal weights on x, y and z, PDHG 300 iterations from the FBP for CT, ADMM
 * 100 iterations for MRI; lambda tuned by PSNR on the central 16 slices of a separate volume (seed 1,000,001).
 * Diffusion methods: fixed settings, chosen on that tuning volume (the {@code budget} string and
 * each row's {@code settings} give them). Metrics over the whole volume: PSNR (data range of the
 * truth), SSIM (mean over slices), {@code z_grad_error} = |D_z (x - x0)| / |D_z x0| (slice-to-slice
 * consistency), {@code nfe} = network evaluations over the whole volume (DPS: each also a backward
 * pass), {@code seconds} wall time, {@code peak_mb} sampled peak resident memory.
 */
public final class DiffusionBench {

	public static final class Config {
		public int size = 64, slices = 64;
		public int dpsSteps = 50, redSteps = 50, mbirSteps = 100, fastSteps = 25;
		public Path weights;
		/** Comma-separated tasks to run (empty: all). */
		public String tasks = "";
		/** Where the x-z pictures go (null: none). */
		public Path pictures;
	}

	private DiffusionBench() {}

	public static Path defaultWeights() {
		return Path.of(System.getProperty("recon4d.home", "."), "sample-data", "diffusion", "score.npz");
	}

	/** A measured problem: operator, data, start image, truth. */
	record Case(String task, LinearOperator a, float[] y, float[] start, float[] truth, Samplers.Dims dims, boolean ct, ParallelBeamProjector projector) {}

	public static BenchTable run(final Config c, final Consumer<String> log) throws IOException {
		final Path w = c.weights != null ? c.weights : defaultWeights();
		final BenchTable t = new BenchTable("diffusion", String.format(Locale.ROOT,
			"held-out BrainVolume %d x %d x %d slices; DPS %d EDM steps; RED-diff %d steps; DiffusionMBIR %d PC steps (2 NFE each); BDIA variant %d steps; network %s",
			c.size, c.size, c.slices, c.dpsSteps, c.redSteps, c.mbirSteps, c.fastSteps, w));
		try (ScoreNet net = ScoreNet.load(w)) {
			log.accept(net.describe());
			for (final String task : new String[] { "ct-8view", "ct-16view", "mri-R4" }) {
				if (!c.tasks.isBlank() && !Arrays.asList(c.tasks.split(",")).contains(task)) continue;
				final Case bench = make(task, c.size, c.slices, c.slices, 1_000_000);
				final Case tune = make(task, c.size, Math.min(16, c.slices), c.slices, 1_000_001);
				final java.util.Map<String, float[]> results = new java.util.LinkedHashMap<>();
				results.put("truth", bench.truth());
				if (bench.ct()) {
					results.put("fbp", measure(t, bench, "fbp", log, "ramp filter", () -> Fbp.reconstruct(bench.projector(), bench.y(), Fbp.Filter.RAMP), null));
				}
				final double lam = tuneTv(tune, log);
				results.put("tv", measure(t, bench, "tv", log, "lambda " + lam + " (tuned)", () -> tv(bench, lam), null));
				runDiffusion(t, bench, net, c, log, results);
				if (c.pictures != null) {
					// x-z sections through the middle row: slice-to-slice consistency at a glance
					final Path png = c.pictures.resolve("diffusion-xz-" + task + ".png");
					org.recon4d.report.Pictures.save(org.recon4d.report.Pictures.kymographs(new java.util.ArrayList<>(results.keySet()), new java.util.ArrayList<>(results.values()),
						c.size, c.size, bench.dims().batch(), c.size / 2, 0, 1.1f), png, true);
					log.accept("wrote " + png);
				}
			}
		}
		return t;
	}

	static void runDiffusion(final BenchTable t, final Case b, final ScoreModel net, final Config c, final Consumer<String> log, final java.util.Map<String, float[]> results) throws IOException {
		final InverseSolvers.Problem p = InverseSolvers.Problem.of(b.a(), b.y(), b.dims(), b.start());
		final String[][] methods = { { "dps", "" + c.dpsSteps }, { "red-diff", "" + c.redSteps }, { "diffusion-mbir", "" + c.mbirSteps }, { "diffusion-mbir-bdia", "" + c.fastSteps } };
		for (final String[] m : methods) {
			final DiffusionJob.Settings s = new DiffusionJob.Settings();
			s.method = m[0];
			s.steps = Integer.parseInt(m[1]);
			final InverseSolvers.Counting counted = new InverseSolvers.Counting(net);
			results.put(m[0], measure(t, b, m[0], log, DiffusionJob.describe(s), () -> DiffusionJob.solve(counted, p, s, 1, Monitor.NONE), counted));
		}
		// the same few-step sampler with each slice on its own (no TV along z, no coupling): what TV-z adds to consistency
		final DiffusionJob.Settings alone = new DiffusionJob.Settings();
		alone.steps = c.fastSteps;
		alone.lambdaZ = 0;
		alone.rho = 1e-8;
		final InverseSolvers.Counting counted = new InverseSolvers.Counting(net);
		results.put("diffusion-bdia-2d", measure(t, b, "diffusion-bdia-2d", log, DiffusionJob.describe(alone) + " (slices independent)", () -> DiffusionJob.solve(counted, p, alone, 1, Monitor.NONE), counted));
	}

	/** The task on {@code slices} consecutive central slices of a volume of {@code total} slices (the same slice spacing at any count). */
	static Case make(final String task, final int n, final int slices, final int total, final long seed) {
		final int first = (total - slices) / 2;
		final float[] truth = Arrays.copyOfRange(BrainVolume.volume(n, total, seed), first * n * n, (first + slices) * n * n);
		final Samplers.Dims dims = new Samplers.Dims(slices, n, n);
		if (task.startsWith("ct-")) {
			final int views = Integer.parseInt(task.substring(3, task.indexOf("view")));
			final double[] angles = new double[views];
			for (int v = 0; v < views; v++) angles[v] = Math.PI * v / views;
			final ParallelBeamProjector op = new ParallelBeamProjector(n, n, slices, n, new double[][] { angles });
			final float[] y = Noise.gaussian(op.apply(truth), 0.005, seed + views);
			return new Case(task, op, y, Fbp.reconstruct(op, y, Fbp.Filter.RAMP), truth, dims, true, op);
		}
		final int coils = 8;
		final float[] maps = CoilMaps.loops(n, n, coils, 0.3, 0.75);
		final int img = n * n;
		for (int p = 0; p < img; p++) {
			double s = 0;
			for (int k = 0; k < coils; k++) s += maps[2 * (k * img + p)] * maps[2 * (k * img + p)] + maps[2 * (k * img + p) + 1] * maps[2 * (k * img + p) + 1];
			final float inv = (float) (1 / Math.sqrt(Math.max(s, 1e-12)));
			for (int k = 0; k < coils; k++) { maps[2 * (k * img + p)] *= inv; maps[2 * (k * img + p) + 1] *= inv; }
		}
		final float[] mask = Masks.lines(Masks.random1d(n, 4, 0.08, seed), n);
		final LinearOperator op = Operators.realPart(new Sense(n, n, coils, slices, maps, mask));
		final float[] y = Noise.gaussian(op.apply(truth), 0.002, seed + 4);
		return new Case(task, op, y, op.adjoint(y), truth, dims, false, null);
	}

	static double tuneTv(final Case tune, final Consumer<String> log) {
		double best = Double.NEGATIVE_INFINITY, lam = 0;
		final double[] grid = tune.ct() ? new double[] { 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1 } : new double[] { 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2 };
		for (final double l : grid) {
			final double psnr = Metrics.psnr(tv(tune, l), tune.truth());
			log.accept(String.format(Locale.ROOT, "%s tv tuning: lambda %g PSNR %.2f", tune.task(), l, psnr));
			if (psnr > best) { best = psnr; lam = l; }
		}
		if (lam == grid[0] || lam == grid[grid.length - 1]) log.accept(tune.task() + ": the best TV lambda " + lam + " is at the edge of the grid");
		return lam;
	}

	/** 3D TV: PDHG (CT, from the FBP, non-negative) or ADMM on the unit-norm operator (MRI). */
	static float[] tv(final Case b, final double lambda) {
		final Samplers.Dims d = b.dims();
		if (b.ct()) {
			final Gradient g = new Gradient(new long[] { d.w(), d.h(), d.batch(), 1 }, new int[] { 0, 1, 2 }, new double[] { 1, 1, 1 });
			return Pdhg.tvLeastSquares(b.a(), b.y(), g, lambda, 300, true, b.start(), Monitor.NONE);
		}
		final InverseSolvers.Problem p = InverseSolvers.Problem.of(b.a(), b.y(), d, b.start());
		final Gradient g = new Gradient(new long[] { d.w(), d.h(), d.batch() }, new int[] { 0, 1, 2 }, new double[] { 1, 1, 1 });
		final AdmmTv admm = new AdmmTv(p.a(), p.y(), g, lambda, 10 * lambda, 5);
		final float[] x = b.start().clone();
		for (int k = 0; k < 100; k++) admm.iterate(x);
		return x;
	}

	interface Method {
		float[] run() throws IOException;
	}

	/** Runs, times and scores one method; returns its volume. */
	static float[] measure(final BenchTable t, final Case b, final String method, final Consumer<String> log, final String settings, final Method f,
		final InverseSolvers.Counting counter) throws IOException
	{
		System.gc();
		final double sec, peak;
		final float[] x;
		try (UnrolledBench.RssPeak rss = new UnrolledBench.RssPeak()) {
			final long t0 = System.nanoTime();
			x = f.run();
			sec = (System.nanoTime() - t0) * 1e-9;
			peak = rss.mb();
		}
		final Samplers.Dims d = b.dims();
		final int img = d.h() * d.w();
		double ssim = 0;
		for (int z = 0; z < d.batch(); z++)
			ssim += Metrics.ssim(Arrays.copyOfRange(x, z * img, (z + 1) * img), Arrays.copyOfRange(b.truth(), z * img, (z + 1) * img), d.w(), d.h()) / d.batch();
		final double psnr = Metrics.psnr(x, b.truth()), zg = zGradError(x, b.truth(), d);
		final long nfe = counter == null ? 0 : counter.evaluations();
		t.row(b.task(), method, "recon4d", "psnr", psnr, "ssim", ssim, "z_grad_error", zg, "nfe", nfe, "seconds", sec, "peak_mb", peak, "settings", settings);
		log.accept(String.format(Locale.ROOT, "%-10s %-20s PSNR %.2f SSIM %.4f z-grad error %.3f NFE %d %.1f s", b.task(), method, psnr, ssim, zg, nfe, sec));
		return x;
	}

	/** |D_z (x - ref)| / |D_z ref|. */
	public static double zGradError(final float[] x, final float[] ref, final Samplers.Dims d) {
		final int img = d.h() * d.w();
		double e = 0, r = 0;
		for (int z = 0; z + 1 < d.batch(); z++) for (int p = 0; p < img; p++) {
			final int i = z * img + p, j = i + img;
			final double dr = ref[j] - ref[i], dx = x[j] - x[i];
			e += (dx - dr) * (dx - dr);
			r += dr * dr;
		}
		return Math.sqrt(e / r);
	}
}
