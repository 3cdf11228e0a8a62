package org.recon4d.command;

import java.util.Locale;

import org.recon4d.solve.Monitor;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;

/** Solver progress to SciJava's status bar and log; cancellation from the running command. */
final class CommandMonitor implements Monitor {

	private final ContextCommand command;
	private final StatusService status;
	private final LogService log;
	private final String label;
	private final int logEvery;
	private final long start = System.nanoTime();

	CommandMonitor(final ContextCommand command, final StatusService status, final LogService log, final String label, final int total) {
		this.command = command;
		this.status = status;
		this.log = log;
		this.label = label;
		this.logEvery = Math.max(1, total / 10);
	}

	@Override
	public void iteration(final int k, final int total, final double cost, final float[] x) {
		final String eta = k > 0 && k < total ? String.format(Locale.ROOT, ", ETA %s", duration((System.nanoTime() - start) * 1e-9 / k * (total - k))) : "";
		if (status != null) status.showStatus(k, total, String.format(Locale.ROOT, "%s: iteration %d/%d, cost %.4g%s", label, k, total, cost, eta));
		if (log != null && (k % logEvery == 0 || k == total)) log.info(String.format(Locale.ROOT, "%s: iteration %d/%d cost %.6g%s", label, k, total, cost, eta));
	}

	/** 75 s -> "1 min 15 s". */
	static String duration(final double seconds) {
		final long s = Math.round(seconds);
		return s < 60 ? s + " s" : s < 3600 ? s / 60 + " min " + s % 60 + " s" : s / 3600 + " h " + s % 3600 / 60 + " min";
	}

	@Override
	public boolean isCanceled() {
		return command.isCanceled();
	}
}
