package org.recon4d.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

import org.recon4d.io.Cfl;
import org.recon4d.io.SafeFiles;
import org.recon4d.metrics.Metrics;
import org.recon4d.mri.Bart;
import org.recon4d.mri.DynamicMri;
import org.recon4d.mri.MriRecon;
import org.recon4d.report.BenchTable;
import org.recon4d.solve.Monitor;

/**
 * {@code ./recon4d bench mri-dynamic}: golden-angle radial dynamic MRI of the cardiac phantom,
 * Recon4D and BART on the same k-space, trajectory and (true, simulated) coil maps: frame-by-frame
 * SENSE ({@code pics -l2}), space-time TV ({@code pics -R T:1027:0:lambda}, x, y and time; Recon4D
 * weights time differences by its time weight), and Recon4D's PSM and RED-PSM (the shipped
 * denoiser on frame magnitudes) started from its TV result.
 * Lambdas: tuned for each tool by the same rule on a separate phantom (other heart and breathing
 * rates, other noise), never on the benchmark data. Metrics on the
 * magnitude over all frames after one least-squares scale.
 */
public final class MriDynamicBench {

	private MriDynamicBench() {}

	static final String[] LAMBDAS = { "0.0005", "0.002", "0.01", "0.05" };

	/** bart pics on prefix-k / prefix-traj / prefix-maps; returns the output's base name. */
	static String pics(final Path work, final String prefix, final String method, final String lam, final int iterations) throws IOException {
		final String out = prefix + "-" + method + "-" + lam;
		Files.deleteIfExists(work.resolve(out + ".cfl"));
		Files.deleteIfExists(work.resolve(out + ".hdr"));
		final String it = Integer.toString(iterations);
		if (method.equals("frame-sense")) Bart.run(work, 0, "pics", "-t", prefix + "-traj", "-l2", "-r", lam, "-i", it, prefix + "-k", prefix + "-maps", out);
		else Bart.run(work, 0, "pics", "-t", prefix + "-traj", "-R", "T:1027:0:" + lam, "-i", it, prefix + "-k", prefix + "-maps", out);
		return out;
	}

