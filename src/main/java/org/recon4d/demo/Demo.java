package org.recon4d.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.recon4d.io.BdvN5;
import org.recon4d.io.OmeZarr;
import org.recon4d.io.Volume;
import org.recon4d.metrics.Metrics;
import org.recon4d.op.tomo.ParallelBeamProjector;
import org.recon4d.phantom.Acquisition;
import org.recon4d.phantom.AngleSchedule;
import org.recon4d.report.BenchTable;
import org.recon4d.report.Pictures;
import org.recon4d.solve.Fbp;
import org.recon4d.solve.History;
import org.recon4d.solve.Monitor;
import org.recon4d.solve.TomoRecon;

/**
 * The main job: simulate the dynamic phantom (one projection per frame, bit-reversed angles,
 * 0.5 % Gaussian noise), reconstruct it with sliding-window FBP and with space-time TV (PDHG,
 * warm-started from the FBP), and write volumes, previews, a convergence plot and metrics.
 */
public final class Demo {

	/** Demo settings; the defaults are the (128 x 128, 128 frames). */
	public static final class Config {
		public int size = 128, frames = 128, iterations = 200;
		public long seed = 1;
		public double noise = 0.005;
		public TomoRecon.Params tv = new TomoRecon.Params();
		/** RED-PSM outer iterations from the space-time TV result (0: skip RED-PSM). */
		public int redPsmOuter = new TomoRecon.Params().psm.outer;
	}

	private Demo() {}

