package org.recon4d.command;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.recon4d.bench.TomoBench;
import org.recon4d.report.BenchTable;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Benchmarks against reference tools: {@code recon4d bench tomo [out=DIR] [size=256,512]}. Writes
 * DIR/NAME.json, prints the table and refreshes its section of docs/benchmarks.md.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Recon4D>Benchmark", headless = true, label = "Recon4D Benchmark")
public class BenchCommand extends ContextCommand {

	@Parameter private LogService log;

	@Parameter(label = "Benchmark", choices = { "tomo", "projector", "redpsm", "redpsm-scale", "redpsm-tune", "mri", "mri-dynamic", "unrolled", "diffusion", "avatar" })
	private String name = "tomo";

	@Parameter(label = "Output folder (empty: recon4d-out/bench)", required = false, persist = false)
	private String out = "";

	@Parameter(label = "Sizes (comma separated)")
	private String size = "256,512";

	@Parameter(label = "Angles")
	private int angles = 180;

	@Parameter(label = "Rounds (interleaved)")
	private int rounds = 3;

	@Parameter(label = "Repeats per round")
	private int reps = 5;

	@Parameter(label = "RED-PSM / PSM outer iterations (redpsm)")
	private int outer = 16;

	@Parameter(label = "RED-PSM outer iterations in the 256 x 256 x 256 scale run (redpsm)")
	private int scaleOuter = 3;

	@Parameter(label = "Run the 256 x 256, 256-frame scale case (redpsm; or run bench redpsm-scale alone)")
	private boolean scale = true;

	@Parameter(label = "Phantom seed of the tuning sequence (redpsm-tune; the benchmark itself uses 1)", persist = false)
	private long seed = 21;

	@Parameter(label = "Frames P (redpsm-tune)", min = "2", persist = false)
	private int frames = 128;

	@Parameter(label = "Rank and latent pairs KxD, comma separated (redpsm-tune)", persist = false)
	private String configs = "6x9,8x13,8x17,10x17,12x17,8x21";

	@Parameter(label = "Iterations per MRI reconstruction (mri)")
	private int iterations = 30;

	@Parameter(label = "Held-out slices per task (unrolled)", min = "1")
	private int slices = 16;

	@Parameter(label = "Weights: folder with e2e-varnet.npz and recurrentvarnet.npz (unrolled; empty: sample-data/unrolled) or a score .npz (diffusion; empty: sample-data/diffusion/score.npz)", required = false, persist = false)
	private String weights = "";

	@Parameter(label = "Volume slices (diffusion)", min = "2", persist = false)
	private int volumeSlices = 64;

	@Parameter(label = "Steps per diffusion method, as dps,red-diff,mbir,bdia (diffusion)", persist = false)
	private String steps = "50,50,100,25";

	@Parameter(label = "Tasks, comma separated (diffusion; empty: all)", required = false, persist = false)
	private String tasks = "";

	@Parameter(label = "Python with the reference tools")
	private String python = System.getProperty("recon4d.python", "/usr/bin/python3");

	@Parameter(label = "Update docs/benchmarks.md")
	private boolean updateDocs = true;

	@Parameter(type = ItemIO.OUTPUT, label = "Table")
	private String table;

	/** docs/benchmarks.md of the Recon4D folder (system property recon4d.home, default the working folder). */
	static Path docs() {
		return Path.of(System.getProperty("recon4d.home", "."), "docs", "benchmarks.md");
	}

