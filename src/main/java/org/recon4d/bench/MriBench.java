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
import org.recon4d.mri.CoilMaps;
import org.recon4d.mri.Espirit;
import org.recon4d.mri.MriRecon;
import org.recon4d.op.mri.Masks;
import org.recon4d.op.mri.Sense;
import org.recon4d.report.BenchTable;
import org.recon4d.solve.Monitor;
import org.recon4d.util.Parallel;

/**
 * {@code ./recon4d bench mri}: BART and Recon4D side by side on the same data. BART makes the
 * data (its analytic 8-coil Shepp-Logan k-space, {@code bart phantom -x 256 -s 8 -k}, plus complex
 * Gaussian noise from {@code bart noise}); Recon4D makes the masks (fastMRI random 1D at 4x and
 * 8x, a variable-density Poisson disc at 6x), and both tools reconstruct the same undersampled
 * k-space with the same coil maps (BART's {@code ecalib -m1}) and the same iteration counts and
 * lambdas: {@code pics -l2 -r} vs CG-SENSE, {@code pics -R W:3:0:lambda} vs L1-wavelet FISTA,
 * {@code pics -R T:3:0:lambda} vs TV ADMM, plus zero-filled RSS. The L1 and TV lambdas are tuned
 * for each tool by the same rule on a separate data set (BART's geometric phantom with masks of
 * another seed), never on the benchmark data; the tools' regularisers differ in detail (Haar vs
 * BART's wavelets), so one lambda is not the same strength in both. Coil maps are compared separately: ecalib vs Recon4D's ESPIRiT and the ACS
 * estimate, by coherence with BART's true sensitivities ({@code phantom -S 8}); rows
 * {@code recon4d-own-maps} run Recon4D end to end with its own ESPIRiT maps.
 * <p>
 * Reference image: root-sum-of-squares of BART's noiseless coil images ({@code phantom -s 8}).
 * Each magnitude image is aligned to it by one least-squares scalar (BART's pics output stays in
 * its scaled units), then PSNR (peak = reference maximum), SSIM and NRMSE. Times: wall clock with
 * one thread (OMP_NUM_THREADS=1 / Recon4D serial) and with all threads.
 */
public final class MriBench {

	private MriBench() {}

	/** One data set: undersampling-ready k-space, its reference image and true sensitivities. */
	static final class Phantom {
		final float[] k, ref, sens;

		Phantom(final float[] k, final float[] ref, final float[] sens) {
			this.k = k;
			this.ref = ref;
			this.sens = sens;
		}
	}

	/** BART's phantom (flag "" = Shepp-Logan, "-G" = geometric objects) as k-space with noise, RSS reference, true maps. */
	static Phantom phantom(final Path work, final String name, final String flag, final int n, final int coils, final double noiseVar) throws IOException {
		final String x = Integer.toString(n), c = Integer.toString(coils);
		final String[] kArgs = flag.isEmpty() ? new String[] { "phantom", "-x", x, "-s", c, "-k", name + "-k0" } : new String[] { "phantom", flag, "-x", x, "-s", c, "-k", name + "-k0" };
		Bart.run(work, 0, kArgs);
		Bart.run(work, 0, "noise", "-s", "1", "-n", Double.toString(noiseVar), name + "-k0", name + "-kn");
		Bart.run(work, 0, flag.isEmpty() ? new String[] { "phantom", "-x", x, "-s", c, name + "-coil" } : new String[] { "phantom", flag, "-x", x, "-s", c, name + "-coil" });
		Bart.run(work, 0, "phantom", "-x", x, "-S", c, name + "-sens");
		return new Phantom(Cfl.read(work.resolve(name + "-kn")).data, CoilMaps.rss(Cfl.read(work.resolve(name + "-coil")).data, n * n, coils),
			Cfl.read(work.resolve(name + "-sens")).data);
	}

	static float[] undersample(final float[] k, final float[] mask, final int img, final int coils) {
		final float[] ku = k.clone();
		for (int c = 0; c < coils; c++) for (int p = 0; p < img; p++) { ku[2 * (c * img + p)] *= mask[p]; ku[2 * (c * img + p) + 1] *= mask[p]; }
		return ku;
	}

