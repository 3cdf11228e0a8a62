package org.recon4d.scripts;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recon4d.io.OmeZarr;

/** Runs scripts/simulate_reconstruct.groovy as a user would: simulate, reconstruct, save. */
class GroovyScriptTest {

	@TempDir Path tmp;

	@Test
	void exampleScriptRuns() throws Exception {
		final Binding b = new Binding();
		b.setVariable("outDir", tmp.toString());
		final Object r = new GroovyShell(b).evaluate(Path.of("scripts/simulate_reconstruct.groovy").toFile());
		final Map<?, ?> m = (Map<?, ?>) r;
		final double fbp = ((Number) m.get("fbp")).doubleValue(), tv = ((Number) m.get("tv")).doubleValue();
		System.out.printf("groovy: FBP %.2f dB, TV %.2f dB%n", fbp, tv);
		assertTrue(tv > fbp + 2, "space-time TV " + tv + " vs FBP " + fbp);
		assertTrue(Files.exists(tmp.resolve("tv-spacetime.ome.zarr/.zattrs")));
		assertArrayEquals(new long[] { 64, 64, 32 }, OmeZarr.read(tmp.resolve("tv-spacetime.ome.zarr")).dims());
	}

	@Test
	void redPsmScriptRuns() throws Exception {
		final Binding b = new Binding();
		b.setVariable("size", 32);
		b.setVariable("frames", 16);
		b.setVariable("outer", 3);
		final Map<?, ?> m = (Map<?, ?>) new GroovyShell(b).evaluate(Path.of("scripts/red_psm.groovy").toFile());
		final double tv = ((Number) m.get("tv")).doubleValue(), red = ((Number) m.get("redpsm")).doubleValue();
		System.out.printf("groovy RED-PSM: TV %.2f dB, RED-PSM %.2f dB%n", tv, red);
		// RED-PSM starts from the TV result and must not lose much of it in 3 iterations
		assertTrue(red > tv - 1.0, "RED-PSM " + red + " vs TV " + tv);
		assertTrue(red > 14, "RED-PSM PSNR " + red);
	}

	@Test
	void mriScriptRuns() throws Exception {
		final Binding b = new Binding();
		b.setVariable("outDir", tmp.toString());
		final Map<?, ?> m = (Map<?, ?>) new GroovyShell(b).evaluate(Path.of("scripts/mri_reconstruct.groovy").toFile());
		final double sense = ((Number) m.get("sense")).doubleValue(), tv = ((Number) m.get("tv")).doubleValue();
		System.out.printf("groovy MRI: CG-SENSE %.2f dB, TV %.2f dB%n", sense, tv);
		assertTrue(tv > sense + 3, "TV " + tv + " vs CG-SENSE " + sense);
		assertTrue(Files.exists(tmp.resolve("mri-tv.xml")));
		assertArrayEquals(new long[] { 128, 128, 1 }, OmeZarr.read(tmp.resolve("mri-tv.ome.zarr")).dims());
	}
}
