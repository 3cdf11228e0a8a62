package org.recon4d.mri;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the Berkeley Advanced Reconstruction Toolbox ({@code bart}, Debian package) as the MRI
 * reference: {@code Bart.run(dir, "pics", "-l2", ...)} in a working folder, returning its console
 * output; a failure names the command and BART's message.
 */
public final class Bart {

	private Bart() {}

	public static String executable() {
		return System.getProperty("recon4d.bart", "bart");
	}

	/** BART's version line, or null when it cannot be run. */
	public static String version() {
		try {
			return run(null, 1, "version").trim();
		}
		catch (final IOException e) {
			return null;
		}
	}

	/** Runs {@code bart args...} in dir with OMP_NUM_THREADS = threads (0: BART's default). */
	public static String run(final Path dir, final int threads, final String... args) throws IOException {
		final List<String> cmd = new ArrayList<>();
		cmd.add(executable());
		cmd.addAll(Arrays.asList(args));
		final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
		if (dir != null) pb.directory(dir.toFile());
		if (threads > 0) pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
		// OpenMP's default spin-waiting made BART's 2-thread runs 5-8x slower on shared 2-core machines
		pb.environment().putIfAbsent("OMP_WAIT_POLICY", "passive");
		final Process p;
		try {
			p = pb.start();
		}
		catch (final IOException e) {
			throw new IOException("cannot run '" + executable() + "' (install Debian's bart, or set -Drecon4d.bart=PATH): " + e.getMessage(), e);
		}
		final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			final int rc = p.waitFor();
			if (rc != 0) throw new IOException("bart " + String.join(" ", args) + " failed (exit " + rc + "): " + out.trim());
		}
		catch (final InterruptedException e) {
			p.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while running bart " + args[0], e);
		}
		return out;
	}
}