	public static BenchTable run(final int n, final int coils, final int iterations, final double noiseVar, final Path work, final Consumer<String> log)
		throws IOException
	{
		final String version = Bart.version();
		if (version == null) throw new IOException("bart is not installed: run scripts/setup-deps.sh bench (Debian package bart)");
		SafeFiles.deleteTree(work);
		Files.createDirectories(work);
		final int all = Runtime.getRuntime().availableProcessors();
		final BenchTable t = new BenchTable("mri", String.format(Locale.ROOT,
			"%d x %d, %d coils, BART %s (OMP_WAIT_POLICY=passive); %d iterations for every method (TV: %d ADMM iterations, Recon4D %d CG steps each, BART its defaults); " +
			"lambda: sense 0.01; l1-wavelet and tv tuned per tool and task on a separate phantom (BART's geometric phantom -G, other mask seed) over {0.001, 0.005, 0.02, 0.05, 0.2} by PSNR; " +
			"benchmark data: BART's Shepp-Logan; magnitudes aligned to the reference by one least-squares scalar; seconds_1t with one thread, seconds with %d",
			n, n, coils, version, iterations, iterations, new MriRecon.Params().innerCg, all));
		final Phantom bench = phantom(work, "sl", "", n, coils, noiseVar), tune = phantom(work, "geo", "-G", n, coils, noiseVar);
		final int img = n * n;
		// task, mask for the benchmark (seed 42), mask for tuning (seed 7), calibration size
		final Object[][] tasks = {
			{ "cart1d-R4", Masks.lines(Masks.random1d(n, 4, 0.08, 42), n), Masks.lines(Masks.random1d(n, 4, 0.08, 7), n), (int) Math.round(n * 0.08) },
			{ "cart1d-R8", Masks.lines(Masks.random1d(n, 8, 0.04, 42), n), Masks.lines(Masks.random1d(n, 8, 0.04, 7), n), (int) Math.round(n * 0.04) },
			{ "poisson2d", Masks.poissonDisc(n, n, 6, 24, 2, 42), Masks.poissonDisc(n, n, 6, 24, 2, 7), 24 },
		};
		for (final Object[] tk : tasks) {
			final String task = (String) tk[0];
			final float[] mask = (float[]) tk[1], tuneMask = (float[]) tk[2];
			final int calib = (Integer) tk[3];
			final float[] ku = undersample(bench.k, mask, img, coils), kt = undersample(tune.k, tuneMask, img, coils);
			final long[] kdims = { n, n, 1, coils };
			Cfl.write(work.resolve(task + "-k"), kdims, ku, true);
			Cfl.write(work.resolve(task + "-tune-k"), kdims, kt, true);
			final double fraction = Masks.fraction(mask);
			// zero-filled RSS: bart fft -i -u + rss vs ours
			final double[] zfSec = new double[4];
			float[] zfB = null, zfO = null;
			for (int th = 0; th < 2; th++) {
				long s = System.nanoTime();
				Bart.run(work, th == 0 ? 1 : all, "fft", "-i", "-u", "3", task + "-k", task + "-zfc");
				Bart.run(work, th == 0 ? 1 : all, "rss", "8", task + "-zfc", task + "-zf");
				zfSec[th] = (System.nanoTime() - s) * 1e-9;
				Files.deleteIfExists(work.resolve(task + "-zfc.cfl"));
				Files.deleteIfExists(work.resolve(task + "-zfc.hdr"));
				zfB = MriRecon.magnitude(Cfl.read(work.resolve(task + "-zf")).data);
				Files.deleteIfExists(work.resolve(task + "-zf.cfl"));
				Files.deleteIfExists(work.resolve(task + "-zf.hdr"));
				Parallel.setSerial(th == 0);
				try {
					s = System.nanoTime();
					zfO = MriRecon.zeroFilledRss(ku, n, n, coils);
					zfSec[2 + th] = (System.nanoTime() - s) * 1e-9;
				}
				finally {
					Parallel.setSerial(false);
				}
			}
			for (int impl = 0; impl < 2; impl++) {
				final float[] x = align(impl == 0 ? zfB : zfO, bench.ref);
				t.row(task, "zero-filled", impl == 0 ? "bart" : "recon4d", "psnr", Metrics.psnr(x, bench.ref), "ssim", Metrics.ssim(x, bench.ref, n, n),
					"nrmse", Metrics.nrmse(x, bench.ref), "seconds_1t", zfSec[2 * impl], "seconds", zfSec[2 * impl + 1], "sampled", fraction,
					"settings", impl == 0 ? "bart fft -i -u 3 | bart rss 8" : "MriRecon.zeroFilledRss");
			}
			// coil maps: ecalib vs ESPIRiT vs ACS (benchmark data)
			long s0 = System.nanoTime();
			Bart.run(work, 0, "ecalib", "-m1", task + "-k", task + "-maps");
			final double ecalibSec = (System.nanoTime() - s0) * 1e-9;
			Bart.run(work, 0, "ecalib", "-m1", task + "-tune-k", task + "-tune-maps");
			final float[] bartMaps = Cfl.read(work.resolve(task + "-maps")).data, tuneMaps = Cfl.read(work.resolve(task + "-tune-maps")).data;
			s0 = System.nanoTime();
			final float[] acsMaps = CoilMaps.fromCalibration(ku, n, n, coils, Math.max(calib, 8), 0.05);
			final double acsSec = (System.nanoTime() - s0) * 1e-9;
			t.row(task, "coil-maps", "bart", "coherence", CoilMaps.coherence(bartMaps, bench.sens, bench.ref, 0.1, coils), "seconds", ecalibSec, "settings", "ecalib -m1");
			final Espirit.Params ep = new Espirit.Params();
			ep.calib = Math.min(24, calib);
			ep.kernel = Math.min(6, ep.calib / 2);
			s0 = System.nanoTime();
			final float[] ourMaps = Espirit.maps(ku, n, n, coils, ep).maps;
			final double espiritSec = (System.nanoTime() - s0) * 1e-9;
			t.row(task, "coil-maps", "recon4d", "coherence", CoilMaps.coherence(ourMaps, bench.sens, bench.ref, 0.1, coils), "seconds", espiritSec, "settings", ep.toString());
			t.row(task, "coil-maps-acs", "recon4d", "coherence", CoilMaps.coherence(acsMaps, bench.sens, bench.ref, 0.1, coils), "seconds", acsSec,
				"settings", "ACS estimate, calib " + Math.max(calib, 8) + ", Hann window, RSS-normalised");
			log.accept(String.format(Locale.ROOT, "%s maps: ecalib %.1f s, ESPIRiT %.1f s, ACS %.2f s", task, ecalibSec, espiritSec, acsSec));
			final Sense a = new Sense(n, n, coils, 1, bartMaps, mask), own = new Sense(n, n, coils, 1, ourMaps, mask);
			final Sense aTune = new Sense(n, n, coils, 1, tuneMaps, tuneMask);
			for (final String method : new String[] { "sense", "l1-wavelet", "tv" }) {
				// lambda tuned on the separate phantom, for each tool by the same rule
				final String[] grid = method.equals("sense") ? new String[] { "0.01" } : LAMBDAS;
				double bestBart = Double.NEGATIVE_INFINITY, bestOurs = Double.NEGATIVE_INFINITY;
				String lamBart = grid[0], lamOurs = grid[0];
				if (grid.length > 1) for (final String lam : grid) {
					final float[] b = MriRecon.magnitude(Cfl.read(work.resolve(bart(work, task + "-tune", method, lam, iterations, all))).data);
					final double pb = Metrics.psnr(align(b, tune.ref), tune.ref);
					if (pb > bestBart) { bestBart = pb; lamBart = lam; }
					final float[] o = MriRecon.magnitude(MriRecon.run(aTune, kt, params(method, lam, iterations), Monitor.NONE));
					final double po = Metrics.psnr(align(o, tune.ref), tune.ref);
					if (po > bestOurs) { bestOurs = po; lamOurs = lam; }
				}
				// benchmark at the tuned lambdas: one thread, then all
				final double[] bartSec = new double[2], oursSec = new double[2];
				float[] xb = null, xo = null;
				for (int th = 0; th < 2; th++) {
					long s = System.nanoTime();
					final String out = bart(work, task, method, lamBart, iterations, th == 0 ? 1 : all);
					bartSec[th] = (System.nanoTime() - s) * 1e-9;
					xb = MriRecon.magnitude(Cfl.read(work.resolve(out)).data);
					Parallel.setSerial(th == 0);
					try {
						s = System.nanoTime();
						xo = MriRecon.magnitude(MriRecon.run(a, ku, params(method, lamOurs, iterations), Monitor.NONE));
						oursSec[th] = (System.nanoTime() - s) * 1e-9;
					}
					finally {
						Parallel.setSerial(false);
					}
				}
				for (int impl = 0; impl < 2; impl++) {
					final float[] x = align(impl == 0 ? xb : xo, bench.ref);
					final double[] sec = impl == 0 ? bartSec : oursSec;
					t.row(task, method, impl == 0 ? "bart" : "recon4d", "psnr", Metrics.psnr(x, bench.ref), "ssim", Metrics.ssim(x, bench.ref, n, n),
						"nrmse", Metrics.nrmse(x, bench.ref), "lambda", Double.parseDouble(impl == 0 ? lamBart : lamOurs), "seconds_1t", sec[0], "seconds", sec[1],
						"sampled", fraction, "settings", impl == 0 ? "bart " + String.join(" ", picsArgs(task, method, lamBart, iterations))
							: params(method, lamOurs, iterations).toString());
				}
				log.accept(String.format(Locale.ROOT, "%s %s: BART %.2f dB (lambda %s) %.2f s | Recon4D %.2f dB (lambda %s) %.2f s (one thread: %.2f / %.2f s)",
					task, method, Metrics.psnr(align(xb, bench.ref), bench.ref), lamBart, bartSec[1], Metrics.psnr(align(xo, bench.ref), bench.ref), lamOurs,
					oursSec[1], bartSec[0], oursSec[0]));
				// end to end: Recon4D with its own ESPIRiT maps, at its lambda
				final long s = System.nanoTime();
				final float[] xe = align(MriRecon.magnitude(MriRecon.run(own, ku, params(method, lamOurs, iterations), Monitor.NONE)), bench.ref);
				t.row(task, method, "recon4d-own-maps", "psnr", Metrics.psnr(xe, bench.ref), "ssim", Metrics.ssim(xe, bench.ref, n, n), "nrmse", Metrics.nrmse(xe, bench.ref),
					"lambda", Double.parseDouble(lamOurs), "seconds", (System.nanoTime() - s) * 1e-9, "sampled", fraction,
					"settings", params(method, lamOurs, iterations) + ", Recon4D ESPIRiT maps");
			}
		}
		return t;
	}

