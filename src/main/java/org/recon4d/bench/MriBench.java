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
 * {@code pics -R T:3:0:lambda} vs TV ADMM. The L1 and TV lambdas are picked per tool from a small
 * grid by PSNR against the reference (the same oracle for both: the tools' regularisers differ
 * in detail, Haar vs BART's wavelets, so one lambda is not the same strength in both). Coil maps are compared separately: ecalib vs Recon4D's ESPIRiT and the ACS
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

	public static BenchTable run(final int n, final int coils, final int iterations, final double noiseVar, final Path work, final Consumer<String> log)
		throws IOException
	{
		final String version = Bart.version();
		if (version == null) throw new IOException("bart is not installed: run scripts/setup-deps.sh bench (Debian package bart)");
		SafeFiles.deleteTree(work);
		Files.createDirectories(work);
		final int all = Runtime.getRuntime().availableProcessors();
		final BenchTable t = new BenchTable("mri", String.format(Locale.ROOT,
			"%d x %d, %d coils, BART %s; %d iterations for every method (TV: %d ADMM iterations, Recon4D 5 CG steps each, BART its defaults); lambda: sense 0.01, l1-wavelet and tv the best of {0.001, 0.005, 0.02, 0.05, 0.2} for each tool by PSNR (BART-scaled data); " +
			"magnitudes aligned to the reference by one least-squares scalar; seconds_1t with one thread, seconds with %d",
			n, n, coils, version, iterations, iterations, all));
		Bart.run(work, 0, "phantom", "-x", Integer.toString(n), "-s", Integer.toString(coils), "-k", "k0");
		Bart.run(work, 0, "noise", "-s", "1", "-n", Double.toString(noiseVar), "k0", "k");
		Bart.run(work, 0, "phantom", "-x", Integer.toString(n), "-s", Integer.toString(coils), "coil");
		Bart.run(work, 0, "phantom", "-x", Integer.toString(n), "-S", Integer.toString(coils), "sens");
		final float[] k = Cfl.read(work.resolve("k")).data, trueMaps = Cfl.read(work.resolve("sens")).data;
		final float[] ref = CoilMaps.rss(Cfl.read(work.resolve("coil")).data, n * n, coils);
		final Object[][] masks = {
			{ "r4", Masks.lines(Masks.random1d(n, 4, 0.08, 42), n), (int) Math.round(n * 0.08) },
			{ "r8", Masks.lines(Masks.random1d(n, 8, 0.04, 42), n), (int) Math.round(n * 0.04) },
			{ "pd6", Masks.poissonDisc(n, n, 6, 24, 2, 42), 24 },
		};
		final String[][] methods = { { "sense", "0.01" }, { "l1-wavelet", "0.005" }, { "tv", "0.005" } };
		for (final Object[] m : masks) {
			final String task = "mri-" + n + "-c" + coils + "-" + m[0];
			final float[] mask = (float[]) m[1];
			final int calib = (Integer) m[2];
			final float[] ku = k.clone();
			for (int c = 0; c < coils; c++) for (int p = 0; p < n * n; p++) { ku[2 * (c * n * n + p)] *= mask[p]; ku[2 * (c * n * n + p) + 1] *= mask[p]; }
			final long[] kdims = { n, n, 1, coils };
			Cfl.write(work.resolve(task + "-k"), kdims, ku, true);
			// coil maps
			long s0 = System.nanoTime();
			Bart.run(work, 0, "ecalib", "-m1", task + "-k", task + "-maps");
			final double ecalibSec = (System.nanoTime() - s0) * 1e-9;
			final float[] bartMaps = Cfl.read(work.resolve(task + "-maps")).data;
			s0 = System.nanoTime();
			final float[] acsMaps = CoilMaps.fromCalibration(ku, n, n, coils, Math.max(calib, 8), 0.05);
			final double acsSec = (System.nanoTime() - s0) * 1e-9;
			t.row(task, "coil-maps", "bart", "coherence", CoilMaps.coherence(bartMaps, trueMaps, ref, 0.1, coils), "seconds", ecalibSec, "settings", "ecalib -m1");
			final Espirit.Params ep = new Espirit.Params();
			ep.calib = Math.min(24, calib);
			ep.kernel = Math.min(6, ep.calib / 2);
			s0 = System.nanoTime();
			final float[] ourMaps = Espirit.maps(ku, n, n, coils, ep).maps;
			final double espiritSec = (System.nanoTime() - s0) * 1e-9;
			t.row(task, "coil-maps", "recon4d", "coherence", CoilMaps.coherence(ourMaps, trueMaps, ref, 0.1, coils), "seconds", espiritSec, "settings", ep.toString());
			t.row(task, "coil-maps-acs", "recon4d", "coherence", CoilMaps.coherence(acsMaps, trueMaps, ref, 0.1, coils), "seconds", acsSec,
				"settings", "ACS estimate, calib " + Math.max(calib, 8) + ", Hann window, RSS-normalised");
			log.accept(String.format(Locale.ROOT, "%s maps: ecalib %.1f s, ESPIRiT %.1f s, ACS %.2f s", task, ecalibSec, espiritSec, acsSec));
			final Sense own = new Sense(n, n, coils, 1, ourMaps, mask);
			final Sense a = new Sense(n, n, coils, 1, bartMaps, mask);
			final double fraction = Masks.fraction(mask);
			for (final String[] me : methods) {
				final String method = me[0];
				// lambda: the grid's best for each tool by PSNR against the reference (both tools alike)
				final String[] grid = method.equals("sense") ? new String[] { me[1] } : LAMBDAS;
				double bestBart = Double.NEGATIVE_INFINITY, bestOurs = Double.NEGATIVE_INFINITY;
				String lamBart = grid[0], lamOurs = grid[0];
				float[] xb = null, xo = null;
				for (final String lam : grid) {
					final float[] b = MriRecon.magnitude(Cfl.read(work.resolve(bart(work, task, method, lam, iterations, all))).data);
					final double pb = Metrics.psnr(align(b, ref), ref);
					if (pb > bestBart) { bestBart = pb; lamBart = lam; xb = b; }
					final float[] o = MriRecon.magnitude(MriRecon.run(a, ku, params(method, lam, iterations), Monitor.NONE));
					final double po = Metrics.psnr(align(o, ref), ref);
					if (po > bestOurs) { bestOurs = po; lamOurs = lam; xo = o; }
				}
				// timing at the chosen lambdas: one thread, then all
				final double[] bartSec = new double[2], oursSec = new double[2];
				for (int th = 0; th < 2; th++) {
					long s = System.nanoTime();
					bart(work, task, method, lamBart, iterations, th == 0 ? 1 : all);
					bartSec[th] = (System.nanoTime() - s) * 1e-9;
					Parallel.setSerial(th == 0);
					try {
						s = System.nanoTime();
						MriRecon.run(a, ku, params(method, lamOurs, iterations), Monitor.NONE);
						oursSec[th] = (System.nanoTime() - s) * 1e-9;
					}
					finally {
						Parallel.setSerial(false);
					}
				}
				for (int impl = 0; impl < 2; impl++) {
					final float[] x = align(impl == 0 ? xb : xo, ref);
					final double[] sec = impl == 0 ? bartSec : oursSec;
					t.row(task, method, impl == 0 ? "bart" : "recon4d", "psnr", Metrics.psnr(x, ref), "ssim", Metrics.ssim(x, ref, n, n),
						"nrmse", Metrics.nrmse(x, ref), "lambda", Double.parseDouble(impl == 0 ? lamBart : lamOurs), "seconds_1t", sec[0], "seconds", sec[1],
						"sampled", fraction, "settings", impl == 0 ? "bart " + String.join(" ", picsArgs(task, method, lamBart, iterations))
							: params(method, lamOurs, iterations).toString());
				}
				log.accept(String.format(Locale.ROOT, "%s %s: BART %.2f dB (lambda %s) %.2f s | Recon4D %.2f dB (lambda %s) %.2f s (one thread: %.2f / %.2f s)",
					task, method, bestBart, lamBart, bartSec[1], bestOurs, lamOurs, oursSec[1], bartSec[0], oursSec[0]));
				// end to end: Recon4D with its own ESPIRiT maps, at its lambda
				final long s = System.nanoTime();
				final float[] xe = align(MriRecon.magnitude(MriRecon.run(own, ku, params(method, lamOurs, iterations), Monitor.NONE)), ref);
				t.row(task, method, "recon4d-own-maps", "psnr", Metrics.psnr(xe, ref), "ssim", Metrics.ssim(xe, ref, n, n), "nrmse", Metrics.nrmse(xe, ref),
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
