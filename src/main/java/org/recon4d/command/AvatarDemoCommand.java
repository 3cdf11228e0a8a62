package org.recon4d.command;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;

import org.recon4d.avatar.AvatarFit;
import org.recon4d.avatar.AvatarJob;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * The avatar demo: fits the Blender-rendered fixture (sample-data/avatar) from a template
 * deflated to 0.8 of its size and writes the avatar, renders and metrics into a new folder.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Avatar>Demo (rendered fixture)", headless = true, label = "Recon4D Avatar Demo")
public class AvatarDemoCommand extends ContextCommand {

	@Parameter private LogService log;
	@Parameter private StatusService status;

	@Parameter(label = "Output folder (empty: recon4d-out/avatar-demo-<time>)", required = false, persist = false)
	private String out = "";

	@Parameter(label = "Start scale of the template", min = "0.1")
	private double startScale = 0.8;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	public void run() {
		final File dir = out != null && !out.isBlank() ? new File(out)
			: new File("recon4d-out", "avatar-demo-" + java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
		try {
			final Path fixture = Path.of(System.getProperty("recon4d.home", "."), "sample-data", "avatar");
			final AvatarFit.Settings s = new AvatarFit.Settings();
			final AvatarJob.Outcome r = AvatarJob.run(fixture, fixture.resolve("template.glb"), dir.toPath(), startScale, s, false,
				new CommandMonitor(this, status, log, "Avatar demo", s.appearanceSteps + s.shapeSteps + s.detailSteps + s.weightSteps + s.finalSteps), log::info);
			summary = AvatarCommand.describe(r.metrics) + "; output in " + dir;
			log.info("Avatar demo: " + summary);
			status.clearStatus();
		}
		catch (final CancellationException e) {
			cancel("Avatar demo cancelled");
		}
		catch (final IOException | IllegalArgumentException | IllegalStateException e) {
			log.error("Avatar demo: " + e.getMessage(), e);
			cancel("Avatar demo failed: " + e.getMessage());
		}
	}
}