	/** Regularisation weights tried for L1-wavelet and TV (each tool keeps its best). */
	static final String[] LAMBDAS = { "0.001", "0.005", "0.02", "0.05", "0.2" };

	static MriRecon.Params params(final String method, final String lam, final int iterations) {
		final MriRecon.Params p = new MriRecon.Params();
		p.method = MriRecon.Method.parse(method);
		p.lambda = Double.parseDouble(lam);
		p.iterations = iterations;
		return p;
	}

	static String[] picsArgs(final String task, final String method, final String lam, final int iterations) {
		final String out = task + "-" + method + "-" + lam + "-bart";
		return method.equals("sense")
			? new String[] { "pics", "-l2", "-r", lam, "-i", Integer.toString(iterations), task + "-k", task + "-maps", out }
			: new String[] { "pics", "-R", (method.equals("tv") ? "T" : "W") + ":3:0:" + lam, "-i", Integer.toString(iterations), task + "-k", task + "-maps", out };
	}

	/** Runs bart pics (replacing an earlier output); returns the output's base name. */
	static String bart(final Path work, final String task, final String method, final String lam, final int iterations, final int threads) throws IOException {
		final String[] args = picsArgs(task, method, lam, iterations);
		final String out = args[args.length - 1];
		Files.deleteIfExists(work.resolve(out + ".cfl"));
		Files.deleteIfExists(work.resolve(out + ".hdr"));
		Bart.run(work, threads, args);
		return out;
	}

	/** x scaled by the least-squares scalar that best matches ref. */
	public static float[] align(final float[] x, final float[] ref) {
		double xr = 0, xx = 0;
		for (int i = 0; i < x.length; i++) { xr += (double) x[i] * ref[i]; xx += (double) x[i] * x[i]; }
		final float s = (float) (xx > 0 ? xr / xx : 1);
		final float[] out = new float[x.length];
		for (int i = 0; i < x.length; i++) out[i] = s * x[i];
		return out;
	}

}
