package org.recon4d.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recon4d.bench.MriBench;
import org.recon4d.metrics.Metrics;
import org.recon4d.mri.MriJob;
import org.recon4d.mri.MriRecon;
import org.recon4d.solve.Monitor;

import io.jhdf.HdfFile;

/** ISMRMRD files written by Debian's ismrmrd-tools: decoding, reconstruction against the file's phantom, malformed input. */
class IsmrmrdTest {

	@TempDir Path dir;

	@Test
	void readsAndReconstructsTheGeneratedSheppLogan() throws Exception {
		// 64 x 64, 4 coils, readout oversampling 2, acceleration 2 with a 16-line calibration region
		final Process p = new ProcessBuilder("ismrmrd_generate_cartesian_shepp_logan", "-m", "64", "-c", "4", "-a", "2", "-w", "16", "-n", "0.01",
			"-o", dir.resolve("sl.h5").toString()).redirectErrorStream(true).start();
		final String log = new String(p.getInputStream().readAllBytes());
		assertEquals(0, p.waitFor(), "ismrmrd_generate_cartesian_shepp_logan failed (scripts/setup-deps.sh installs ismrmrd-tools): " + log);
		assertTrue(Ismrmrd.looksLike(dir.resolve("sl.h5")));
		final Ismrmrd.Data d = Ismrmrd.read(dir.resolve("sl.h5"));
		assertEquals(128, d.nx, "encoded x with oversampling 2");
		assertEquals(64, d.ny);
		assertEquals(4, d.coils);
		assertEquals(64, d.reconNx);
		// the reference: the file's own phantom (complex as a compound with members real, imag)
		final float[] truth;
		try (HdfFile h = new HdfFile(dir.resolve("sl.h5"))) {
			final Map<?, ?> ph = (Map<?, ?>) h.getDatasetByPath("dataset/phantom").getData();
			final float[] re = Hdf5Kspace.flatten(ph.get("real")), im = Hdf5Kspace.flatten(ph.get("imag"));
			truth = new float[re.length];
			for (int i = 0; i < re.length; i++) truth[i] = (float) Math.hypot(re[i], im[i]);
		}
		final MriRecon.Params rp = new MriRecon.Params();
		rp.method = MriRecon.Method.SENSE;
		rp.iterations = 30;
		final MriJob.Kspace k = MriJob.load(dir.resolve("sl.h5"));
		final MriJob.Result r = MriJob.reconstruct(k, null, "espirit", 16, rp, Monitor.NONE);
		final float[] first = java.util.Arrays.copyOf(Ismrmrd.cropX(MriRecon.magnitude(r.image), r.nx, r.ny, r.batch, k.reconNx), 64 * 64);
		final double psnr = Metrics.psnr(MriBench.align(first, truth), truth);
		System.out.printf("ISMRMRD Shepp-Logan (%d images, %.0f%% of lines): CG-SENSE with ESPIRiT maps %.2f dB against the file's phantom%n", r.batch, 100 * r.sampled, psnr);
		// measured 31.6 dB; a wrong line order, channel layout or crop gives under 15 dB
		assertTrue(psnr > 28, "PSNR " + psnr);
	}

	@Test
	void malformedFilesAreNamed() throws Exception {
		final Path notH5 = dir.resolve("x.h5");
		Files.writeString(notH5, "not hdf5");
		assertFalse(Ismrmrd.looksLike(notH5));
		assertTrue(assertThrows(BadFileException.class, () -> Ismrmrd.read(notH5)).getMessage().contains("x.h5"));
		assertTrue(assertThrows(BadFileException.class, () -> Ismrmrd.read(dir.resolve("none.h5"))).getMessage().contains("no such file"));
		final Process p = new ProcessBuilder("ismrmrd_generate_cartesian_shepp_logan", "-m", "32", "-c", "2", "-o", dir.resolve("ok.h5").toString())
			.redirectErrorStream(true).start();
		p.getInputStream().readAllBytes();
		assertEquals(0, p.waitFor());
		final byte[] all = Files.readAllBytes(dir.resolve("ok.h5"));
		Files.write(dir.resolve("cut.h5"), java.util.Arrays.copyOf(all, all.length / 3));
		final Exception e = assertThrows(BadFileException.class, () -> Ismrmrd.read(dir.resolve("cut.h5")));
		assertTrue(e.getMessage().contains("cut.h5"), e.getMessage());
	}
}
