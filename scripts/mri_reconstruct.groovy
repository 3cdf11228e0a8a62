// Multi-coil MRI from Groovy (Fiji's Script Editor, or any Groovy with Recon4D on the class path).
// Reads k-space from `kspace`: a fastMRI .h5, a BART .cfl (x, y, 1, coils[, slices]) or a complex .npy
// [slices, coils, ky, kx]; or simulates an 8-coil,
// 4x undersampled Shepp-Logan when none is given; reconstructs with CG-SENSE and TV (ESPIRiT coil maps
// from the calibration centre, or `maps`), and writes the TV magnitude for BigDataViewer (XML + N5) and
// as OME-Zarr into `outDir`. Returns the PSNRs when it simulated (the truth is known then).
import java.nio.file.Path
import org.recon4d.bench.MriBench
import org.recon4d.io.Cfl
import org.recon4d.io.Volume
import org.recon4d.io.Volumes
import org.recon4d.metrics.Metrics
import org.recon4d.mri.CoilMaps
import org.recon4d.mri.MriJob
import org.recon4d.mri.MriRecon
import org.recon4d.op.mri.Masks
import org.recon4d.op.mri.Sense
import org.recon4d.phantom.SheppLogan
import org.recon4d.solve.Monitor

Path out = Path.of(binding.hasVariable('outDir') ? outDir : 'recon4d-out/mri-groovy')
Path k = binding.hasVariable('kspace') ? Path.of(kspace) : null
float[] truth = null
if (k == null) {
    int n = 128, coils = 8
    truth = SheppLogan.image(n)
    float[] x = new float[2 * n * n]
    for (int p = 0; p < n * n; p++) x[2 * p] = truth[p]
    def mask = Masks.lines(Masks.random1d(n, 4, 0.08d, 1L), n)
    def A = new Sense(n, n, coils, 1, CoilMaps.simulate(n, n, coils), mask)
    k = out.resolve('simulated-k')
    Cfl.write(k, [n, n, 1, coils] as long[], A.apply(x), false)
}
Path maps = binding.hasVariable('maps') ? Path.of(maps) : null
def result = [:]
def tvMag = null
for (method in ['sense', 'tv']) {
    def p = new MriRecon.Params()
    p.method = MriRecon.Method.parse(method)
    p.lambda = method == 'tv' ? 0.005d : 0.01d
    p.iterations = 30
    def r = MriJob.reconstruct(k, maps, 'espirit', 12, p, { it, total, cost, img -> if (it % 10 == 0) println "$method $it/$total" } as Monitor)
    float[] mag = MriRecon.magnitude(r.image)
    if (truth != null) result[method] = Metrics.psnr(MriBench.align(mag, truth), truth)
    if (method == 'tv') tvMag = Volume.of(mag, r.nx as long, r.ny as long, r.batch as long)
}
Volumes.write(tvMag, out.resolve('mri-tv.xml'), false)       // BigDataViewer XML + N5
Volumes.write(tvMag, out.resolve('mri-tv.ome.zarr'), false)  // OME-Zarr
println "wrote ${out.resolve('mri-tv.xml')} and ${out.resolve('mri-tv.ome.zarr')}" + (result ? ", PSNR: $result" : '')
return result
