package org.recon4d.command;

import java.io.IOException;
import java.nio.file.Paths;

import org.recon4d.prior.DenoiserTraining;
import org.recon4d.unroll.Training;
import org.scijava.app.StatusService;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Trains a learned prior or network:
 * {@code ./recon4d train denoiser steps=1500 seed=7 out=sample-data/denoiser}, or an unrolled MRI
 * network, {@code ./recon4d train e2e-varnet steps=1200 out=sample-data/unrolled model=e2e-varnet}
 * (also {@code recurrentvarnet}; {@code resume=true} continues from {@code MODEL-last.npz}), or a
 * diffusion score network, {@code ./recon4d train score steps=6000 batch=16 size=64 out=sample-data/diffusion model=score}.
 * Writes the weights and a JSON model card (command, seed, data, steps, held-out quality).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Train>Denoiser", headless = true, label = "Recon4D Train Denoiser")
public class TrainCommand extends ContextCommand {

	@Parameter private LogService log;

	@Parameter private StatusService status;

	@Parameter(label = "What to train", choices = { "denoiser", "e2e-varnet", "recurrentvarnet", "ct-unrolled", "score" })
	private String name = "denoiser";

	@Parameter(label = "Output folder", persist = false)
	private String out = "sample-data/denoiser";

	@Parameter(label = "Model name", persist = false)
	private String model = "dncnn-walnut";

	@Parameter(label = "Steps", min = "1")
	private int steps = 1500;

	@Parameter(label = "Batch size", min = "1")
	private int batch = 24;

	@Parameter(label = "Patch size", min = "16")
	private int patch = 48;

	@Parameter(label = "Seed")
	private long seed = 7;

	@Parameter(label = "Training input", choices = { "gaussian", "tv", "mixed", "blend" }, persist = false)
	private String source = "gaussian";

	@Parameter(label = "Training sequences (sources tv, mixed, blend)", min = "1", persist = false)
	private int sequences = 12;

	@Parameter(label = "Image size (unrolled networks)", min = "16", persist = false)
	private int size = 128;

	@Parameter(label = "Coils (unrolled networks)", min = "1", persist = false)
	private int coils = 8;

	@Parameter(label = "Learning rate (unrolled networks)", persist = false)
	private double lr = 1e-3;

	@Parameter(label = "Learning rate x 0.1 from step (0: constant; unrolled networks)", min = "0", persist = false)
	private int lrDropAt = 0;

	@Parameter(label = "Output the loss sees (unrolled MRI networks)", choices = { "rss", "combined" }, persist = false)
	private String output = "rss";

	@Parameter(label = "Views (ct-unrolled)", min = "2", persist = false)
	private int views = 32;

	@Parameter(label = "Phantom volumes (score)", min = "1", persist = false)
	private int volumes = 192;

	@Parameter(label = "Validate every (steps)", min = "1", persist = false)
	private int validateEvery = 100;

	@Parameter(label = "Network size (unrolled networks)", choices = { "small", "published", "tiny" }, persist = false)
	private String preset = "small";

	@Parameter(label = "Resume from MODEL-last.npz", persist = false)
	private boolean resume;

	@Parameter(type = ItemIO.OUTPUT, label = "Model card")
	private String card;

	@Override
	public void run() {
		if (!"denoiser".equals(name)) {
			runUnrolled();
			return;
		}
		final DenoiserTraining.Config c = new DenoiserTraining.Config();
		c.steps = steps;
		c.batch = batch;
		c.patch = patch;
		c.seed = seed;
		c.source = source;
		c.sequences = sequences;
		attempt(() -> DenoiserTraining.train(c, Paths.get(out), model, log::info));
	}

	private void runUnrolled() {
		final CommandMonitor mon = new CommandMonitor(this, status, null, "Train " + name, steps);
		if ("score".equals(name)) {
			final org.recon4d.diffusion.ScoreTraining.Config c = new org.recon4d.diffusion.ScoreTraining.Config();
			c.steps = steps;
			c.batch = batch;
			c.size = size;
			c.volumes = volumes;
			c.seed = seed;
			c.learningRate = lr;
			c.validateEvery = validateEvery;
			c.preset = "tiny".equals(preset) ? "tiny" : "small";
			c.resume = resume;
			attempt(() -> org.recon4d.diffusion.ScoreTraining.train(c, Paths.get(out), model, log::info, mon));
			return;
		}
		if ("ct-unrolled".equals(name)) {
			attempt(() -> org.recon4d.unroll.CtUnrolled.train(size, views, batch, steps, validateEvery, lr, seed, Paths.get(out), model, log::info, mon));
			return;
		}
		final Training.Config c = new Training.Config();
		c.kind = name;
		c.steps = steps;
		c.batch = batch;
		c.size = size;
		c.coils = coils;
		c.seed = seed;
		c.learningRate = lr;
		c.validateEvery = validateEvery;
		c.preset = preset;
		c.lrDropAt = lrDropAt;
		c.output = output;
		c.resume = resume;
		attempt(() -> Training.train(c, Paths.get(out), model, log::info, mon));
	}

	private interface Run {
		String call() throws IOException;
	}

	/** Runs a training, keeps its model card; a cancel or a failure cancels the command with the cause. */
	private void attempt(final Run r) {
		try {
			card = r.call();
		}
		catch (final java.util.concurrent.CancellationException e) {
			cancel("Training canceled");
		}
		catch (final IOException | RuntimeException e) {
			log.error("Train: " + e.getMessage(), e);
			cancel("Training failed: " + e.getMessage());
		}
	}
}
