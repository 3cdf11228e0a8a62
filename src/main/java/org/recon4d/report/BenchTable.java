package org.recon4d.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.recon4d.io.SafeFiles;

/**
 * Benchmark rows in the project's JSON contract ({"bench", "machine", "budget", "rows": [...]}),
 * a printed table, and the matching section of docs/benchmarks.md.
 */
public final class BenchTable {

	private final String bench, budget;
	private final List<Map<String, Object>> rows = new ArrayList<>();

	public BenchTable(final String bench, final String budget) {
		this.bench = bench;
		this.budget = budget;
	}

	/** Adds a row; metrics given as alternating name, value (NaN values are left out). */
	public Map<String, Object> row(final String task, final String method, final String impl, final Object... metrics) {
		final Map<String, Object> r = new LinkedHashMap<>();
		r.put("task", task);
		r.put("method", method);
		r.put("impl", impl);
		for (int i = 0; i < metrics.length; i += 2) {
			final Object v = metrics[i + 1];
			if (v instanceof Double && !Double.isFinite((Double) v)) continue;
			r.put((String) metrics[i], v);
		}
		rows.add(r);
		return r;
	}

	public List<Map<String, Object>> rows() {
		return rows;
	}

	public static String machine() {
		return Runtime.getRuntime().availableProcessors() + " cores, " +
			(Runtime.getRuntime().maxMemory() >> 20) + " MB max heap, no GPU used; " + System.getProperty("os.arch") + " Java " + System.getProperty("java.version");
	}

	public String json() {
		final StringBuilder sb = new StringBuilder();
		sb.append("{\"bench\": ").append(q(bench)).append(", \"machine\": ").append(q(machine()))
			.append(", \"budget\": ").append(q(budget)).append(",\n \"rows\": [\n");
		for (int i = 0; i < rows.size(); i++) {
			sb.append("  {");
			int k = 0;
			for (final Map.Entry<String, Object> e : rows.get(i).entrySet()) {
				sb.append(k++ == 0 ? "" : ", ").append(q(e.getKey())).append(": ");
				final Object v = e.getValue();
				if (v instanceof Number) sb.append(num(((Number) v).doubleValue()));
				else sb.append(q(String.valueOf(v)));
			}
			sb.append(i == rows.size() - 1 ? "}\n" : "},\n");
		}
		return sb.append(" ]}\n").toString();
	}

	/** A Markdown table over the union of metric columns. */
	public String markdown() {
		final List<String> cols = new ArrayList<>();
		for (final Map<String, Object> r : rows) for (final String k : r.keySet()) if (!cols.contains(k)) cols.add(k);
		final StringBuilder sb = new StringBuilder("| " + String.join(" | ", cols) + " |\n|");
		for (int i = 0; i < cols.size(); i++) sb.append("---|");
		sb.append('\n');
		for (final Map<String, Object> r : rows) {
			sb.append('|');
			for (final String c : cols) {
				final Object v = r.get(c);
				sb.append(' ').append(v == null ? "" : v instanceof Number ? num(((Number) v).doubleValue()) : v).append(" |");
			}
			sb.append('\n');
		}
		return sb.toString();
	}

	public void writeJson(final Path file, final boolean overwrite) throws IOException {
		final String text = json();
		SafeFiles.write(file, overwrite, tmp -> Files.writeString(tmp, text));
	}

	/** Replaces (or appends) the section between bench markers in a Markdown file. */
	public void updateDoc(final Path doc, final String heading, final String notes) throws IOException {
		final String begin = "<!-- bench:" + bench + " begin -->", end = "<!-- bench:" + bench + " end -->";
		final String section = begin + "\n## " + heading + "\n\n" + notes + "\n\nMachine: " + machine() + ". Budget: " + budget + ".\n\n" + markdown() + end;
		String text = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "# Recon4D benchmarks\n\nEach section is rewritten by the command named in it.\n\n";
		final int a = text.indexOf(begin), b = text.indexOf(end);
		text = a >= 0 && b > a ? text.substring(0, a) + section + text.substring(b + end.length()) : text + "\n" + section + "\n";
		final String out = text;
		Files.createDirectories(doc.toAbsolutePath().getParent());
		SafeFiles.write(doc, true, tmp -> Files.writeString(tmp, out));
	}

	/** Resets the JVM heap peak counters. */
	public static void resetPeak() {
		for (final MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
	}

	/** Sum of heap pool peaks since {@link #resetPeak()}, in MB. */
	public static double peakMb() {
		long s = 0;
		for (final MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) s += p.getPeakUsage().getUsed();
		return s / 1048576.0;
	}

	static String num(final double v) {
		if (v == Math.rint(v) && Math.abs(v) < 1e12) return Long.toString((long) v);
		return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : Math.abs(v) >= 1 ? "%.3f" : "%.4g", v);
	}

	static String q(final String s) {
		return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
	}
}
