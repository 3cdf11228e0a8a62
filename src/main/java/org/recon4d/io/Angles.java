package org.recon4d.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Projection angles beside a sinogram: a text file with one angle in degrees per line, in
 * acquisition order (frame by frame, view by view); '#' starts a comment. A sinogram of shape
 * (detectors, views, [z,] frames) needs exactly views * frames angles.
 */
public final class Angles {

	private Angles() {}

	public static double[][] read(final Path file, final int frames, final int views) throws IOException {
		if (!Files.isRegularFile(file)) throw new BadFileException(file, "no such angle file");
		final List<Double> deg = new ArrayList<>();
		int lineNo = 0;
		for (final String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
			lineNo++;
			final String line = raw.replaceAll("#.*", "").trim();
			if (line.isEmpty()) continue;
			for (final String tok : line.split("[\\s,;]+")) {
				try {
					final double v = Double.parseDouble(tok);
					if (!Double.isFinite(v)) throw new BadFileException(file, "line " + lineNo + ": angle '" + tok + "' is not finite");
					deg.add(v);
				}
				catch (final NumberFormatException e) {
					throw new BadFileException(file, "line " + lineNo + ": '" + tok + "' is not a number", e);
				}
			}
		}
		if (deg.size() != frames * views)
			throw new BadFileException(file, "has " + deg.size() + " angles, the sinogram needs " + (frames * views) +
				" (" + views + " views x " + frames + " frames)" + (deg.size() < frames * views ? ": angles are missing" : ""));
		final double[][] out = new double[frames][views];
		for (int i = 0; i < deg.size(); i++) out[i / views][i % views] = Math.toRadians(deg.get(i));
		return out;
	}

	/**
	 * Angles from a specification: a schedule name (linear, golden, bitreversed over [0, pi)) or
	 * the path of an angle file (anything with a '/' or '.', e.g. angles.txt).
	 */
	public static double[][] resolve(final String spec, final int frames, final int views) throws IOException {
		final String s = spec.trim();
		if (s.contains("/") || s.contains(".")) return read(java.nio.file.Paths.get(s), frames, views);
		return org.recon4d.phantom.AngleSchedule.parse(s).angles(frames, views);
	}

	public static void write(final Path file, final double[][] angles, final boolean overwrite) throws IOException {
		final StringBuilder sb = new StringBuilder("# Recon4D projection angles in degrees, acquisition order; frames=")
			.append(angles.length).append(" views_per_frame=").append(angles[0].length).append('\n');
		for (final double[] frame : angles) for (final double a : frame) sb.append(String.format(Locale.ROOT, "%.10f%n", Math.toDegrees(a)));
		SafeFiles.write(file, overwrite, tmp -> Files.writeString(tmp, sb.toString()));
	}
}
