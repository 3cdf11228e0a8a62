package org.recon4d.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Atomic writes that never overwrite unless asked. Content goes to a hidden temporary sibling
 * (same folder, so the rename stays on one file system) and is renamed into place only when
 * complete; a failed write leaves the target untouched and removes the temporary.
 */
public final class SafeFiles {

	/** Writes content to a path (a file or a folder tree). */
	@FunctionalInterface
	public interface Writer {
		void write(Path target) throws IOException;
	}

	private SafeFiles() {}

	public static void write(final Path target, final boolean overwrite, final Writer writer) throws IOException {
		final Path abs = target.toAbsolutePath().normalize();
		if (Files.exists(abs) && !overwrite)
			throw new FileAlreadyExistsException(abs.toString(), null, "exists; pass overwrite=true to replace it");
		final Path parent = abs.getParent();
		Files.createDirectories(parent);
		final Path tmp = parent.resolve("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
		try {
			writer.write(tmp);
			if (!Files.exists(tmp)) throw new IOException("writer produced nothing for " + abs);
			if (Files.exists(abs)) {
				final Path old = parent.resolve("." + abs.getFileName() + ".old-" + System.nanoTime());
				Files.move(abs, old);
				move(tmp, abs);
				deleteTree(old);
			}
			else move(tmp, abs);
		}
		finally {
			if (Files.exists(tmp)) deleteTree(tmp);
		}
	}

	private static void move(final Path from, final Path to) throws IOException {
		try {
			Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (final AtomicMoveNotSupportedException e) {
			Files.move(from, to);
		}
	}

	public static void deleteTree(final Path p) throws IOException {
		if (!Files.exists(p)) return;
		try (Stream<Path> s = Files.walk(p)) {
			for (final Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.delete(q);
		}
	}
}
