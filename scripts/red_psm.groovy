// RED-PSM from Groovy (Fiji's Script Editor, or any Groovy with Recon4D on the class path).
// Simulates the dynamic phantom, reconstructs with space-time TV and with RED-PSM started from
// it, and returns the PSNRs. Binding variables (all optional): size, frames, outer, denoiser.
import org.recon4d.metrics.Metrics
import org.recon4d.op.tomo.ParallelBeamProjector
import org.recon4d.phantom.Acquisition
import org.recon4d.phantom.AngleSchedule
import org.recon4d.solve.Monitor
import org.recon4d.solve.TomoRecon

int n = binding.hasVariable('size') ? size as int : 64
int P = binding.hasVariable('frames') ? frames as int : 32
def acq = Acquisition.simulate('dynamic', n, P, 1, AngleSchedule.BITREVERSED, 'gaussian', 0.005d, 1L)
def A = new ParallelBeamProjector(n, n, 1, n, acq.angles)
def truth = acq.truth.data()

def tv = TomoRecon.run(A, acq.sinogram.data(), new TomoRecon.Params().method(TomoRecon.Method.TV_SPACETIME), Monitor.NONE)

def p = new TomoRecon.Params().method(TomoRecon.Method.RED_PSM)
p.psm.rank = 8                      // K: K + 1 spatial maps x temporal functions
p.psm.latents = 17                  // d: spline latents per temporal function
p.psm.outer = binding.hasVariable('outer') ? outer as int : 4
p.denoiser = binding.hasVariable('denoiser') ? denoiser : 'artefact'
def red = TomoRecon.run(A, acq.sinogram.data(), p, { k, total, cost, x -> println "RED-PSM iteration $k/$total" } as Monitor)

def result = [tv: Metrics.psnr(tv, truth), redpsm: Metrics.psnr(red, truth)]
println "PSNR: space-time TV ${result.tv} dB, RED-PSM ${result.redpsm} dB"
return result
