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

	/**
	 * The artefact denoiser (RED-PSM's default for tomography) on a sequence it never saw (seed 3;
	 * training used seeds 1000.. and 2000..): it must lift a space-time TV result, leave true frames
	 * nearly alone (RED's fixed points sit near its own), and still remove Gaussian noise.
	 */
	@Test
	void artefactDenoiserLiftsTvAndKeepsCleanFrames() throws Exception {
		// the network knows the artefacts of 128 one-view frames (at 32 frames TV is ~20 dB and its
		// errors are of another kind): a full 128-frame sequence, every 8th frame scored
		final int n = 128, frames = 128, every = 8;
		final org.recon4d.phantom.Acquisition acq = org.recon4d.phantom.Acquisition.simulate("dynamic", n, frames, 1,
			org.recon4d.phantom.AngleSchedule.BITREVERSED, "gaussian", 0.005, 3);
		final org.recon4d.op.tomo.ParallelBeamProjector a = new org.recon4d.op.tomo.ParallelBeamProjector(n, n, 1, n, acq.angles);
		final float[] tvAll = org.recon4d.solve.TomoRecon.run(a, acq.sinogram.data(),
			new org.recon4d.solve.TomoRecon.Params().method(org.recon4d.solve.TomoRecon.Method.TV_SPACETIME), org.recon4d.solve.Monitor.NONE);
		final float[] truth = new float[frames / every * n * n], tv = new float[truth.length];
		for (int f = 0; f < frames / every; f++) {
			System.arraycopy(acq.truth.data(), f * every * n * n, truth, f * n * n, n * n);
			System.arraycopy(tvAll, f * every * n * n, tv, f * n * n, n * n);
		}
		try (Denoiser d = Denoisers.load("artefact")) {
			final double before = org.recon4d.metrics.Metrics.psnr(tv, truth), after = org.recon4d.metrics.Metrics.psnr(d.denoise(tv, n, n), truth);
			final double clean = org.recon4d.metrics.Metrics.psnr(d.denoise(truth, n, n), truth);
			final double[] q = DenoiserTraining.heldOut(d, 0.05, n);
			System.out.printf("artefact DnCNN: TV %.2f -> %.2f dB; true frames kept at %.2f dB; Gaussian sigma 0.05 %.2f -> %.2f dB%n", before, after, clean, q[0], q[1]);
			// measured +0.88 dB and 42.8 dB here; the bars leave room for libtorch's last-bit differences
			// across machines while failing the Gaussian network (+0.4 dB on TV at P = 128)
			assertTrue(after > before + 0.5, "TV " + before + " -> " + after);
			assertTrue(clean > 35, "true frames changed to " + clean + " dB");
			assertTrue(q[1] > q[0] + 3, "Gaussian " + q[0] + " -> " + q[1]);
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
