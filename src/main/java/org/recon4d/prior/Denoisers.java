package org.recon4d.prior;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * Denoisers by name: {@code builtin} (the shipped Gaussian DnCNN, sample-data/denoiser/dncnn-walnut),
 * {@code artefact} (the shipped DnCNN whose noise model also holds one-view-per-frame tomography
 * artefacts of any strength, sample-data/denoiser/dncnn-walnut-artefact; RED-PSM's default for tomography),
 * {@code gaussian:SIGMA}, a TorchScript file ({@code *.pt}, {@code *.torchscript}) or a folder with
 * DnCNN weights ({@code DIR/NAME-0000.params}, given as {@code DIR/NAME}).
 */
public final class Denoisers {

	public static final String BUILTIN_NAME = "dncnn-walnut";
	public static final String ARTEFACT_NAME = "dncnn-walnut-artefact";

	private Denoisers() {}

	/** Folder of the shipped weights: system property recon4d.home (default: working folder) + sample-data/denoiser. */
	public static Path builtinFolder() {
		return Paths.get(System.getProperty("recon4d.home", "."), "sample-data", "denoiser");
	}

	public static Denoiser load(final String spec) throws IOException {
		final String s = spec.trim();
		final String low = s.toLowerCase(Locale.ROOT);
		if (low.equals("builtin") || low.equals("dncnn")) return new DnCnnDenoiser(builtinFolder(), BUILTIN_NAME, 64, 6);
		if (low.equals("artefact") || low.equals("artifact")) return new DnCnnDenoiser(builtinFolder(), ARTEFACT_NAME, 64, 6);
		if (low.startsWith("gaussian")) {
			final String[] parts = s.split(":");
			return new GaussianDenoiser(parts.length > 1 ? Double.parseDouble(parts[1]) : 1.0);
		}
		if (low.endsWith(".pt") || low.endsWith(".torchscript") || low.endsWith(".pth")) return new TorchScriptDenoiser(Paths.get(s));
		final Path p = Paths.get(s);
		return new DnCnnDenoiser(p.getParent() == null ? Paths.get(".") : p.getParent(), p.getFileName().toString().replace("-0000.params", ""), 64, 6);
	}
}
