// Recon4D from Groovy (Fiji's Script Editor, or any Groovy with Recon4D on the class path):
// simulate a dynamic acquisition, reconstruct it with FBP and space-time TV, save the result.
// Set `outDir` in the binding (a folder) to choose where files go; default recon4d-out/groovy.
import java.nio.file.Paths
import org.recon4d.io.OmeZarr
import org.recon4d.io.Volume
import org.recon4d.metrics.Metrics
import org.recon4d.op.tomo.ParallelBeamProjector
import org.recon4d.phantom.Acquisition
import org.recon4d.phantom.AngleSchedule
import org.recon4d.solve.History
import org.recon4d.solve.TomoRecon

def out = Paths.get(binding.hasVariable('outDir') ? outDir.toString() : 'recon4d-out/groovy')
int n = 64, frames = 32

def acq = Acquisition.simulate('dynamic', n, frames, 2, AngleSchedule.BITREVERSED, 'gaussian', 0.005d, 7L)
def A = new ParallelBeamProjector(n, n, 1, n, acq.angles)
def truth = acq.truth.data()

def fbp = TomoRecon.run(A, acq.sinogram.data(), new TomoRecon.Params().method(TomoRecon.Method.FBP).window(16), History.newInstance())
def history = new History(truth, { k, total, cost -> if (k % 50 == 0) println "iteration $k/$total cost $cost" }, null)
def tv = TomoRecon.run(A, acq.sinogram.data(), new TomoRecon.Params().method(TomoRecon.Method.TV_SPACETIME).window(16).iterations(150), history)

OmeZarr.write(Volume.of(tv, n, n, frames), out.resolve('tv-spacetime.ome.zarr'), false)
def result = [fbp: Metrics.psnr(fbp, truth), tv: Metrics.psnr(tv, truth), folder: out.toString()]
println "PSNR: FBP ${result.fbp} dB, space-time TV ${result.tv} dB -> ${out}"
return result