	@Override
	public void run() {
		final File dir = out != null && !out.isBlank() ? new File(out) : new File(System.getProperty("recon4d.home", "."), "recon4d-out/bench");
		try {
			final BenchTable t;
			switch (name.toLowerCase(Locale.ROOT)) {
				case "tomo":
					t = TomoBench.run(TomoBench.parseSizes(size), angles, rounds, reps, dir.toPath().resolve("work-tomo"), python, log::info);
					break;
				case "redpsm":
					t = org.recon4d.bench.RedPsmBench.run(outer, scaleOuter, scale, log::info);
					break;
				case "redpsm-scale":
					t = org.recon4d.bench.RedPsmBench.runScale(scaleOuter, log::info);
					break;
				case "redpsm-tune":
					t = org.recon4d.bench.RedPsmBench.tune(seed, frames, configs, outer, log::info);
					break;
				case "projector":
					t = org.recon4d.bench.ProjectorBench.run(reps * 3, log::info);
					break;
				case "mri":
					t = org.recon4d.bench.MriBench.run(256, 8, iterations, 1.0, dir.toPath().resolve("work-mri"), log::info);
					break;
				case "mri-dynamic":
					t = org.recon4d.bench.MriDynamicBench.run(64, 20, 6, 13, iterations, dir.toPath().resolve("work-mri-dynamic"), log::info);
					break;
				case "unrolled":
					t = org.recon4d.bench.UnrolledBench.run(slices, weights == null || weights.isBlank() ? org.recon4d.bench.UnrolledBench.defaultWeights() : Path.of(weights), log::info);
					break;
				case "diffusion": {
					final org.recon4d.bench.DiffusionBench.Config c = new org.recon4d.bench.DiffusionBench.Config();
					c.slices = volumeSlices;
					final String[] st = steps.split(",");
					if (st.length != 4) throw new IllegalArgumentException("steps= needs four numbers (dps,red-diff,mbir,bdia), got '" + steps + "'");
					c.dpsSteps = Integer.parseInt(st[0].trim());
					c.redSteps = Integer.parseInt(st[1].trim());
					c.mbirSteps = Integer.parseInt(st[2].trim());
					c.fastSteps = Integer.parseInt(st[3].trim());
					c.tasks = tasks == null ? "" : tasks;
					if (weights != null && !weights.isBlank()) c.weights = Path.of(weights);
					c.pictures = dir.toPath();
					java.nio.file.Files.createDirectories(c.pictures);
					t = org.recon4d.bench.DiffusionBench.run(c, log::info);
					break;
				}
				case "avatar":
					t = org.recon4d.bench.AvatarBench.run(Path.of(System.getProperty("recon4d.home", "."), "sample-data", "avatar"), log::info);
					break;
				default: throw new IllegalArgumentException("unknown benchmark '" + name + "' (available: tomo, projector, redpsm, redpsm-scale, redpsm-tune, mri, mri-dynamic, unrolled, diffusion, avatar)");
			}
			final Path json = dir.toPath().resolve(name + ".json");
			t.writeJson(json, true);
			table = t.markdown();
			if (updateDocs && name.equals("tomo")) t.updateDoc(docs(), "Tomography: projector and FBP vs scikit-image (`./recon4d bench tomo`)",
				"Recon4D's Joseph projector and its exact adjoint (host Java, all cores) against scikit-image's `radon` and `iradon` " +
				"(`filter_name=None` for the unfiltered backprojection, `ramp` for FBP; both with the circular field of view). " +
				"`speedup` = skimage seconds / recon4d seconds. PSNR and SSIM of each FBP against the Shepp-Logan phantom. " +
				"Regenerate with `./recon4d bench tomo`.");
			if (updateDocs && name.equals("redpsm")) t.updateDoc(docs(), "RED-PSM on the dynamic phantom (`./recon4d bench redpsm`)",
				"128 x 128 dynamic phantom, one projection per frame in bit-reversed order, Gaussian noise 0.5 % of the sinogram maximum. " +
				"PSNR and SSIM over the whole x-y-t volume of the last iterate after the fixed budget (no best-iterate selection against " +
				"ground truth, unlike the RED-PSM paper's code). `peak_mb` is the Java heap peak; the denoiser's native (libtorch) memory is not in it. " +
				"Regenerate with `./recon4d bench redpsm`.");
			if (updateDocs && name.equals("redpsm-scale")) t.updateDoc(docs(), "RED-PSM at 256 x 256 with 256 frames (`./recon4d bench redpsm-scale`)",
				"The scale check: matrix-free projector, DnCNN applied in batches of at most 2^18 pixels. `seconds_per_outer` is measured " +
				"between outer iterations (denoiser + 10 PSM steps). Regenerate with `./recon4d bench redpsm-scale`.");
			if (updateDocs && name.equals("redpsm-tune")) t.updateDoc(docs(), "RED-PSM rank and latents, chosen on a tuning sequence (`./recon4d bench redpsm-tune`)",
				"The same acquisition as the RED-PSM benchmark with another phantom seed (default 21; the benchmark's seed 1 is refused). " +
				"One space-time TV start, then RED-PSM for each rank K and latent count d with the default lambda, beta and budget; " +
				"PSNR and SSIM of the last iterate. The defaults K and d were read off this table. " +
				"Regenerate with `./recon4d bench redpsm-tune` (`seed=`, `frames=`, `configs=8x17,...`).");
			if (updateDocs && name.equals("projector")) t.updateDoc(docs(), "Projector implementation choice (`./recon4d bench projector`)",
				"The same system matrix two ways: host Java kernels (both directions are gathers, parallel over rays or pixels) and " +
				"DJL/libtorch (`take` on a padded index table; the adjoint is autograd's scatter-add). Solvers use the host kernels; " +
				"the DJL form is for training through the projector. Regenerate with `./recon4d bench projector`.");
			if (updateDocs && name.equals("mri")) t.updateDoc(docs(), "MRI: Recon4D vs BART (`./recon4d bench mri`)",
				"BART's analytic 8-coil Shepp-Logan k-space (256 x 256) with complex Gaussian noise (`bart noise -n 1`), undersampled by " +
				"Recon4D's masks (`cart1d-R4`/`-R8`: fastMRI random lines; `poisson2d`: variable-density Poisson disc at 6x); both tools reconstruct " +
				"the same data with BART's `ecalib -m1` maps and the same iteration counts. CG-SENSE uses lambda 0.01 in both; L1-wavelet and TV " +
				"lambdas are tuned for each tool by the same rule on a separate phantom (BART's geometric phantom `-G`, masks of another seed), " +
				"never on the benchmark data. Reference: RSS of BART's noiseless coil images; each magnitude is aligned to it by one " +
				"least-squares scalar. `coil-maps` rows: mean coherence with BART's true sensitivities inside the object (Recon4D: ESPIRiT; " +
				"`coil-maps-acs`: the fast ACS estimate); `recon4d-own-maps`: Recon4D end to end with its ESPIRiT maps. `seconds_1t`: one thread; " +
				"`seconds`: all threads; BART runs with `OMP_WAIT_POLICY=passive`. Regenerate with `./recon4d bench mri`.");
			if (updateDocs && name.equals("mri-dynamic")) t.updateDoc(docs(), "Dynamic MRI: golden-angle radial, Recon4D vs BART (`./recon4d bench mri-dynamic`)",
				"Cardiac-like phantom, golden-angle radial spokes (consecutive golden angles across frames), simulated coils whose true maps both " +
				"tools use; the same k-space and trajectory (BART: `-t traj`, time on dim 10). PSNR/SSIM of the magnitude over all frames after one " +
				"least-squares scale; lambdas tuned for each tool on a separate phantom (other heart and breathing rates, other noise). Regenerate with `./recon4d bench mri-dynamic`.");
			if (updateDocs && name.equals("unrolled")) t.updateDoc(docs(), "Unrolled networks for accelerated MRI (`./recon4d bench unrolled`)",
				"Held-out simulated slices (BrainPhantom seeds from 1,000,000, never drawn in training), 128 x 128, 8 loop coils with unit " +
				"root-sum-of-squares, complex noise 1% of the image maximum, fastMRI random 1D masks (4x: centre 8%; 8x: centre 4%). Classical " +
				"methods get the true coil maps (favours them); the networks estimate their own from the ACS lines. L1-wavelet lambda tuned by SSIM on " +
				"other slices. SSIM/PSNR/NMSE of the magnitude against the true magnitude, averaged over slices; `ssim_object`: SSIM over window " +
				"centres inside the object only (the background is exactly zero in the truth); `seconds` per slice (2 cores, after " +
				"one warm-up slice); `peak_mb` the process's peak resident memory during the method. `-rss` rows: the same networks with fastMRI's RSS output " +
				"instead of the coil combination. `speed-256`: one 256 x 256 8-coil slice, for the time; the networks were trained at 128 x 128 only, so its quality " +
				"columns measure resolution transfer, not the method. `ct-32view`: 128 x 128 static frames of the dynamic phantom (seeds 1.., training used 1000..), " +
				"32 views, 0.5% noise; ramp FBP, TV (PDHG, lambda tuned by SSIM on other frames) and the CT variational network. " +
				"Weights: `sample-data/unrolled` (model cards beside them). Regenerate with `./recon4d bench unrolled`.");
			if (updateDocs && name.equals("diffusion")) t.updateDoc(docs(), "Diffusion priors, 3D sparse-view CT and CS-MRI (`./recon4d bench diffusion`)",
				"A held-out procedural head (BrainVolume seed 1,000,000; the score network trained on seeds 0..191): the central " + volumeSlices +
				" slices of a 64-slice stack, 64 x 64 each, reconstructed as one batch of 2D slices by the 2D prior. CT: parallel beam, views uniform over [0, pi), " +
				"Gaussian noise 0.5% of the sinogram maximum. MRI: 8 loop coils, fastMRI random lines at 4x (8% centre) shared by all slices, complex noise 0.2% of the k-space maximum, " +
				"real-valued image. TV: 3D, lambda tuned by PSNR on the central 16 slices of another head (seed 1,000,001); diffusion settings fixed (row `settings`), " +
				"chosen on that head. PSNR over the volume, SSIM averaged over slices, `z_grad_error` = |D_z(x - truth)| / |D_z truth|, `nfe` network evaluations " +
				"over the whole volume (DPS: each with a backward pass), `seconds` wall time on 2 cores, `peak_mb` sampled peak resident memory (JVM + libtorch). " +
				"Last iterate (one posterior draw), no selection against the truth. Network: `sample-data/diffusion/score.npz`. Regenerate with `./recon4d bench diffusion`.");
			if (updateDocs && name.equals("avatar")) t.updateDoc(docs(), "Avatar inverse rendering on the Blender fixture (`./recon4d bench avatar`)",
				"Fixture `sample-data/avatar` (Blender 3.4 Cycles, 128 x 128, rigged procedural humanoid, 2578 vertices). Fit on 24 training frames (poses 0-2, 8 cameras); " +
				"`novel-view`: 2 held-out cameras x 3 poses; `novel-pose`: held-out pose x 10 cameras. `psnr`/`ssim`: sRGB colour on the true mask's bounding box; " +
				"`albedo_psnr`: linear albedo inside both masks after one least-squares scale per channel; `normal_deg`: mean angle to Blender's normal pass; " +
				"`chamfer_*`: mm, symmetric, vertices + triangle centroids, mean over the 4 poses; `fit`: template deflated to 0.8 about its root (bone scales only); `fit-detail`: the same plus 20 Laplacian-preconditioned offset steps; " +
				"`fit-true-start`: the true template (appearance ceiling). `seconds`: fit wall time; `render_fps`: the plain-Java renderer at 128 x 128 (shadow transfer precomputed per pose). " +
				"Task `render`: the Java renderer with shadows (transfer counted) against Blender Cycles (64 samples) on 128 x 128 frames of the same scene, " +
				"Blender's time per frame from the difference of runs with 2 and 1 cameras. Last iterate, no selection against the truth. Regenerate with `./recon4d bench avatar`.");
			log.info("wrote " + json.toAbsolutePath() + "\n" + table);
		}
		catch (final IOException | IllegalArgumentException e) {
			log.error("Benchmark " + name + ": " + e.getMessage(), e);
			cancel("Benchmark failed: " + e.getMessage());
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			cancel("Benchmark interrupted");
		}
	}
}
