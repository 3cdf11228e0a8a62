package org.recon4d.metrics;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recon4d.io.Npy;
import org.recon4d.phantom.DynamicPhantom;
import org.recon4d.phantom.Noise;
import org.recon4d.testutil.Python;

/** PSNR and SSIM: closed forms, and agreement with scikit-image on the same arrays. */
class MetricsTest {

	@TempDir Path tmp;

	@Test
	void closedForms() {
		final float[] ref = new float[1000], x = new float[1000];
		for (int i = 0; i < ref.length; i++) { ref[i] = i % 2; x[i] = ref[i] + 0.1f; }
		assertEquals(20.0, Metrics.psnr(x, ref), 1e-5); // range 1, mse 0.01
		assertEquals(1.0, Metrics.ssim(ref, ref, 40, 25), 1e-12);
	}

	@Test
	void agreesWithScikitImage() throws Exception {
		final float[] ref = new DynamicPhantom(2).render(40, 3);
		final float[] x = Noise.gaussian(ref, 0.05, 9);
		Npy.write(tmp.resolve("x.npy"), x, new long[] { 40, 40, 3 }, false);
		Npy.write(tmp.resolve("ref.npy"), ref, new long[] { 40, 40, 3 }, false);
		final String out = Python.run("ssim_reference.py", tmp.resolve("x.npy").toString(), tmp.resolve("ref.npy").toString());
		final double ssim = Double.parseDouble(out.replaceAll("(?s).*\"ssim\": ([0-9.eE+-]+).*", "$1"));
		final double psnr = Double.parseDouble(out.replaceAll("(?s).*\"psnr\": ([0-9.eE+-]+).*", "$1"));
		System.out.printf("SSIM recon4d %.6f skimage %.6f; PSNR %.4f vs %.4f%n", Metrics.ssim(x, ref, 40, 40), ssim, Metrics.psnr(x, ref), psnr);
		assertEquals(ssim, Metrics.ssim(x, ref, 40, 40), 1e-4);
		assertEquals(psnr, Metrics.psnr(x, ref), 1e-3);
	}

	@org.junit.jupiter.api.Test
	void ssimInsideAMaskIgnoresTheBackground() {
		final int n = 48;
		final float[] ref = new float[n * n], x = new float[n * n];
		final boolean[] inside = new boolean[n * n], all = new boolean[n * n];
		final java.util.SplittableRandom r = new java.util.SplittableRandom(3);
		for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) {
			final int q = j * n + i;
			final boolean in = Math.hypot(i - 23.5, j - 23.5) < 14;
			ref[q] = in ? 0.5f + 0.3f * (float) Math.sin(i * 0.4) : 0;
			x[q] = ref[q] + (in ? 0.01f : 0.08f) * (float) (r.nextDouble() - 0.5);
			inside[q] = Math.hypot(i - 23.5, j - 23.5) < 8;
			all[q] = true;
		}
		org.junit.jupiter.api.Assertions.assertEquals(Metrics.ssim(x, ref, n, n), Metrics.ssim(x, ref, n, n, all), 1e-12);
		final double whole = Metrics.ssim(x, ref, n, n), object = Metrics.ssim(x, ref, n, n, inside);
		org.junit.jupiter.api.Assertions.assertTrue(object > 0.99 && whole < 0.9, "object " + object + " whole " + whole);
	}
}
