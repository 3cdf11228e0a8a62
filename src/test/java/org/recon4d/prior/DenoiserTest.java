package org.recon4d.prior;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;
import org.recon4d.io.BadFileException;
import org.recon4d.io.Npy;

/** The shipped DnCNN, TorchScript denoisers, and bad weight files. */
class DenoiserTest {

	@Test
	void shippedDnCnnBeatsItsInput() throws Exception {
		try (Denoiser d = Denoisers.load("builtin")) {
			for (final double sigma : new double[] { 0.02, 0.05, 0.1 }) {
				final double[] q = DenoiserTraining.heldOut(d, sigma, 128);
				System.out.printf("DnCNN held-out sigma %.2f: noisy %.2f dB -> denoised %.2f dB%n", sigma, q[0], q[1]);
				assertTrue(q[1] > q[0] + 3, "sigma " + sigma + ": " + q[0] + " -> " + q[1]);
			}
		}
	}

	@Test
	void batchesAreStitchedInOrder() throws Exception {
		// 18 frames of 128 x 128 run as batches of 16 and 2 (2^18 pixels a batch); the last two
		// frames must come out as when they are denoised on their own
		final float[] stack = new org.recon4d.phantom.DynamicPhantom(3).render(128, 18);
		final int frame = 128 * 128;
		try (Denoiser d = Denoisers.load("builtin")) {
			final float[] all = d.denoise(stack, 128, 128);
			final float[] tail = d.denoise(java.util.Arrays.copyOfRange(stack, 16 * frame, 18 * frame), 128, 128);
			double err = 0;
			for (int i = 0; i < tail.length; i++) err = Math.max(err, Math.abs(all[16 * frame + i] - tail[i]));
			assertTrue(err < 1e-5, "batch stitching differs by " + err); // same frames, same weights: only float reordering
		}
	}

	@Test
	void torchScriptDenoiserMatchesPyTorch() throws Exception {
		final Path dir = Paths.get("src/test/resources/torchscript");
		final float[] in = Npy.read(dir.resolve("tiny-probe-in.npy")).data(), expected = Npy.read(dir.resolve("tiny-probe-out.npy")).data();
		try (Denoiser d = Denoisers.load(dir.resolve("tiny-denoiser.pt").toString())) {
			final float[] out = d.denoise(in, 24, 20);
			double err = 0;
			for (int i = 0; i < out.length; i++) err = Math.max(err, Math.abs(out[i] - expected[i]));
			System.out.printf("TorchScript denoiser (%s) vs PyTorch: max abs diff %.2e%n", d.name(), err);
			assertTrue(err < 1e-5, "max abs diff " + err);
			double change = 0;
			for (int i = 0; i < out.length; i++) change = Math.max(change, Math.abs(out[i] - in[i]));
			assertTrue(change > 1e-3, "the model must change its input");
		}
	}

	@Test
	void badWeightFilesAreNamed() {
		final BadFileException a = assertThrows(BadFileException.class, () -> Denoisers.load("/nonexistent/model.pt"));
		assertTrue(a.getMessage().contains("model.pt"), a.getMessage());
		final BadFileException b = assertThrows(BadFileException.class, () -> Denoisers.load("src/test/resources/torchscript/tiny-probe-in.npy.pt"));
		assertTrue(b.getMessage().contains("no such"), b.getMessage());
		final BadFileException c = assertThrows(BadFileException.class, () -> new DnCnnDenoiser(Paths.get("/nonexistent"), "x", 64, 6));
		assertTrue(c.getMessage().contains("x-0000.params"), c.getMessage());
	}
}
