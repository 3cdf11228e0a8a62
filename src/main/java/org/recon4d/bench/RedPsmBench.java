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
			"last iterate after a fixed budget: fbp sliding window 32; tv-spacetime 200 PDHG iterations; psm and red-psm start from that tv-spacetime result (its time included) and take %d outer x %d inner steps (K=6, d=9 at P=128; K=10, d=11 at P=256); no oracle stopping",
			outer, new TomoRecon.Params().psm.innerSteps));
		for (final int frames : new int[] { 128, 256 }) {
			final String task = "dyn-128-P" + frames;
			final Acquisition acq = Acquisition.simulate("dynamic", 128, frames, 1, AngleSchedule.BITREVERSED, "gaussian", 0.005, 1);
			final ParallelBeamProjector a = new ParallelBeamProjector(128, 128, 1, 128, acq.angles);
			final float[] truth = acq.truth.data(), g = acq.sinogram.data();
			for (final String method : new String[] { "fbp", "tv-spacetime", "psm", "red-psm" }) {
				final TomoRecon.Params p = method.equals("red-psm") ? redPsm(outer) : new TomoRecon.Params().method(TomoRecon.Method.parse(method));
				if (method.equals("psm")) p.psm.outer = outer;
				if (frames >= 256) { p.psm.rank = 10; p.psm.latents = 11; } // the paper's code: K=10, d=11 for P=256; K=6, d=9 for P=128
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

	/** {@code ./recon4d bench redpsm-scale}: RED-PSM at 256 x 256 with 256 frames, a few outer iterations. */
	public static BenchTable runScale(final int scaleOuter, final Consumer<String> log) {
		final BenchTable t = new BenchTable("redpsm-scale", "RED-PSM (K=10, d=11) from the space-time TV result (200 PDHG iterations, included), " + scaleOuter + " outer x 10 inner steps; last iterate");
		scaleRow(t, scaleOuter, log);
		return t;
	}

	static void scaleRow(final BenchTable t, final int scaleOuter, final Consumer<String> log) {
		final Acquisition acq = Acquisition.simulate("dynamic", 256, 256, 1, AngleSchedule.BITREVERSED, "gaussian", 0.005, 1);
		final ParallelBeamProjector a = new ParallelBeamProjector(256, 256, 1, 256, acq.angles);
		final TomoRecon.Params p = redPsm(scaleOuter);
		p.psm.rank = 10;
		p.psm.latents = 11;
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
