package org.recon4d.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be used as given; the message names the file and the problem. */
public class BadFileException extends IOException {

	private static final long serialVersionUID = 1L;

	public BadFileException(final Path file, final String problem) {
		super(file + ": " + problem);
	}

	public BadFileException(final Path file, final String problem, final Throwable cause) {
		super(file + ": " + problem, cause);
	}
}
