package org.recon4d.bench;

import java.util.Locale;
import java.util.function.Consumer;

import org.recon4d.metrics.Metrics;
import org.recon4d.op.tomo.ParallelBeamProjector;
import org.recon4d.phantom.Acquisition;
import org.recon4d.phantom.AngleSchedule;
import org.recon4d.report.BenchTable;
import org.recon4d.solve.Monitor;
import org.recon4d.solve.TomoRecon;

/**
 * {@code ./recon4d bench redpsm}: the dynamic phantom (one view per frame, bit-reversed angles,
 * 0.5 % Gaussian noise, seed 1) reconstructed by sliding-window FBP, space-time TV, PSM and
 * RED-PSM, each with a fixed budget; the last iterate is scored (no oracle stopping).
 */
public final class RedPsmBench {

	private RedPsmBench() {}

	/** RED-PSM settings used by the benchmark (and the defaults of the RED-PSM command). */
	public static TomoRecon.Params redPsm(final int outer) {
		final TomoRecon.Params p = new TomoRecon.Params().method(TomoRecon.Method.RED_PSM);
		p.psm.outer = outer;
		return p;
	}

	public static BenchTable run(final int outer, final int scaleOuter, final boolean scale, final Consumer<String> log) {
		final BenchTable t = new BenchTable("redpsm", String.format(Locale.ROOT,
			"last iterate after a fixed budget: fbp sliding window 32; tv-spacetime 200 PDHG iterations; psm and red-psm start from that tv-spacetime result (its time included) and take %d outer x %d inner steps (K=8, d=17 at both P, chosen on the tuning sequence of bench redpsm-tune); no oracle stopping",
			outer, new TomoRecon.Params().psm.innerSteps));
		for (final int frames : new int[] { 128, 256 }) {
			final String task = "dyn-128-P" + frames;
			final Acquisition acq = Acquisition.simulate("dynamic", 128, frames, 1, AngleSchedule.BITREVERSED, "gaussian", 0.005, 1);
			final ParallelBeamProjector a = new ParallelBeamProjector(128, 128, 1, 128, acq.angles);
			final float[] truth = acq.truth.data(), g = acq.sinogram.data();
			for (final String method : new String[] { "fbp", "tv-spacetime", "psm", "red-psm" }) {
				final TomoRecon.Params p = method.equals("red-psm") ? redPsm(outer) : new TomoRecon.Params().method(TomoRecon.Method.parse(method));
				if (method.equals("psm")) p.psm.outer = outer;
				BenchTable.resetPeak();
				final long s = System.nanoTime();
				final float[] x = TomoRecon.run(a, g, p, Monitor.NONE);
				final double sec = (System.nanoTime() - s) * 1e-9;
				t.row(task, method, "recon4d", "psnr", Metrics.psnr(x, truth), "ssim", Metrics.ssim(x, truth, 128, 128),
					"seconds", sec, "peak_mb", BenchTable.peakMb(), "settings", p.toString());
				log.accept(String.format(Locale.ROOT, "%s %s: PSNR %.2f dB, %.1f s", task, method, Metrics.psnr(x, truth), sec));
			}
		}
		if (scale) scaleRow(t, scaleOuter, log);
		return t;
	}

	/**
	 * {@code ./recon4d bench redpsm-tune}: RED-PSM's rank K and latent count d chosen on a tuning
	 * sequence, never the benchmark's: the same acquisition as {@link #run} with another phantom
	 * seed, one space-time TV start, then RED-PSM for each "KxD" in {@code configs} with the
	 * default lambda, beta and budget. The last iterate is scored.
	 */
	public static BenchTable tune(final long seed, final int frames, final String configs, final int outer, final Consumer<String> log) {
		if (seed == 1) throw new IllegalArgumentException("seed 1 is the benchmark's own sequence; tune on another seed");
		final java.util.List<int[]> pairs = parsePairs(configs);
		final BenchTable t = new BenchTable("redpsm-tune", String.format(Locale.ROOT,
			"tuning sequence seed %d (the benchmark uses seed 1), P=%d; RED-PSM from one space-time TV start (200 PDHG iterations, not included in seconds), %d outer x %d inner steps, lambda %g, beta %g; last iterate",
			seed, frames, outer, new TomoRecon.Params().psm.innerSteps, new TomoRecon.Params().psm.lambda, new TomoRecon.Params().psm.beta));
		final Acquisition acq = Acquisition.simulate("dynamic", 128, frames, 1, AngleSchedule.BITREVERSED, "gaussian", 0.005, seed);
		final ParallelBeamProjector a = new ParallelBeamProjector(128, 128, 1, 128, acq.angles);
		final float[] truth = acq.truth.data(), g = acq.sinogram.data();
		final String task = "seed" + seed + "-P" + frames;
		final float[] tv = TomoRecon.run(a, g, new TomoRecon.Params().method(TomoRecon.Method.TV_SPACETIME), Monitor.NONE);
		t.row(task, "tv-spacetime", "recon4d", "psnr", Metrics.psnr(tv, truth), "ssim", Metrics.ssim(tv, truth, 128, 128));
		log.accept(String.format(Locale.ROOT, "%s tv-spacetime: PSNR %.2f dB", task, Metrics.psnr(tv, truth)));
		for (final int[] kd : pairs) {
			final TomoRecon.Params p = redPsm(outer);
			p.psm.rank = kd[0];
			p.psm.latents = kd[1];
			BenchTable.resetPeak();
			final long s = System.nanoTime();
			final float[] x = TomoRecon.psmFrom(a, g, tv, p, Monitor.NONE);
			final double sec = (System.nanoTime() - s) * 1e-9;
			final String method = "red-psm K=" + p.psm.rank + " d=" + p.psm.latents;
			t.row(task, method, "recon4d", "psnr", Metrics.psnr(x, truth), "ssim", Metrics.ssim(x, truth, 128, 128),
				"seconds", sec, "peak_mb", BenchTable.peakMb(), "settings", p.toString());
			log.accept(String.format(Locale.ROOT, "%s %s: PSNR %.2f dB, %.1f s", task, method, Metrics.psnr(x, truth), sec));
		}
		return t;
	}

