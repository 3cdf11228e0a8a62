package org.recon4d.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.recon4d.io.Npy;
import org.recon4d.metrics.Metrics;
import org.recon4d.op.tomo.ParallelBeamProjector;
import org.recon4d.phantom.AngleSchedule;
import org.recon4d.phantom.SheppLogan;
import org.recon4d.report.BenchTable;
import org.recon4d.solve.Fbp;

/**
 * {@code ./recon4d bench tomo}: forward projection, backprojection and ramp FBP at N x N with 180
 * angles, side by side with scikit-image's radon/iradon on the same phantom, interleaved in rounds
 * (Recon4D block, then scikit-image block) so both see the same machine load. Seconds are medians.
 * Each implementation reconstructs from its own forward projection of the Shepp-Logan phantom
 * (no noise); PSNR and SSIM are against the phantom.
 */
public final class TomoBench {

	private TomoBench() {}

	public static BenchTable run(final int[] sizes, final int angles, final int rounds, final int reps, final Path work,
		final String python, final Consumer<String> log) throws IOException, InterruptedException
	{
		final BenchTable table = new BenchTable("tomo", angles + " angles over [0, 180), median of " + rounds + "x" + reps +
			" runs per implementation, rounds interleaved; detector = N bins (circle geometry, as skimage circle=True)");
		Files.createDirectories(work);
		for (final int n : sizes) {
			final String tag = n + "-" + angles;
			final float[] phantom = SheppLogan.image(n);
			final Path ph = work.resolve("phantom-" + n + ".npy");
			Npy.write(ph, phantom, new long[] { n, n }, true);
			final ParallelBeamProjector a = ParallelBeamProjector.of(n, n, AngleSchedule.LINEAR.angles(1, angles)[0]);
			final float[] sino = a.apply(phantom);
			final float[] bp = new float[a.domainSize()], fp = new float[a.rangeSize()];
			final List<Double> tf = new ArrayList<>(), tb = new ArrayList<>(), tr = new ArrayList<>();
			final List<Double> sf = new ArrayList<>(), sb = new ArrayList<>(), sr = new ArrayList<>();
			float[] rec = null;
			double javaPeak = 0, pyPeak = 0;
			for (int r = 0; r < rounds; r++) {
				BenchTable.resetPeak();
				final int warm = r == 0 ? 5 : 0; // JIT warm-up in round 0, not timed
				for (int k = 0; k < reps + warm; k++) {
					final long t = System.nanoTime();
					a.apply(phantom, fp);
					if (k >= warm) tf.add((System.nanoTime() - t) * 1e-9);
				}
				for (int k = 0; k < reps + warm; k++) {
					final long t = System.nanoTime();
					a.adjoint(sino, bp);
					if (k >= warm) tb.add((System.nanoTime() - t) * 1e-9);
				}
				for (int k = 0; k < reps + warm; k++) {
					final long t = System.nanoTime();
					rec = Fbp.reconstruct(a, sino, Fbp.Filter.RAMP);
					if (k >= warm) tr.add((System.nanoTime() - t) * 1e-9);
				}
				javaPeak = Math.max(javaPeak, BenchTable.peakMb());
				final String out = runPython(python, ph, angles, reps, work);
				sf.add(field(out, "forward"));
				sb.add(field(out, "adjoint"));
				sr.add(field(out, "fbp"));
				pyPeak = Math.max(pyPeak, field(out, "peak_mb"));
				log.accept(String.format(Locale.ROOT, "N=%d round %d: recon4d fbp %.4f s, skimage fbp %.4f s", n, r + 1, median(tr), sr.get(sr.size() - 1)));
			}
			final float[] sk = Npy.read(work.resolve("skimage_fbp.npy")).data();
			final double mf = median(tf), mb = median(tb), mr = median(tr), pf = median(sf), pb = median(sb), pr = median(sr);
			table.row("fbp-" + tag, "fbp-ramp", "recon4d", "psnr", Metrics.psnr(rec, phantom), "ssim", Metrics.ssim(rec, phantom, n, n),
				"seconds", mr, "speedup", pr / mr, "peak_mb", javaPeak);
			table.row("fbp-" + tag, "fbp-ramp", "skimage", "psnr", Metrics.psnr(sk, phantom), "ssim", Metrics.ssim(sk, phantom, n, n),
				"seconds", pr, "peak_mb", pyPeak);
			table.row("project-" + tag, "forward", "recon4d", "seconds", mf, "speedup", pf / mf);
			table.row("project-" + tag, "forward", "skimage", "seconds", pf);
			table.row("backproject-" + tag, "adjoint", "recon4d", "seconds", mb, "speedup", pb / mb);
			table.row("backproject-" + tag, "adjoint", "skimage", "seconds", pb);
		}
		return table;
	}

	static String runPython(final String python, final Path phantom, final int angles, final int reps, final Path work) throws IOException, InterruptedException {
		final Path script = Path.of(System.getProperty("recon4d.home", "."), "scripts", "bench_skimage.py");
		if (!Files.exists(script)) throw new IOException(script.toAbsolutePath() + " not found (set -Drecon4d.home to the Recon4D folder)");
		final Process p = new ProcessBuilder(python, script.toString(), phantom.toString(), Integer.toString(angles), Integer.toString(reps), work.toString())
			.redirectErrorStream(true).start();
		final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (p.waitFor() != 0) throw new IOException("scikit-image reference failed (is Debian's python3-skimage installed?):\n" + out);
		return out;
	}

	static double field(final String json, final String key) throws IOException {
		final Matcher m = Pattern.compile("\"" + key + "\": ([0-9.eE+-]+)").matcher(json);
		if (!m.find()) throw new IOException("no '" + key + "' in reference output: " + json);
		return Double.parseDouble(m.group(1));
	}

	static double median(final List<Double> v) {
		final double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return a.length == 0 ? Double.NaN : a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
	}

	public static int[] parseSizes(final String s) {
		return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).mapToInt(Integer::parseInt).toArray();
	}
}
