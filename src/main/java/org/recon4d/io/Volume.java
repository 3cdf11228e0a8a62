package org.recon4d.io;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

import org.recon4d.tensor.Tensors;

/**
 * A float32 image with named axes and calibration, as readers return and writers take.
 * <p>
 * Axes are in ImgLib2 order (first fastest) and are a subsequence of x, y, z, t; {@code spacing}
 * holds one step per axis (voxel size for x, y, z; frame interval for t), {@code unit} the spatial
 * unit and {@code timeUnit} the time unit.
 */
public final class Volume {

	public static final List<String> AXES = List.of("x", "y", "z", "t");

	private final float[] data;
	private final long[] dims;
	private final String[] axes;
	private final double[] spacing;
	private final String unit, timeUnit;

	public Volume(final float[] data, final long[] dims, final String[] axes, final double[] spacing,
		final String unit, final String timeUnit)
	{
		if (dims.length != axes.length || dims.length != spacing.length)
			throw new IllegalArgumentException("dims, axes and spacing need one entry per axis: " +
				Arrays.toString(dims) + " " + Arrays.toString(axes) + " " + Arrays.toString(spacing));
		long n = 1;
		for (final long d : dims) {
			if (d < 1) throw new IllegalArgumentException("dimension " + Arrays.toString(dims) + " has an empty axis");
			n *= d;
		}
		if (n != data.length) throw new IllegalArgumentException("dimensions " + Arrays.toString(dims) + " need " + n + " values, got " + data.length);
		int last = -1;
		for (final String a : axes) {
			final int i = AXES.indexOf(a);
			if (i <= last) throw new IllegalArgumentException("axes must be an ordered subset of x, y, z, t: " + Arrays.toString(axes));
			last = i;
		}
		this.data = data;
		this.dims = dims.clone();
		this.axes = axes.clone();
		this.spacing = spacing.clone();
		this.unit = unit;
		this.timeUnit = timeUnit;
	}

	/** Default axes for a dimension count: x y / x y t / x y z t; unit spacing in pixels and frames. */
	public static Volume of(final float[] data, final long... dims) {
		final String[] axes;
		switch (dims.length) {
			case 1: axes = new String[] { "x" }; break;
			case 2: axes = new String[] { "x", "y" }; break;
			case 3: axes = new String[] { "x", "y", "t" }; break;
			case 4: axes = new String[] { "x", "y", "z", "t" }; break;
			default: throw new IllegalArgumentException("volumes have 1 to 4 axes, got " + dims.length);
		}
		final double[] sp = new double[dims.length];
		Arrays.fill(sp, 1);
		return new Volume(data, dims, axes, sp, "pixel", "frame");
	}

	public float[] data() { return data; }
	public long[] dims() { return dims.clone(); }
	public String[] axes() { return axes.clone(); }
	public double[] spacing() { return spacing.clone(); }
	public String unit() { return unit; }
	public String timeUnit() { return timeUnit; }
	public int numAxes() { return dims.length; }

	public long size(final String axis) {
		final int i = Arrays.asList(axes).indexOf(axis);
		return i < 0 ? 1 : dims[i];
	}

	public double spacing(final String axis) {
		final int i = Arrays.asList(axes).indexOf(axis);
		return i < 0 ? 1 : spacing[i];
	}

	public boolean has(final String axis) {
		return Arrays.asList(axes).contains(axis);
	}

	public ArrayImg<FloatType, FloatArray> img() {
		return Tensors.wrap(data, dims);
	}

	public Volume withCalibration(final double[] newSpacing, final String newUnit, final String newTimeUnit) {
		return new Volume(data, dims, axes, newSpacing, newUnit, newTimeUnit);
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "Volume %s %s spacing %s %s", String.join("", axes), Arrays.toString(dims), Arrays.toString(spacing), unit);
	}
}
