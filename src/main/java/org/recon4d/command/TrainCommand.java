package org.recon4d.command;

import java.io.IOException;
import java.nio.file.Paths;

import org.recon4d.prior.DenoiserTraining;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Trains a learned prior: {@code ./recon4d train denoiser steps=1500 seed=7 out=sample-data/denoiser}.
 * Writes the weights and a JSON model card (command, seed, data, steps, held-out PSNR).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Train>Denoiser", headless = true, label = "Recon4D Train Denoiser")
public class TrainCommand extends ContextCommand {

	@Parameter private LogService log;

	@Parameter(label = "What to train", choices = { "denoiser" })
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

	@Parameter(label = "Training input", choices = { "gaussian", "tv", "mixed" }, persist = false)
	private String source = "gaussian";

	@Parameter(label = "Training sequences (source tv)", min = "1", persist = false)
	private int sequences = 12;

	@Parameter(type = ItemIO.OUTPUT, label = "Model card")
	private String card;

	@Override
	public void run() {
		final DenoiserTraining.Config c = new DenoiserTraining.Config();
		c.steps = steps;
		c.batch = batch;
		c.patch = patch;
		c.seed = seed;
		c.source = source;
		c.sequences = sequences;
		try {
			card = DenoiserTraining.train(c, Paths.get(out), model, log::info);
		}
		catch (final IOException | RuntimeException e) {
			log.error("Train: " + e.getMessage(), e);
			cancel("Training failed: " + e.getMessage());
		}
	}
}
