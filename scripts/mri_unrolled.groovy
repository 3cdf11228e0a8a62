// Unrolled-network MRI from Groovy (Fiji's Script Editor, or any Groovy with Recon4D on the class path).
// `kspace`: a fastMRI .h5, BART .cfl or complex .npy [slices, coils, ky, kx], zero where not sampled
// (or fully sampled, with `undersample` = 'random:4'); when none is given, simulates held-out slices
// (BrainPhantom seeds 1,000,000.., 8 coils, 4x). `network`: e2e-varnet, recurrentvarnet (the shipped
// weights), a Recon4D .npz checkpoint or a TorchScript .pt. Writes the magnitude for BigDataViewer
// (XML + N5) and as OME-Zarr into `outDir`; returns SSIM/PSNR when it simulated (truth known).
import java.nio.file.Path
import org.recon4d.io.Volume
import org.recon4d.io.Volumes
import org.recon4d.metrics.Metrics
import org.recon4d.mri.MriJob
import org.recon4d.solve.Monitor
import org.recon4d.unroll.MriSamples
import org.recon4d.unroll.UnrolledJob

Path out = Path.of(binding.hasVariable('outDir') ? outDir : 'recon4d-out/mri-unrolled-groovy')
String network = binding.hasVariable('network') ? network : 'e2e-varnet'
String under = binding.hasVariable('undersample') ? undersample : 'none'
String output = binding.hasVariable('output') ? output : 'combined'   // or 'rss' (fastMRI); TorchScript models have their own
MriJob.Kspace k
float[] truth = null
if (binding.hasVariable('kspace')) {
    k = MriJob.undersample(MriJob.load(Path.of(kspace)), under, 1L)
} else {
    int n = 128, coils = 8, slices = 2
    def s = MriSamples.make(n, coils, [1_000_000L, 1_000_001L] as long[], [4d, 4d] as double[], 0.01d, 1_000_004L)
    k = new MriJob.Kspace(s.kspace(), n, n, coils, slices)
    truth = s.target()
}
float[] mag = UnrolledJob.reconstruct(k, network, 4, org.recon4d.unroll.Net.Output.parse(output), { it, total, cost, img -> println "slices $it/$total" } as Monitor)
def vol = Volume.of(mag, k.nx as long, k.ny as long, k.batch as long)
Volumes.write(vol, out.resolve('unrolled.xml'), false)       // BigDataViewer XML + N5
Volumes.write(vol, out.resolve('unrolled.ome.zarr'), false)  // OME-Zarr
def result = [:]
if (truth != null) {
    int img = k.nx * k.ny
    result.ssim = (0..<k.batch).collect { b -> Metrics.ssim(Arrays.copyOfRange(mag, b * img, (b + 1) * img), Arrays.copyOfRange(truth, b * img, (b + 1) * img), k.nx, k.ny) }.sum() / k.batch
    result.psnr = Metrics.psnr(mag, truth)
}
println "wrote ${out.resolve('unrolled.xml')} and ${out.resolve('unrolled.ome.zarr')}" + (result ? ", $result" : '')
return mag
