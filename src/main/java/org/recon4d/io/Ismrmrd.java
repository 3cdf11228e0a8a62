package org.recon4d.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;

/**
 * ISMRMRD raw data ({@code /dataset/data}: one record per readout with a header, trajectory and
 * interleaved complex samples, channel after channel; {@code /dataset/xml}: the encoding), read
 * with jHDF into Cartesian multi-coil k-space {2, nx, ny, coils, batch}: x = readout sample, y =
 * {@code kspace_encode_step_1}, batch = the distinct (repetition, phase, slice) combinations in
 * that order. Noise, navigator and phase-correction readouts are skipped; unacquired lines stay
 * zero. The XML's encoded and reconstructed matrix sizes are kept for cropping the readout
 * oversampling.
 */
public final class Ismrmrd {

	/** Decoded k-space and the matrix sizes from the header. */
	public static final class Data {
		public final float[] kspace;
		public final int nx, ny, coils, batch, reconNx, reconNy;

		Data(final float[] kspace, final int nx, final int ny, final int coils, final int batch, final int reconNx, final int reconNy) {
			this.kspace = kspace;
			this.nx = nx;
			this.ny = ny;
			this.coils = coils;
			this.batch = batch;
			this.reconNx = reconNx;
			this.reconNy = reconNy;
		}
	}

	// ISMRMRD flag numbers (bit = number - 1)
	private static final int NOISE = 19, PHASECORR = 22, NAVIGATION = 23;
	private static final Pattern SPACE = Pattern.compile("<(encodedSpace|reconSpace)>.*?<matrixSize>\\s*<x>(\\d+)</x>\\s*<y>(\\d+)</y>", Pattern.DOTALL);

	private Ismrmrd() {}

