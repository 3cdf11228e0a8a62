package org.recon4d.command;

import org.recon4d.tensor.Djl;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Reports the deep-learning engine: name, version, device, threads and cache folder. */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Engine Check", headless = true, label = "Recon4D Engine Check")
public class EngineCommand extends ContextCommand {

	@Parameter private LogService log;

	@Parameter(type = ItemIO.OUTPUT, label = "Engine")
	private String engine;

	@Override
	public void run() {
		try {
			engine = Djl.describe();
			log.info(engine);
		}
		catch (final RuntimeException | LinkageError e) {
			log.error("Engine Check: the PyTorch engine did not load: " + e.getMessage(), e);
			cancel("Engine Check failed: " + e.getMessage());
		}
	}
}
