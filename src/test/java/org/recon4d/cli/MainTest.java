package org.recon4d.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recon4d.io.Npy;
import org.recon4d.io.OmeZarr;
import org.recon4d.io.Volume;
import org.recon4d.metrics.Metrics;

/** The launcher: commands by name with key=value, files in and out, exit codes and messages. */
class MainTest {

	@TempDir Path tmp;

	static final class Run {
		final int code;
		final String out, err;
		Run(final String... args) {
			final ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
			code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
			out = o.toString(StandardCharsets.UTF_8);
			err = e.toString(StandardCharsets.UTF_8);
		}
	}

	@Test
	void simulateThenReconstructThroughFiles() throws Exception {
		final Path sino = tmp.resolve("sino.npy"), truth = tmp.resolve("truth.tif"), rec = tmp.resolve("rec.ome.zarr");
		Run r = new Run("simulate", "phantom=dynamic", "size=48", "frames=16", "viewsPerFrame=2", "schedule=bitreversed",
			"noiseLevel=0.005", "seed=4", "sinogram=" + sino, "truth=" + truth);
		assertEquals(0, r.code, r.err);
		assertTrue(r.out.contains("sinogram: wrote [48, 2, 16]"), r.out);
		r = new Run("reconstruct", "sinogram=" + sino, "angles=bitreversed", "method=tv-spacetime", "iterations=60", "window=8",
			"reconstruction=" + rec);
		assertEquals(0, r.code, r.err);
		assertTrue(r.err.contains("%]"), "progress lines expected on stderr:\n" + r.err);
		final Volume x = OmeZarr.read(rec);
		assertArrayEquals(new long[] { 48, 48, 16 }, x.dims());
		final float[] t = org.recon4d.io.Tiff.read(truth).data();
		final double psnr = Metrics.psnr(x.data(), t);
		System.out.printf("CLI tv-spacetime PSNR %.2f dB%n", psnr);
		assertTrue(psnr > 18, "PSNR " + psnr);
		// refusing to overwrite is an error with the path in it
		r = new Run("reconstruct", "sinogram=" + sino, "method=fbp", "reconstruction=" + rec);
		assertEquals(1, r.code);
		assertTrue(r.err.contains(rec.getFileName().toString()) && r.err.contains("overwrite=true"), r.err);
	}

	@Test
	void volumeSliceBySlice() throws Exception {
		final Path sino = tmp.resolve("s3.npy"), truth = tmp.resolve("t3.npy"), rec = tmp.resolve("r3.tif");
		assertEquals(0, new Run("simulate", "phantom=shepp-logan-3d", "size=32", "frames=1", "viewsPerFrame=40", "schedule=linear",
			"noise=none", "sinogram=" + sino, "truth=" + truth).code);
		assertArrayEquals(new long[] { 32, 40, 32, 1 }, Npy.read(sino).dims());
		final Run r = new Run("reconstruct", "sinogram=" + sino, "slices=32", "angles=linear", "method=tv", "iterations=80", "lambda=0.05",
			"window=1", "filter=ramp", "reconstruction=" + rec);
		assertEquals(0, r.code, r.err);
		final double psnr = Metrics.psnr(org.recon4d.io.Tiff.read(rec).data(), Npy.read(truth).data());
		System.out.printf("3D TV (slices + z gradient) PSNR %.2f dB%n", psnr);
		assertTrue(psnr > 35, "3D PSNR " + psnr); // noiseless, piecewise-constant: TV nearly recovers it
	}

	@Test
	void badArgumentsExitTwoWithAClearMessage() {
		Run r = new Run("reconstruct", "metod=fbp");
		assertEquals(2, r.code);
		assertTrue(r.err.contains("unknown parameter 'metod'") && r.err.contains("method"), r.err);
		r = new Run("reconstruct", "method=fbp");
		assertEquals(2, r.code);
		assertTrue(r.err.contains("missing sinogram="), r.err);
		r = new Run("simulate", "size=big");
		assertEquals(2, r.code);
		assertTrue(r.err.contains("size must be a number"), r.err);
		r = new Run("simulate", "schedule=random");
		assertEquals(2, r.code);
		assertTrue(r.err.contains("not one of"), r.err);
		r = new Run("frobnicate");
		assertEquals(2, r.code);
		assertTrue(r.err.contains("unknown command 'frobnicate'"), r.err);
	}

	@Test
	void unreadableInputNamesTheFile() throws Exception {
		final Path bad = tmp.resolve("broken.npy");
		Files.write(bad, new byte[] { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 10, 0 });
		final Run r = new Run("reconstruct", "sinogram=" + bad, "method=fbp");
		assertEquals(1, r.code);
		assertTrue(r.err.contains("broken.npy") && r.err.contains("truncated"), r.err);
	}

	@Test
	void helpListsCommandsAndParameters() {
		Run r = new Run("help");
		assertEquals(0, r.code);
		for (final String c : new String[] { "demo", "bench", "simulate", "reconstruct", "write", "engine" }) assertTrue(r.out.contains(c), r.out);
		r = new Run("help", "reconstruct");
		assertEquals(0, r.code);
		assertTrue(r.out.contains("timeWeight") && r.out.contains("reconstruction"), r.out);
	}

	@Test
	void engineByName() {
		final Run r = new Run("engine");
		assertEquals(0, r.code, r.err);
		assertTrue(r.out.contains("engine=PyTorch"), r.out);
	}

	@Test
	void npyWrittenByCliIsReadable() throws Exception {
		final Path t = tmp.resolve("t.npy");
		assertEquals(0, new Run("simulate", "phantom=shepp-logan", "size=32", "frames=1", "viewsPerFrame=10", "truth=" + t).code);
		final Volume v = Npy.read(t);
		assertArrayEquals(new long[] { 32, 32, 1 }, v.dims());
	}
}