	public static Data read(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new BadFileException(file, "no such file");
		final HdfFile h;
		try {
			h = new HdfFile(file);
		}
		catch (final RuntimeException e) {
			throw new BadFileException(file, "not a readable HDF5 file (" + e.getMessage() + ")", e);
		}
		try (HdfFile hdf = h) {
			final Dataset xmlSet, dataSet;
			try {
				xmlSet = hdf.getDatasetByPath("dataset/xml");
				dataSet = hdf.getDatasetByPath("dataset/data");
			}
			catch (final RuntimeException e) {
				throw new BadFileException(file, "no ISMRMRD '/dataset/xml' and '/dataset/data' (" + e.getMessage() + ")", e);
			}
			final Object xmlObj = xmlSet.getData();
			final String xml = xmlObj instanceof String[] ? ((String[]) xmlObj)[0] : String.valueOf(xmlObj);
			int encX = -1, encY = -1, recX = -1, recY = -1;
			final Matcher m = SPACE.matcher(xml);
			while (m.find()) {
				if (m.group(1).equals("encodedSpace") && encX < 0) { encX = Integer.parseInt(m.group(2)); encY = Integer.parseInt(m.group(3)); }
				if (m.group(1).equals("reconSpace") && recX < 0) { recX = Integer.parseInt(m.group(2)); recY = Integer.parseInt(m.group(3)); }
			}
			if (encX < 1 || encY < 1) throw new BadFileException(file, "the XML header has no encodedSpace matrixSize");
			final Object raw = dataSet.getData();
			if (!(raw instanceof Map)) throw new BadFileException(file, "'/dataset/data' is not a compound of head, traj, data");
			final Map<?, ?> rec = (Map<?, ?>) raw;
			final Map<?, ?> head = (Map<?, ?>) rec.get("head");
			final Object[] samples = (Object[]) rec.get("data");
			if (head == null || samples == null) throw new BadFileException(file, "'/dataset/data' lacks the 'head' or 'data' member");
			final Map<?, ?> idx = (Map<?, ?>) head.get("idx");
			final int[] ns = (int[]) head.get("number_of_samples"), ch = (int[]) head.get("active_channels");
			final int[] line = (int[]) idx.get("kspace_encode_step_1"), slice = (int[]) idx.get("slice"), rep = (int[]) idx.get("repetition"),
				phase = (int[]) idx.get("phase");
			final BigInteger[] flags = (BigInteger[]) head.get("flags");
			final int n = samples.length;
			// batch = distinct (repetition, phase, slice), ordered
			final TreeMap<Long, Integer> batchIndex = new TreeMap<>();
			int coils = -1;
			for (int a = 0; a < n; a++) {
				if (skip(flags[a])) continue;
				batchIndex.put(key(rep[a], phase[a], slice[a]), 0);
				if (coils < 0) coils = ch[a];
				else if (ch[a] != coils) throw new BadFileException(file, "readout " + a + " has " + ch[a] + " channels, earlier ones " + coils);
				if (ns[a] != encX) throw new BadFileException(file, "readout " + a + " has " + ns[a] + " samples; the encoded matrix has " + encX);
				if (line[a] < 0 || line[a] >= encY) throw new BadFileException(file, "readout " + a + " is line " + line[a] + ", outside 0.." + (encY - 1));
			}
			if (coils < 1) throw new BadFileException(file, "no imaging readouts (only noise, navigator or phase-correction data)");
			int b = 0;
			for (final Map.Entry<Long, Integer> e : batchIndex.entrySet()) e.setValue(b++);
			final int batch = b, img = encX * encY;
			final float[] k = new float[2 * img * coils * batch];
			for (int a = 0; a < n; a++) {
				if (skip(flags[a])) continue;
				final float[] d = (float[]) samples[a];
				if (d.length != 2 * encX * coils) throw new BadFileException(file, "readout " + a + " holds " + d.length + " floats, expected " + 2 * encX * coils + " (truncated?)");
				final int bi = batchIndex.get(key(rep[a], phase[a], slice[a]));
				for (int c = 0; c < coils; c++) for (int s = 0; s < encX; s++) {
					final int o = 2 * (((bi * coils + c) * encY + line[a]) * encX + s);
					k[o] = d[2 * (c * encX + s)];
					k[o + 1] = d[2 * (c * encX + s) + 1];
				}
			}
			return new Data(k, encX, encY, coils, batch, recX > 0 ? recX : encX, recY > 0 ? recY : encY);
		}
		catch (final ClassCastException | NullPointerException e) {
			throw new BadFileException(file, "unexpected ISMRMRD layout (" + e + ")", e);
		}
		catch (final RuntimeException e) {
			throw new BadFileException(file, "cannot read the ISMRMRD data (" + e.getMessage() + ")", e);
		}
	}

	/** True when an HDF5 file has ISMRMRD's '/dataset/data' (rather than fastMRI's 'kspace'). */
	public static boolean looksLike(final Path file) {
		try (HdfFile hdf = new HdfFile(file)) {
			final io.jhdf.api.Node d = hdf.getChildren().get("dataset");
			return d instanceof io.jhdf.api.Group && ((io.jhdf.api.Group) d).getChildren().containsKey("data");
		}
		catch (final RuntimeException e) {
			return false;
		}
	}

	private static boolean skip(final BigInteger f) {
		return f.testBit(NOISE - 1) || f.testBit(PHASECORR - 1) || f.testBit(NAVIGATION - 1);
	}

	private static long key(final int rep, final int phase, final int slice) {
		return ((long) rep << 40) | ((long) phase << 20) | slice;
	}

	/** Crops the readout (x) to the centred width w, e.g. the reconstruction size without oversampling. */
	public static float[] cropX(final float[] image, final int nx, final int ny, final int batch, final int w) {
		final float[] out = new float[w * ny * batch];
		final int x0 = nx / 2 - w / 2;
		for (int b = 0; b < batch; b++) for (int j = 0; j < ny; j++)
			System.arraycopy(image, (b * ny + j) * nx + x0, out, (b * ny + j) * w, w);
		return out;
	}
}
