package org.recon4d.io;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileInfo;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.io.TiffDecoder;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;

/**
 * TIFF stacks through ImageJ 1.x. Reading maps an ImageJ hyperstack (x, y, c, z, t) to a volume
 * with axes x, y, [z], [t] (single-channel only) and carries the calibration; the file's strips
 * are checked against its length first, so a truncated file is an error, not zeros.
 */
public final class Tiff {

	private Tiff() {}

	public static Volume read(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new BadFileException(file, "no such file");
		final FileInfo[] infos;
		try {
			infos = new TiffDecoder(file.getParent() == null ? "" : file.getParent().toString() + File.separator, file.getFileName().toString()).getTiffInfo();
		}
		catch (final IOException | RuntimeException e) {
			throw new BadFileException(file, "not a readable TIFF: " + e.getMessage(), e);
		}
		if (infos == null || infos.length == 0) throw new BadFileException(file, "not a readable TIFF (no image directory)");
		final long length = Files.size(file);
		for (final FileInfo fi : infos) {
			if (fi.compression > FileInfo.COMPRESSION_NONE) continue;
			final long images = infos.length == 1 ? Math.max(1, fi.nImages) : 1;
			final long end = fi.getOffset() + images * fi.width * (long) fi.height * Math.max(1, fi.getBytesPerPixel());
			if (end > length) throw new BadFileException(file, "truncated: image data needs " + end + " bytes, file has " + length);
		}
		final ImagePlus imp = new Opener().openImage(file.toString());
		if (imp == null) throw new BadFileException(file, "ImageJ could not open it as an image");
		if (imp.getNChannels() > 1) throw new BadFileException(file, imp.getNChannels() + " channels; split channels first (one channel per reconstruction)");
		final int w = imp.getWidth(), h = imp.getHeight(), nz = imp.getNSlices(), nt = imp.getNFrames();
		final float[] data = new float[w * h * nz * nt];
		final ImageStack st = imp.getStack();
		for (int i = 0; i < nz * nt; i++) {
			final ImageProcessor ip = st.getProcessor(i + 1);
			final float[] px = (float[]) (ip instanceof FloatProcessor ? ip.getPixels() : ip.convertToFloatProcessor().getPixels());
			System.arraycopy(px, 0, data, i * w * h, w * h);
		}
		for (int i = 0; i < data.length; i++)
			if (!Float.isFinite(data[i])) throw new BadFileException(file, "value " + i + " is " + data[i] + " (NaN or infinite values are not accepted)");
		final Calibration c = imp.getCalibration();
		final java.util.List<String> axes = new java.util.ArrayList<>(java.util.List.of("x", "y"));
		final java.util.List<Long> dims = new java.util.ArrayList<>(java.util.List.of((long) w, (long) h));
		final java.util.List<Double> sp = new java.util.ArrayList<>(java.util.List.of(c.pixelWidth, c.pixelHeight));
		if (nz > 1) { axes.add("z"); dims.add((long) nz); sp.add(c.pixelDepth); }
		if (nt > 1) { axes.add("t"); dims.add((long) nt); sp.add(c.frameInterval > 0 ? c.frameInterval : 1); }
		return new Volume(data, dims.stream().mapToLong(Long::longValue).toArray(), axes.toArray(new String[0]),
			sp.stream().mapToDouble(Double::doubleValue).toArray(), c.getUnit(), c.getTimeUnit());
	}

	/** An ImageJ 1.x hyperstack view of a volume (pixel arrays are copied per plane). */
	public static ImagePlus toImagePlus(final Volume v, final String title) {
		final int w = (int) v.size("x"), h = (int) v.size("y"), nz = (int) v.size("z"), nt = (int) v.size("t");
		final ImageStack st = new ImageStack(w, h);
		final float[] d = v.data();
		for (int i = 0; i < nz * nt; i++) {
			final float[] plane = new float[w * h];
			System.arraycopy(d, i * w * h, plane, 0, w * h);
			st.addSlice(new FloatProcessor(w, h, plane));
		}
		final ImagePlus imp = new ImagePlus(title, st);
		imp.setDimensions(1, nz, nt);
		if (nz * nt > 1) imp.setOpenAsHyperStack(true);
		final Calibration c = imp.getCalibration();
		c.pixelWidth = v.spacing("x");
		c.pixelHeight = v.spacing("y");
		c.pixelDepth = v.spacing("z");
		c.frameInterval = v.has("t") ? v.spacing("t") : 0;
		c.setUnit(v.unit());
		c.setTimeUnit(v.timeUnit());
		imp.resetDisplayRange();
		return imp;
	}

	public static Volume fromImagePlus(final ImagePlus imp) {
		final int w = imp.getWidth(), h = imp.getHeight(), nz = imp.getNSlices(), nt = imp.getNFrames();
		if (imp.getNChannels() > 1) throw new IllegalArgumentException("image '" + imp.getTitle() + "' has " + imp.getNChannels() + " channels; use one channel");
		final float[] data = new float[w * h * nz * nt];
		for (int i = 0; i < nz * nt; i++) {
			final ImageProcessor ip = imp.getStack().getProcessor(i + 1);
			System.arraycopy((float[]) ip.convertToFloatProcessor().getPixels(), 0, data, i * w * h, w * h);
		}
		final boolean z = nz > 1, t = nt > 1;
		final long[] dims = z && t ? new long[] { w, h, nz, nt } : z ? new long[] { w, h, nz } : t ? new long[] { w, h, nt } : new long[] { w, h };
		final String[] axes = z && t ? new String[] { "x", "y", "z", "t" } : z ? new String[] { "x", "y", "z" } : t ? new String[] { "x", "y", "t" } : new String[] { "x", "y" };
		final Calibration c = imp.getCalibration();
		final double[] sp = new double[dims.length];
		sp[0] = c.pixelWidth; sp[1] = c.pixelHeight;
		if (z) sp[2] = c.pixelDepth;
		if (t) sp[dims.length - 1] = c.frameInterval > 0 ? c.frameInterval : 1;
		return new Volume(data, dims, axes, sp, c.getUnit(), c.getTimeUnit());
	}

	public static void write(final Volume v, final Path file, final boolean overwrite) throws IOException {
		final ImagePlus imp = toImagePlus(v, file.getFileName().toString());
		SafeFiles.write(file, overwrite, tmp -> {
			final FileSaver fs = new FileSaver(imp);
			final boolean ok = imp.getStackSize() > 1 ? fs.saveAsTiffStack(tmp.toString()) : fs.saveAsTiff(tmp.toString());
			if (!ok) throw new IOException("ImageJ could not write TIFF " + file);
		});
	}
}