	public static BenchTable run(final int n, final int frames, final int coils, final int spokes, final int iterations, final Path work,
		final Consumer<String> log) throws IOException
	{
		final String version = Bart.version();
		if (version == null) throw new IOException("bart is not installed: run scripts/setup-deps.sh bench (Debian package bart)");
		SafeFiles.deleteTree(work);
		Files.createDirectories(work);
		final String task = String.format(Locale.ROOT, "cardiac-%d-P%d-c%d-s%d", n, frames, coils, spokes);
		final BenchTable t = new BenchTable("mri-dynamic", String.format(Locale.ROOT,
			"cardiac phantom %d x %d, %d frames, %d coils (true maps for both tools), %d golden-angle spokes per frame (%d samples each), noise 0.2%% of the largest sample; " +
			"%d iterations (TV: ADMM, Recon4D 5 CG steps each); lambda tuned per tool on a separate phantom (2 beats, 1.5 breaths, other noise) over {0.0005, 0.002, 0.01, 0.05}; Recon4D time weight 4; BART %s",
			n, n, frames, coils, spokes, n, iterations, version));
		final DynamicMri.Data d = DynamicMri.simulate(n, frames, coils, spokes, 0.002, 1);
		final float[] truth = MriRecon.magnitude(d.truth);
		// BART arrays: k [1, samples, spokes, coils, 1 x 6, frames], traj [3, samples, spokes, 1 x 7, frames], maps [n, n, 1, coils]
		DynamicMri.writeBart(d, coils, work.resolve("d"), true);
		final DynamicMri.Params p = new DynamicMri.Params();
		p.iterations = iterations;
		p.rank = 10;     // 3 heartbeats and a breath over 20 frames need more components and latents than K=6, d=9
		p.latents = Math.min(16, frames);
		// tuning data: another phantom (2 beats, 1.5 breaths) and noise seed, never the benchmark data
		final DynamicMri.Data tune = DynamicMri.simulate(new org.recon4d.phantom.CardiacPhantom(2, 1.5), n, frames, coils, spokes, 0.002, 2);
		DynamicMri.writeBart(tune, coils, work.resolve("tune"), true);
		final float[] tuneTruth = MriRecon.magnitude(tune.truth);
		float[] bestTv = null;
		for (final String method : new String[] { "frame-sense", "tv-spacetime" }) {
			final String[] grid = method.equals("frame-sense") ? new String[] { "0.01" } : LAMBDAS;
			double bestB = Double.NEGATIVE_INFINITY, bestO = Double.NEGATIVE_INFINITY;
			String lamB = grid[0], lamO = grid[0];
			if (grid.length > 1) for (final String lam : grid) {
				final float[] xb = MriBench.align(MriRecon.magnitude(Cfl.read(work.resolve(pics(work, "tune", method, lam, iterations))).data), tuneTruth);
				final double pb = Metrics.psnr(xb, tuneTruth);
				if (pb > bestB) { bestB = pb; lamB = lam; }
				p.lambda = Double.parseDouble(lam);
				final double po = Metrics.psnr(MriBench.align(MriRecon.magnitude(DynamicMri.reconstruct(tune.op, tune.kspace, method, p, Monitor.NONE)), tuneTruth), tuneTruth);
				if (po > bestO) { bestO = po; lamO = lam; }
				log.accept(String.format(Locale.ROOT, "tuning %s lambda %s: BART %.2f dB, Recon4D %.2f dB", method, lam, pb, po));
			}
			final long s0 = System.nanoTime();
			final float[] xb = MriBench.align(MriRecon.magnitude(Cfl.read(work.resolve(pics(work, "d", method, lamB, iterations))).data), truth);
			final double secB = (System.nanoTime() - s0) * 1e-9;
			p.lambda = Double.parseDouble(lamO);
			final long s1 = System.nanoTime();
			final float[] ro = DynamicMri.reconstruct(d.op, d.kspace, method, p, Monitor.NONE);
			final double secO = (System.nanoTime() - s1) * 1e-9;
			if (method.equals("tv-spacetime")) bestTv = ro;
			final float[] xo = MriBench.align(MriRecon.magnitude(ro), truth);
			t.row(task, method, "bart", "psnr", Metrics.psnr(xb, truth), "ssim", Metrics.ssim(xb, truth, n, n), "nrmse", Metrics.nrmse(xb, truth), "seconds", secB,
				"lambda", Double.parseDouble(lamB), "settings", method.equals("frame-sense") ? "pics -t traj -l2 -r " + lamB : "pics -t traj -R T:1027:0:" + lamB);
			t.row(task, method, "recon4d", "psnr", Metrics.psnr(xo, truth), "ssim", Metrics.ssim(xo, truth, n, n), "nrmse", Metrics.nrmse(xo, truth), "seconds", secO,
				"lambda", Double.parseDouble(lamO), "settings", p.toString());
			log.accept(String.format(Locale.ROOT, "%s %s: BART %.2f dB (lambda %s, %.1f s), Recon4D %.2f dB (lambda %s, %.1f s)", task, method,
				Metrics.psnr(xb, truth), lamB, secB, Metrics.psnr(xo, truth), lamO, secO));
		}
		final long s2 = System.nanoTime();
		final float[] xp = MriBench.align(MriRecon.magnitude(DynamicMri.psm(d.op, d.kspace, bestTv, p, Monitor.NONE)), truth);
		final double sp = (System.nanoTime() - s2) * 1e-9;
		t.row(task, "psm", "recon4d", "psnr", Metrics.psnr(xp, truth), "ssim", Metrics.ssim(xp, truth, n, n), "seconds", sp,
			"settings", p + ", from the best tv-spacetime result (its time not included)");
		log.accept(String.format(Locale.ROOT, "%s psm: %.2f dB (%.1f s)", task, Metrics.psnr(xp, truth), sp));
		final long s3 = System.nanoTime();
		final float[] xr = MriBench.align(MriRecon.magnitude(DynamicMri.redPsm(d.op, d.kspace, bestTv, p, Monitor.NONE)), truth);
		final double sr = (System.nanoTime() - s3) * 1e-9;
		t.row(task, "red-psm", "recon4d", "psnr", Metrics.psnr(xr, truth), "ssim", Metrics.ssim(xr, truth, n, n), "seconds", sr,
			"settings", String.format(Locale.ROOT, "%s, %d outer x 10 steps, lambda %g, beta %g, denoiser %s on magnitudes, from the best tv-spacetime result",
				p, p.redOuter, p.redLambda, p.redBeta, p.denoiser));
		log.accept(String.format(Locale.ROOT, "%s red-psm: %.2f dB (%.1f s)", task, Metrics.psnr(xr, truth), sr));
		return t;
	}
}