	/** "KxD,KxD,..." as (K, d) pairs; a malformed pair or d &lt; K + 1 is named in the error. */
	static java.util.List<int[]> parsePairs(final String configs) {
		final java.util.List<int[]> out = new java.util.ArrayList<>();
		for (final String c : configs.split(",")) {
			final String[] kd = c.trim().toLowerCase(Locale.ROOT).split("x");
			final int k, d;
			try {
				if (kd.length != 2) throw new NumberFormatException();
				k = Integer.parseInt(kd[0].trim());
				d = Integer.parseInt(kd[1].trim());
			}
			catch (final NumberFormatException e) {
				throw new IllegalArgumentException("configs= takes KxD pairs such as 8x17, got '" + c.trim() + "'");
			}
			if (k < 1 || d < k + 1) throw new IllegalArgumentException("pair '" + c.trim() + "': rank K=" + k + " needs K >= 1 and at least K+1 latents, got d=" + d);
			out.add(new int[] { k, d });
		}
		return out;
	}

	/** {@code ./recon4d bench redpsm-scale}: RED-PSM at 256 x 256 with 256 frames, a few outer iterations. */
	public static BenchTable runScale(final int scaleOuter, final Consumer<String> log) {
		final BenchTable t = new BenchTable("redpsm-scale", "RED-PSM (K=8, d=17) from the space-time TV result (200 PDHG iterations, included), " + scaleOuter + " outer x 10 inner steps; last iterate");
		scaleRow(t, scaleOuter, log);
		return t;
	}

	static void scaleRow(final BenchTable t, final int scaleOuter, final Consumer<String> log) {
		final Acquisition acq = Acquisition.simulate("dynamic", 256, 256, 1, AngleSchedule.BITREVERSED, "gaussian", 0.005, 1);
		final ParallelBeamProjector a = new ParallelBeamProjector(256, 256, 1, 256, acq.angles);
		final TomoRecon.Params p = redPsm(scaleOuter);
		final long[] outerStart = { 0 };
		final double[] outerSeconds = { 0 };
		BenchTable.resetPeak();
		final long s = System.nanoTime();
		final float[] x = TomoRecon.run(a, acq.sinogram.data(), p, new Monitor() {
			@Override public void iteration(final int k, final int total, final double cost, final float[] f) {
				// PDHG iterations first (total 200), then RED-PSM's outer iterations (total scaleOuter)
				final long now = System.nanoTime();
				if (total == scaleOuter) {
					if (outerStart[0] != 0) outerSeconds[0] += (now - outerStart[0]) * 1e-9;
					log.accept(String.format(Locale.ROOT, "dyn-256-P256 red-psm outer %d/%d", k, total));
				}
				outerStart[0] = now;
			}
		});
		final double sec = (System.nanoTime() - s) * 1e-9;
		t.row("dyn-256-P256", "red-psm", "recon4d", "psnr", Metrics.psnr(x, acq.truth.data()), "ssim", Metrics.ssim(x, acq.truth.data(), 256, 256),
			"seconds", sec, "seconds_per_outer", scaleOuter > 1 ? outerSeconds[0] / (scaleOuter - 1) : Double.NaN, "peak_mb", BenchTable.peakMb(),
			"settings", p.toString() + " (scale run: " + scaleOuter + " outer iterations only)");
		log.accept(String.format(Locale.ROOT, "dyn-256-P256 red-psm: %.1f s for %d outer iterations", sec, scaleOuter));
	}
}