	/**
	 * Runs the demo into {@code out} (created; must be empty or absent unless overwrite).
	 * @param log receives progress lines; @param cancel monitor whose isCanceled is honoured
	 */
	public static BenchTable run(final Path out, final Config c, final boolean overwrite, final Consumer<String> log, final Monitor cancel) throws IOException {
		if (Files.isDirectory(out)) {
			try (var s = Files.list(out)) {
				if (s.findAny().isPresent() && !overwrite)
					throw new java.nio.file.FileAlreadyExistsException(out.toString(), null, "folder is not empty; choose another out= or pass overwrite=true");
			}
		}
		Files.createDirectories(out);
		final long t0 = System.nanoTime();
		final Acquisition acq = Acquisition.simulate("dynamic", c.size, c.frames, 1, AngleSchedule.BITREVERSED, "gaussian", c.noise, c.seed);
		final float[] truth = acq.truth.data(), sino = acq.sinogram.data();
		final ParallelBeamProjector a = new ParallelBeamProjector(c.size, c.size, 1, c.size, acq.angles);
		log.accept(String.format(Locale.ROOT, "simulated %dx%d, %d frames, 1 view/frame (bit-reversed), %.1f%% noise in %.1f s",
			c.size, c.size, c.frames, 100 * c.noise, (System.nanoTime() - t0) * 1e-9));
		final BenchTable table = new BenchTable("demo", String.format(Locale.ROOT,
			"last iterate after a fixed budget: tv-spacetime %d PDHG iterations (lambda %g, time weight %g) from the FBP; no oracle stopping",
			c.iterations, c.tv.lambda, c.tv.timeWeight));

		// static FBP: all views pooled (motion blurs)
		BenchTable.resetPeak();
		long s = System.nanoTime();
		final float[] fbpAll = Fbp.slidingWindow(a, sino, Fbp.Filter.HANN, c.frames);
		addRow(table, "fbp-static", fbpAll, truth, c, s, "all frames pooled, Hann");

		// per-frame FBP over a sliding window of frames
		BenchTable.resetPeak();
		s = System.nanoTime();
		final TomoRecon.Params fp = new TomoRecon.Params().method(TomoRecon.Method.FBP).filter(c.tv.filter).window(c.tv.window);
		final float[] fbp = TomoRecon.run(a, sino, fp, Monitor.NONE);
		addRow(table, "fbp", fbp, truth, c, s, "sliding window of " + fp.window + " frames, " + fp.filter);
		log.accept(String.format(Locale.ROOT, "fbp: PSNR %.2f dB", Metrics.psnr(fbp, truth)));

		// space-time TV
		BenchTable.resetPeak();
		s = System.nanoTime();
		final History h = new History(truth, (k, n, cost) -> {
			if (k % Math.max(1, n / 10) == 0) log.accept(String.format(Locale.ROOT, "tv-spacetime: iteration %d/%d cost %.5g", k, n, cost));
		}, cancel::isCanceled);
		final TomoRecon.Params tp = copy(c.tv).method(TomoRecon.Method.TV_SPACETIME).iterations(c.iterations);
		final float[] tv = TomoRecon.run(a, sino, tp, h);
		addRow(table, "tv-spacetime", tv, truth, c, s, tp.toString());
		log.accept(String.format(Locale.ROOT, "tv-spacetime: PSNR %.2f dB", Metrics.psnr(tv, truth)));

		// RED-PSM from the TV result (the benchmark's settings; docs/benchmarks.md)
		float[] red = null;
		if (c.redPsmOuter > 0) {
			BenchTable.resetPeak();
			s = System.nanoTime();
			final TomoRecon.Params rp = new TomoRecon.Params().method(TomoRecon.Method.RED_PSM);
			rp.psm.outer = c.redPsmOuter;
			red = TomoRecon.psmFrom(a, sino, tv, rp, new Monitor() {
				@Override public void iteration(final int k, final int n, final double cost, final float[] f) {
					log.accept(String.format(Locale.ROOT, "red-psm: iteration %d/%d PSNR %.2f dB", k, n, Metrics.psnr(f, truth)));
				}
				@Override public boolean isCanceled() { return cancel.isCanceled(); }
			});
			addRow(table, "red-psm", red, truth, c, s, rp.toString() + " (from the tv-spacetime result; its time not included)");
			log.accept(String.format(Locale.ROOT, "red-psm: PSNR %.2f dB", Metrics.psnr(red, truth)));
		}

		// outputs
		if (red != null) {
			final Volume rv = new Volume(red, new long[] { c.size, c.size, c.frames }, new String[] { "x", "y", "t" }, new double[] { 1, 1, 1 }, "pixel", "frame");
			OmeZarr.write(rv, out.resolve("red-psm.ome.zarr"), overwrite);
			BdvN5.write(rv, out.resolve("red-psm.xml"), overwrite);
		}
		final Volume rec = new Volume(tv, new long[] { c.size, c.size, c.frames }, new String[] { "x", "y", "t" }, new double[] { 1, 1, 1 }, "pixel", "frame");
		OmeZarr.write(rec, out.resolve("tv-spacetime.ome.zarr"), overwrite);
		BdvN5.write(rec, out.resolve("tv-spacetime.xml"), overwrite);
		OmeZarr.write(acq.truth, out.resolve("truth.ome.zarr"), overwrite);
		final int[] frames = new int[8];
		for (int i = 0; i < 8; i++) frames[i] = (int) Math.round(i * (c.frames - 1) / 7.0);
		final List<String> labels = red == null ? List.of("ground truth", "FBP (sliding window)", "space-time TV")
			: List.of("ground truth", "FBP (sliding window)", "space-time TV", "RED-PSM");
		final List<float[]> stacks = red == null ? List.of(truth, fbp, tv) : List.of(truth, fbp, tv, red);
		Pictures.save(Pictures.montage(labels, stacks, c.size, c.size, frames, 0, 1.1f), out.resolve("montage.png"), overwrite);
		Pictures.save(Pictures.kymographs(labels, stacks, c.size, c.size, c.frames, c.size / 2, 0, 1.1f), out.resolve("kymograph.png"), overwrite);
		Pictures.save(Pictures.plot("space-time TV (PDHG) convergence", "cost", List.of("cost"), List.of(h.costs()), true),
			out.resolve("convergence-cost.png"), overwrite);
		Pictures.save(Pictures.plot("PSNR against ground truth", "PSNR (dB)", List.of("tv-spacetime"), List.of(h.psnrs()), false),
			out.resolve("convergence-psnr.png"), overwrite);
		table.writeJson(out.resolve("metrics.json"), overwrite);
		log.accept(String.format(Locale.ROOT, "demo finished in %.1f s", (System.nanoTime() - t0) * 1e-9));
		return table;
	}

	private static void addRow(final BenchTable t, final String method, final float[] x, final float[] truth, final Config c, final long start, final String note) {
		final double sec = (System.nanoTime() - start) * 1e-9;
		t.row("demo", method, "recon4d", "psnr", Metrics.psnr(x, truth), "ssim", Metrics.ssim(x, truth, c.size, c.size),
			"nrmse", Metrics.nrmse(x, truth), "seconds", sec, "peak_mb", BenchTable.peakMb(), "settings", note);
	}

	private static TomoRecon.Params copy(final TomoRecon.Params p) {
		return new TomoRecon.Params().method(p.method).filter(p.filter).window(p.window).iterations(p.iterations)
			.lambda(p.lambda).timeWeight(p.timeWeight).nonneg(p.nonneg);
	}
}
