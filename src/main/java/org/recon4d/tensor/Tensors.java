package org.recon4d.tensor;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Bridge between ImgLib2 images, flat float arrays and DJL NDArrays.
 * <p>
 * Layout: an ImgLib2 image of dimensions (d0, d1, ..., dn) with d0 fastest is the flat array of
 * the same order, and the NDArray of shape (dn, ..., d1, d0) (C order, last axis fastest). So an
 * (x, y, t) image becomes an NDArray (t, y, x). No data is reordered in either direction.
 * <p>
 * Complex data (for later MRI work) is a trailing NDArray axis of length 2 (real, imaginary),
 * i.e. ImgLib2 dimension 0 of length 2.
 * <p>
 * {@code ArrayImg<FloatType>} shares its array with no copy; {@code PlanarImg} copies plane by plane;
 * any other interval is copied through a flat iteration (slow path, documented).
 */
public final class Tensors {

	private Tensors() {}

	/** The flat float data of an image (shared when the image is a float ArrayImg). */
	public static float[] data(final RandomAccessibleInterval<? extends RealType<?>> img) {
		if (img instanceof ArrayImg && ((ArrayImg<?, ?>) img).update(null) instanceof FloatArray)
			return ((FloatArray) ((ArrayImg<?, ?>) img).update(null)).getCurrentStorageArray();
		return copy(img);
	}

	/** A new flat float copy of an image (x fastest). */
	public static float[] copy(final RandomAccessibleInterval<? extends RealType<?>> img) {
		final long n = Arrays.stream(img.dimensionsAsLongArray()).reduce(1, (a, b) -> a * b);
		if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("image of " + n + " voxels is too large for one array");
		final float[] out = new float[(int) n];
		if (img instanceof ArrayImg && ((ArrayImg<?, ?>) img).update(null) instanceof FloatArray) {
			final float[] a = ((FloatArray) ((ArrayImg<?, ?>) img).update(null)).getCurrentStorageArray();
			System.arraycopy(a, 0, out, 0, out.length);
			return out;
		}
		if (img instanceof PlanarImg && ((PlanarImg<?, ?>) img).getPlane(0) instanceof FloatArray) {
			final PlanarImg<?, ?> p = (PlanarImg<?, ?>) img;
			final int plane = (int) (img.dimension(0) * (img.numDimensions() > 1 ? img.dimension(1) : 1));
			for (int k = 0; k < p.numSlices(); k++)
				System.arraycopy(((FloatArray) p.getPlane(k)).getCurrentStorageArray(), 0, out, k * plane, plane);
			return out;
		}
		int i = 0;
		for (final RealType<?> t : Views.flatIterable(img)) out[i++] = t.getRealFloat();
		return out;
	}

	/** Wraps a flat array as an image (no copy). */
	public static ArrayImg<FloatType, FloatArray> wrap(final float[] data, final long... dims) {
		final long n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
		if (n != data.length) throw new IllegalArgumentException("array of " + data.length + " values does not fit dimensions " + Arrays.toString(dims));
		return ArrayImgs.floats(data, dims);
	}

	/** ImgLib2 dimensions (x fastest) to an NDArray shape (C order). */
	public static Shape shapeOf(final long[] dims) {
		final long[] s = new long[dims.length];
		for (int d = 0; d < dims.length; d++) s[d] = dims[dims.length - 1 - d];
		return new Shape(s);
	}

	/** NDArray shape to ImgLib2 dimensions. */
	public static long[] dimsOf(final Shape shape) {
		final long[] s = shape.getShape();
		final long[] d = new long[s.length];
		for (int i = 0; i < s.length; i++) d[i] = s[s.length - 1 - i];
		return d;
	}

	public static NDArray toNDArray(final NDManager m, final RandomAccessibleInterval<? extends RealType<?>> img) {
		return m.create(data(img), shapeOf(img.dimensionsAsLongArray()));
	}

	public static NDArray toNDArray(final NDManager m, final float[] data, final long... dims) {
		return m.create(data, shapeOf(dims));
	}

	public static Img<FloatType> toImg(final NDArray a) {
		final NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
		return ArrayImgs.floats(f.toFloatArray(), dimsOf(a.getShape()));
	}
}
