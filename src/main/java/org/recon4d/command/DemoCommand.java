package org.recon4d.command;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.CancellationException;

import org.recon4d.demo.Demo;
import org.recon4d.report.BenchTable;
import org.recon4d.solve.Monitor;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** The main job on simulated data: dynamic phantom, FBP vs space-time TV, volumes, previews, metrics. */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Demo (dynamic tomography)", headless = true, label = "Recon4D Demo")
public class DemoCommand extends ContextCommand {

	@Parameter private LogService log;
	@Parameter private StatusService status;

	@Parameter(label = "Output folder (empty: recon4d-out/demo-<time>)", required = false, persist = false)
	private String out = "";

	@Parameter(label = "Image size", min = "16")
	private int size = 128;

	@Parameter(label = "Frames", min = "2")
	private int frames = 128;

	@Parameter(label = "TV iterations", min = "1")
	private int iterations = 200;

	@Parameter(label = "RED-PSM outer iterations from the TV result (0: skip)", min = "0")
	private int redPsmIterations = 16;

	@Parameter(label = "Seed")
	private long seed = 1;

	@Parameter(label = "Overwrite a non-empty output folder", persist = false)
	private boolean overwrite = false;

	@Parameter(type = ItemIO.OUTPUT, label = "Output folder")
	private String folder;

	@Parameter(type = ItemIO.OUTPUT, label = "Metrics table")
	private String table;

	@Override
	public void run() {
		final File dir = out != null && !out.isBlank() ? new File(out) : new File("recon4d-out", "demo-" + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
		final Demo.Config c = new Demo.Config();
		c.size = size;
		c.frames = frames;
		c.iterations = iterations;
		c.seed = seed;
		c.redPsmOuter = redPsmIterations;
		try {
			final BenchTable t = Demo.run(dir.toPath(), c, overwrite, log::info,
				new Monitor() {
					@Override public void iteration(final int k, final int total, final double cost, final float[] x) { }
					@Override public boolean isCanceled() { return DemoCommand.this.isCanceled(); }
				});
			folder = dir.getAbsolutePath();
			table = t.markdown();
			log.info("output folder: " + folder);
		}
		catch (final CancellationException e) {
			log.warn("Demo cancelled");
		}
		catch (final IOException | IllegalArgumentException e) {
			log.error("Demo: " + e.getMessage(), e);
			cancel("Demo failed: " + e.getMessage());
		}
	}
}
