package org.recon4d.command;

import java.io.File;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
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
 * Fits an animatable avatar (rigged template, per-vertex albedo, SH light) to a multi-view
 * capture: a folder with {@code transforms.json} (Nerfstudio cameras), {@code poses.json} (joint
 * rotations) and the frames. Writes avatar.glb/.obj, light, renders, turntable and metrics into
 * the output folder (docs/avatar.md).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Avatar>Fit Avatar", headless = true, label = "Recon4D Avatar Fit",
	description = "Avatar inverse rendering: shape, albedo and light of a rigged template from multi-view frames")
public class AvatarCommand extends ContextCommand {

	@Parameter private LogService log;
	@Parameter private StatusService status;

	@Parameter(label = "Capture folder (transforms.json, poses.json, frames)", style = "directory")
	private File capture;

	@Parameter(label = "Rigged template (.glb)", required = false, persist = false)
	private File template;

	@Parameter(label = "Output folder", style = "directory")
	private File output;

	@Parameter(label = "Start scale of the template (1 = as given)", min = "0.1")
	private double startScale = 1.0;

	@Parameter(label = "Appearance steps", min = "0") private int appearanceSteps = 150;
	@Parameter(label = "Shape steps", min = "0") private int shapeSteps = 150;
	@Parameter(label = "Detail steps (surface offsets; 0 = bone scales only)", min = "0") private int detailSteps = 0;
	@Parameter(label = "Skinning-weight steps (0 = keep the template's weights)", min = "0") private int weightSteps = 0;
	@Parameter(label = "Final appearance steps", min = "0") private int finalSteps = 150;

	@Parameter(label = "Replace existing output files")
	private boolean overwrite = false;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	public void run() {
		try {
			final File tpl = template != null ? template : new File(capture, "template.glb");
			final AvatarFit.Settings s = new AvatarFit.Settings();
			s.appearanceSteps = appearanceSteps;
			s.shapeSteps = shapeSteps;
			s.detailSteps = detailSteps;
			s.weightSteps = weightSteps;
			s.finalSteps = finalSteps;
			final int total = appearanceSteps + shapeSteps + detailSteps + weightSteps + finalSteps;
			final AvatarJob.Outcome r = AvatarJob.run(capture.toPath(), tpl.toPath(), output.toPath(), startScale, s, overwrite,
				new CommandMonitor(this, status, log, "Avatar fit", total), log::info);
			summary = describe(r.metrics);
			log.info("Avatar: " + summary + "; written to " + output);
			status.clearStatus();
		}
		catch (final CancellationException e) {
			cancel("Avatar fit cancelled");
			log.warn("Avatar: cancelled by the user");
		}
		catch (final IllegalArgumentException | IllegalStateException | IOException e) {
			log.error("Avatar: " + e.getMessage(), e);
			cancel("Avatar fit failed: " + e.getMessage());
		}
	}

	@SuppressWarnings("unchecked")
	static String describe(final Map<String, Object> m) {
		final StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "fitted in %.0f s", (Double) m.get("fit_seconds")));
		for (final String split : new String[] {"novel-view", "novel-pose"}) {
			final Map<String, Double> e = (Map<String, Double>) m.get(split);
			if (e != null)
				b.append(String.format(Locale.ROOT, "; %s: PSNR %.2f dB, albedo PSNR %.2f dB, normals %.1f deg", split, e.get("psnr"), e.get("albedo_psnr"), e.get("normal_deg")));
		}
		if (m.containsKey("chamfer_end"))
			b.append(String.format(Locale.ROOT, "; chamfer %.2f -> %.2f mm", 1000 * (Double) m.get("chamfer_start"), 1000 * (Double) m.get("chamfer_end")));
		return b.toString();
	}
}
