package org.recon4d.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recon4d.io.BadFileException;
import org.recon4d.phantom.BrainVolume;
import org.recon4d.phantom.Noise;
import org.recon4d.solve.Monitor;
import org.recon4d.util.Vec;

class ScoreNetTest {

	static float[] random(final int n, final double scale, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] x = new float[n];
		for (int i = 0; i < n; i++) x[i] = (float) (scale * Noise.gauss(r));
		return x;
	}

	@Test
	void torchScriptScoreModelsInEveryContractGiveTheExactGaussianDenoiser() throws IOException {
		final int h = 6, w = 5, b = 3;
		final float[] mean = new float[h * w], var = new float[h * w];
		java.util.Arrays.fill(mean, 0.4f);
		java.util.Arrays.fill(var, 0.05f);
		final GaussianPrior exact = new GaussianPrior(mean, var);
		for (final TorchScriptScore.Contract c : TorchScriptScore.Contract.values()) {
			try (TorchScriptScore m = new TorchScriptScore(Paths.get("src/test/resources/diffusion/gaussian-" + c.label() + ".pt"), c).chunk(2)) {
				for (final double sigma : new double[] { 0.02, 0.3, 3, 40 }) {
					final float[] x = random(b * h * w, Math.hypot(0.22, sigma), 7);
					final float[] want = exact.denoise(x, b, h, w, sigma), got = m.denoise(x, b, h, w, sigma);
					double err = 0;
					for (int i = 0; i < x.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]));
					// eps-vp passes through z = a x and D = x - sigma eps: float32 cancellation grows with sigma
					assertTrue(err < 2e-5 * Math.max(1, sigma * sigma), c.label() + " at sigma " + sigma + ": max error " + err);
				}
			}
		}
		assertThrows(IllegalArgumentException.class, () -> TorchScriptScore.Contract.parse("x0-vp"));
	}

	@Test
	void malformedModelFilesAreRejectedWithTheirName(@TempDir final Path dir) throws IOException {
		final Path junk = dir.resolve("junk.pt");
		Files.writeString(junk, "not a model");
		final BadFileException e = assertThrows(BadFileException.class, () -> new TorchScriptScore(junk, TorchScriptScore.Contract.DENOISER));
		assertTrue(e.getMessage().contains("junk.pt"), e.getMessage());
		final Path npz = dir.resolve("junk.npz");
		Files.writeString(npz, "PK not really");
		assertThrows(BadFileException.class, () -> ScoreNet.load(npz));
		assertThrows(BadFileException.class, () -> ScoreNet.load(dir.resolve("missing.npz")));
		// an unrolled-network checkpoint is not a score network
		assertThrows(BadFileException.class, () -> ScoreNet.load(Paths.get("src/test/resources/unrolled/e2e-varnet.npz")));
	}

	@Test
	void untrainedNetworkIsTheLinearShrinkageAndRoundTrips(@TempDir final Path dir) throws IOException {
		try (ScoreNet net = new ScoreNet(ScoreNet.Config.tiny(), 3)) {
			final int h = 12, w = 10, b = 2;
			final float[] x = random(b * h * w, 1, 1);
			final double sigma = 0.7, sd = net.config().sigmaData();
			final float[] d = net.denoise(x, b, h, w, sigma);
			for (int i = 0; i < x.length; i++) assertEquals(sd * sd / (sd * sd + sigma * sigma) * x[i], d[i], 1e-6);
			// perturb the output layer so the network is not linear, save, load, compare
			net.params().get("out.weight").set(random(72, 0.3, 5));
			final float[] before = net.denoise(x, b, h, w, sigma);
			final Path f = dir.resolve("score.npz");
			net.save(f, false, false);
			try (ScoreNet back = ScoreNet.load(f)) {
				assertArrayEquals(before, back.denoise(x, b, h, w, sigma));
				assertEquals(net.params().count(), back.params().count());
			}
			assertThrows(IOException.class, () -> net.save(f, false, false), "an existing file is not overwritten");
		}
	}

	@Test
	void vectorJacobianProductMatchesFiniteDifferences() {
		try (ScoreNet net = new ScoreNet(ScoreNet.Config.tiny(), 4)) {
			net.params().get("out.weight").set(random(72, 0.3, 6));
			final int h = 8, w = 8, b = 3;
			final double sigma = 0.4;
			final float[] x = random(b * h * w, 0.6, 2), v = random(b * h * w, 1, 3), dir = random(b * h * w, 1, 4);
			net.chunk(2);
			final float[][] dg = net.denoiseVjp(x, b, h, w, sigma, d -> v);
			assertArrayEquals(net.denoise(x, b, h, w, sigma), dg[0], 1e-6f);
			// <v, J dir> by central differences = <J^T v, dir>
			final double eps = 1e-2;
			final float[] xp = x.clone(), xm = x.clone();
			Vec.axpy(xp, (float) eps, dir);
			Vec.axpy(xm, (float) -eps, dir);
			final double fd = (Vec.dot(v, net.denoise(xp, b, h, w, sigma)) - Vec.dot(v, net.denoise(xm, b, h, w, sigma))) / (2 * eps);
			final double ad = Vec.dot(dg[1], dir);
			// float32 central differences with step 1e-2: truncation O(eps^2 * D''') and rounding O(1e-7 / eps) are both near 1e-4 relative; 1e-3 leaves 10x margin
			assertEquals(fd, ad, 1e-3 * Math.abs(fd) + 1e-3, "finite difference " + fd + " vs autograd " + ad);
			// gradients do not leak into the parameters
			assertEquals(0, Vec.norm(net.params().get("out.weight").getGradient().toFloatArray()), 0);
		}
	}

	@Test
	void trainingImprovesDenoisingAndWritesACard(@TempDir final Path dir) throws IOException {
		final ScoreTraining.Config c = new ScoreTraining.Config();
		c.preset = "tiny";
		c.size = 16;
		c.volumes = 3;
		c.batch = 8;
		c.steps = 60;
		c.validateEvery = 30;
		c.learningRate = 5e-3;
		c.ema = 0.9;
		final String card = ScoreTraining.train(c, dir, "s", m -> {}, Monitor.NONE);
		assertTrue(card.contains("\"steps\": 60"), card);
		final String[] rows = Files.readAllLines(dir.resolve("s.csv")).get(2).split(",");
		try (ScoreNet net = ScoreNet.load(dir.resolve("s.npz")); ScoreNet untrained = new ScoreNet(ScoreNet.Config.tiny(), 0)) {
			final float[] val = BrainVolume.volume(16, 16, 900_000);
			final double trained = ScoreTraining.validate(net, val, 16)[2], start = ScoreTraining.validate(untrained, val, 16)[2];
			// 60 steps teach the tiny network the mean image first: measured 9.0 -> 11.9 dB at sigma 1 (0.3 dB at sigma 0.2)
			assertTrue(trained > start + 2, "denoising PSNR at sigma 1: untrained " + start + ", trained " + trained);
			assertEquals(Double.parseDouble(rows[3]), ScoreTraining.validate(net, ScoreTraining.validationSet(16), 16)[1], 1e-3);
		}
	}
}
