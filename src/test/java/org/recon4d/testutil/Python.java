package org.recon4d.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Debian's python3 (system property recon4d.python, default /usr/bin/python3) on a script
 * from scripts/. The README's test command installs python3-numpy and python3-zarr, so a missing
 * module is a failure here, never a skip.
 */
public final class Python {

	public static final String EXE = System.getProperty("recon4d.python", "/usr/bin/python3");

	private Python() {}

	/** Runs the script, asserts exit 0, returns its output. */
	public static String run(final String script, final String... args) throws IOException, InterruptedException {
		final List<String> cmd = new ArrayList<>(List.of(EXE, "scripts/" + script));
		cmd.addAll(List.of(args));
		final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(0, p.waitFor(), String.join(" ", cmd) + " failed:\n" + out);
		System.out.println("python " + script + ": " + out.trim());
		return out;
	}
}
