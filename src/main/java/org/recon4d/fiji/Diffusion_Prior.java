package org.recon4d.fiji;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

import org.recon4d.diffusion.DiffusionJob;
import org.recon4d.io.Angles;
import org.recon4d.io.Tiff;
import org.recon4d.io.Volume;
import org.recon4d.mri.MriJob;
import org.recon4d.solve.Monitor;

/**
 * ImageJ 1.x entry for diffusion-prior reconstruction. {@code modality=ct} reconstructs the
 * current image as a sinogram (width = detector bins, height = views, stack = slices);
 * {@code modality=mri} reads the k-space file. Shows the reconstruction and, for samples &gt; 1,
 * the per-voxel standard deviation. Progress in the status bar (step, total, ETA); Esc cancels.
 * {@code run("Recon4D Diffusion Prior", "modality=ct kspace=[] undersample=none angles=linear method=diffusion-mbir-bdia model=builtin contract=denoiser steps=25 lambda_z=0.001 rho=0.01 zeta=25 lambda=0.02 samples=1 seed=1");}
 */
public class Diffusion_Prior implements PlugIn {

	@Override
	public void run(final String arg) {
		final GenericDialog gd = new GenericDialog("Recon4D Diffusion Prior");
		gd.addChoice("modality", new String[] { "ct", "mri" }, "ct");
		gd.addStringField("kspace", "", 40);
		gd.addStringField("undersample", "none", 20);
		gd.addStringField("angles", "linear", 20);
		gd.addChoice("method", DiffusionJob.METHODS, DiffusionJob.METHODS[0]);
		gd.addStringField("model", "builtin", 40);
		gd.addChoice("contract", new String[] { "denoiser", "score-ve", "eps-vp" }, "denoiser");
		gd.addNumericField("steps", 25, 0);
		gd.addNumericField("lambda_z", 0.001, 5);
		gd.addNumericField("rho", 0.01, 4);
		gd.addNumericField("zeta", 25, 4);
		gd.addNumericField("lambda", 0.02, 4);
		gd.addNumericField("samples", 1, 0);
		gd.addNumericField("seed", 1, 0);
		gd.showDialog();
		if (gd.wasCanceled()) return;
		final String modality = gd.getNextChoice(), kspace = gd.getNextString(), under = gd.getNextString(), angles = gd.getNextString();
		final DiffusionJob.Settings s = new DiffusionJob.Settings();
		s.method = gd.getNextChoice();
		s.model = gd.getNextString();
		s.contract = gd.getNextChoice();
		s.steps = (int) gd.getNextNumber();
		s.lambdaZ = gd.getNextNumber();
		s.rho = gd.getNextNumber();
		s.zeta = gd.getNextNumber();
		s.lambda = gd.getNextNumber();
		s.samples = (int) gd.getNextNumber();
		s.seed = (long) gd.getNextNumber();
		final long t0 = System.nanoTime();
		final Monitor mon = new Monitor() {
			@Override public void iteration(final int k, final int total, final double cost, final float[] x) {
				IJ.showProgress(k, total);
				final double eta = (System.nanoTime() - t0) * 1e-9 / Math.max(1, k) * (total - k);
				IJ.showStatus(String.format(java.util.Locale.ROOT, "Recon4D diffusion: step %d/%d, ETA %.0f s", k, total, eta));
			}
			@Override public boolean isCanceled() { return IJ.escapePressed(); }
		};
		try {
			final DiffusionJob.Result r;
			final int nx, ny, nz;
			if (modality.equals("mri")) {
				final MriJob.Kspace k = MriJob.undersample(MriJob.load(Path.of(kspace)), under, 1);
				r = DiffusionJob.mri(k, s, mon);
				nx = k.nx; ny = k.ny; nz = k.batch;
			}
			else {
				final Volume sino = Tiff.fromImagePlus(IJ.getImage());
				final int m = (int) sino.size("x"), views = (int) sino.size("y");
				nz = (int) (sino.size("z") * sino.size("t"));
				r = DiffusionJob.ct(sino.data(), m, views, nz, Angles.resolve(angles, 1, views)[0], s, mon);
				nx = m; ny = m;
			}
			// the standard deviation first, so that the reconstruction is the current image a macro continues with
			if (r.sd() != null) Tiff.toImagePlus(Volume.of(r.sd(), nx, ny, nz), "diffusion-" + s.method + "-sd").show();
			final ImagePlus rec = Tiff.toImagePlus(Volume.of(r.mean(), nx, ny, nz), "diffusion-" + s.method);
			rec.show();
			IJ.log("Recon4D diffusion: " + r.describe());
		}
		catch (final CancellationException e) {
			IJ.showStatus("Recon4D: diffusion reconstruction cancelled");
		}
		catch (final IOException | RuntimeException e) {
			IJ.error("Recon4D Diffusion Prior", e.getMessage());
		}
	}
}
