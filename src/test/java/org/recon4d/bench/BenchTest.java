package org.recon4d.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recon4d.command.BenchCommand;
import org.recon4d.report.BenchTable;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** The benchmark contract on a small size (the real run is ./recon4d bench tomo), and doc refresh. */
class BenchTest {

	@TempDir Path tmp;

	@Test
	void tomoBenchWritesContractJson() throws Exception {
		try (Context ctx = new Context()) {
			final CommandModule m = ctx.service(CommandService.class).run(BenchCommand.class, true, "name", "tomo", "out", tmp.toString(),
				"size", "64", "angles", 60, "rounds", 1, "reps", 1, "updateDocs", false).get();
			assertFalse(m.isCanceled(), m.getCancelReason());
		}
		final String json = Files.readString(tmp.resolve("tomo.json"));
		System.out.println(json);
		assertTrue(json.startsWith("{\"bench\": \"tomo\""), json);
		for (final String s : new String[] { "\"task\": \"fbp-64-60\", \"method\": \"fbp-ramp\", \"impl\": \"recon4d\", \"psnr\"",
			"\"task\": \"fbp-64-60\", \"method\": \"fbp-ramp\", \"impl\": \"skimage\", \"psnr\"",
			"\"task\": \"project-64-60\", \"method\": \"forward\", \"impl\": \"recon4d\"",
			"\"task\": \"project-64-60\", \"method\": \"forward\", \"impl\": \"skimage\"" })
			assertTrue(json.contains(s), s);
		final double ours = Double.parseDouble(json.replaceAll("(?s).*\"impl\": \"recon4d\", \"psnr\": ([0-9.]+).*", "$1"));
		assertTrue(ours > 22, "FBP PSNR at 64x64, 60 angles: " + ours);
	}

	@Test
	void redpsmTuneRefusesTheBenchmarkSequenceAndMalformedPairs() {
		// checked before any reconstruction runs, so these return at once
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedPsmBench.tune(1, 128, "8x17", 16, s -> {}));
		assertTrue(e.getMessage().contains("seed 1"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> RedPsmBench.tune(21, 128, "8x17,8-17", 16, s -> {}));
		assertTrue(e.getMessage().contains("'8-17'"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> RedPsmBench.tune(21, 128, "8x5", 16, s -> {}));
		assertTrue(e.getMessage().contains("K=8") && e.getMessage().contains("d=5"), e.getMessage());
		final java.util.List<int[]> p = RedPsmBench.parsePairs(" 6x9, 8X17 ");
		assertEquals(2, p.size());
		assertArrayEquals(new int[] { 8, 17 }, p.get(1));
	}

	@Test
	void docSectionIsReplacedNotAppended() throws Exception {
		final Path doc = tmp.resolve("b.md");
		Files.writeString(doc, "# Benchmarks\n\nintro\n");
		final BenchTable a = new BenchTable("x", "budget");
		a.row("t", "m", "recon4d", "seconds", 1.5);
		a.updateDoc(doc, "X", "notes");
		final BenchTable b = new BenchTable("x", "budget");
		b.row("t", "m", "recon4d", "seconds", 2.5);
		b.updateDoc(doc, "X", "notes");
		final String text = Files.readString(doc);
		assertTrue(text.startsWith("# Benchmarks\n\nintro\n"), text);
		assertEquals(1, text.split("bench:x begin", -1).length - 1, text);
		assertTrue(text.contains("| t | m | recon4d | 2.500 |") && !text.contains("1.500"), text);
	}

	@Test
	void unrolledBenchWritesContractJson() throws Exception {
		// the contract on one slice per task, with the committed tiny networks and an untrained CT network
		final Path w = tmp.resolve("weights");
		Files.createDirectories(w);
		for (final String k : new String[] { "e2e-varnet", "recurrentvarnet" })
			Files.copy(Path.of("src/test/resources/unrolled", k + ".npz"), w.resolve(k + ".npz"));
		try (org.recon4d.unroll.CtUnrolled ct = new org.recon4d.unroll.CtUnrolled(new org.recon4d.unroll.CtUnrolled.Config(2, 4, 2), 1)) {
			ct.save(w.resolve("ct-unrolled.npz"), false, false);
		}
		try (Context ctx = new Context()) {
			final CommandModule m = ctx.service(CommandService.class).run(BenchCommand.class, true, "name", "unrolled", "out", tmp.toString(),
				"slices", 1, "weights", w.toString(), "updateDocs", false).get();
			assertFalse(m.isCanceled(), m.getCancelReason());
		}
		final String json = Files.readString(tmp.resolve("unrolled.json"));
		for (final String task : new String[] { "R4", "R8" })
			for (final String method : new String[] { "zero-filled", "sense", "l1-wavelet", "e2e-varnet", "recurrentvarnet" })
				assertTrue(json.matches("(?s).*\"task\": \"" + task + "\", \"method\": \"" + method + "\", \"impl\": \"recon4d\", \"ssim\": [0-9.]+, \"psnr\": [0-9.]+, \"nmse\": [0-9.e-]+, \"seconds\": [0-9.e-]+, \"peak_mb\": [0-9.]+.*"),
					task + " " + method + " in " + json);
		for (final String method : new String[] { "fbp", "tv", "unrolled" })
			assertTrue(json.contains("\"task\": \"ct-32view\", \"method\": \"" + method + "\""), method);
		// L1-wavelet beats zero-filled on the held-out slice at 4x (the baselines are live, not placeholders)
		final double zf = Double.parseDouble(json.replaceAll("(?s).*\"task\": \"R4\", \"method\": \"zero-filled\", \"impl\": \"recon4d\", \"ssim\": ([0-9.]+).*", "$1"));
		final double l1 = Double.parseDouble(json.replaceAll("(?s).*\"task\": \"R4\", \"method\": \"l1-wavelet\", \"impl\": \"recon4d\", \"ssim\": ([0-9.]+).*", "$1"));
		assertTrue(l1 > zf + 0.1, "L1 SSIM " + l1 + " vs zero-filled " + zf);
	}
}
