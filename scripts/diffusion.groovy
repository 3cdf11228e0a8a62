// Sparse-view CT of a 3D volume with a diffusion prior, from Groovy (Fiji's Script Editor, or any
// Groovy with Recon4D on the class path). Simulates a held-out head (BrainVolume seed 1,000,000,
// `slices` central slices of a 64-slice stack, 64 x 64, `views` views, 0.5% noise), reconstructs it
// with `method` (diffusion-mbir-bdia by default) and `samples` posterior draws, writes the mean and the
// per-voxel standard deviation for BigDataViewer (XML + N5) into `outDir`, and returns PSNRs.
import java.nio.file.Path
import org.recon4d.diffusion.DiffusionJob
import org.recon4d.io.Volume
import org.recon4d.io.Volumes
import org.recon4d.metrics.Metrics
import org.recon4d.op.tomo.ParallelBeamProjector
import org.recon4d.phantom.BrainVolume
import org.recon4d.phantom.Noise
import org.recon4d.solve.Fbp
import org.recon4d.solve.Monitor

Path out = Path.of(binding.hasVariable('outDir') ? outDir : 'recon4d-out/diffusion-groovy')
int n = 64
int slices = binding.hasVariable('slices') ? slices as int : 8
int views = binding.hasVariable('views') ? views as int : 8
def s = new DiffusionJob.Settings()
s.method = binding.hasVariable('method') ? method : 'diffusion-mbir-bdia'
s.steps = binding.hasVariable('steps') ? steps as int : 25
s.samples = binding.hasVariable('samples') ? samples as int : 4

int first = (64 - slices).intdiv(2)
float[] truth = Arrays.copyOfRange(BrainVolume.volume(n, 64, 1_000_000L), first * n * n, (first + slices) * n * n)
double[] angles = (0..<views).collect { Math.PI * it / views } as double[]
def a = new ParallelBeamProjector(n, n, slices, n, [angles] as double[][])
float[] sino = Noise.gaussian(a.apply(truth), 0.005d, 1L)
def r = DiffusionJob.ct(sino, n, views, slices, angles, s, { k, total, cost, x -> if (k % 10 == 0) println "step $k/$total" } as Monitor)
Volumes.write(Volume.of(r.mean(), n as long, n as long, slices as long), out.resolve('diffusion.xml'), false)
if (r.sd() != null) Volumes.write(Volume.of(r.sd(), n as long, n as long, slices as long), out.resolve('diffusion-sd.xml'), false)
def result = [fbp: Metrics.psnr(Fbp.reconstruct(a, sino, Fbp.Filter.RAMP), truth), diffusion: Metrics.psnr(r.mean(), truth), nfe: r.nfe()]
println "wrote ${out.resolve('diffusion.xml')}: $result (${r.describe()})"
return result
