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

	CommandMonitor(final ContextCommand command, final StatusService status, final LogService log, final String label, final int total) {
		this.command = command;
		this.status = status;
		this.log = log;
		this.label = label;
		this.logEvery = Math.max(1, total / 10);
	}

	@Override
	public void iteration(final int k, final int total, final double cost, final float[] x) {
		if (status != null) status.showStatus(k, total, String.format(Locale.ROOT, "%s: iteration %d/%d, cost %.4g", label, k, total, cost));
		if (log != null && (k % logEvery == 0 || k == total)) log.info(String.format(Locale.ROOT, "%s: iteration %d/%d cost %.6g", label, k, total, cost));
	}

	@Override
	public boolean isCanceled() {
		return command.isCanceled();
	}
}
