package org.recon4d.fiji;

import java.awt.GraphicsEnvironment;
import java.lang.reflect.Method;
import java.util.Optional;

import net.imglib2.RandomAccessibleInterval;

/**
 * Shows an image in BigDataViewer when it is on the class path (inside Fiji), by reflection:
 * BDV is not on Maven Central, so it cannot be a compile-time dependency. The class
 * bdv.util.BdvFunctions has the same name in bigdataviewer-vistools and bigdataviewer-core &gt;= 10.5.
 */
public final class BdvBridge {

	private BdvBridge() {}

	public static boolean isAvailable() {
		return load("bdv.util.BdvFunctions") != null && !GraphicsEnvironment.isHeadless();
	}

	/** Returns the BdvStackSource, or empty when BDV is absent or there is no display. */
	public static Optional<Object> show(final RandomAccessibleInterval<?> img, final String name, final double[] calibrationXYZ,
		final double min, final double max)
	{
		if (!isAvailable()) return Optional.empty();
		try {
			final Class<?> fns = load("bdv.util.BdvFunctions"), opts = load("bdv.util.BdvOptions");
			Object o = opts.getMethod("options").invoke(null);
			o = opts.getMethod("sourceTransform", double[].class).invoke(o, (Object) calibrationXYZ);
			o = opts.getMethod("frameTitle", String.class).invoke(o, name);
			if (img.numDimensions() == 3) o = opts.getMethod("is2D").invoke(o);
			final Method show = fns.getMethod("show", RandomAccessibleInterval.class, String.class, opts);
			final Object src = show.invoke(null, img, name, o);
			src.getClass().getMethod("setDisplayRange", double.class, double.class).invoke(src, min, max);
			return Optional.of(src);
		}
		catch (final ReflectiveOperationException e) {
			throw new IllegalStateException("BigDataViewer call failed: " + e, e);
		}
	}

	private static Class<?> load(final String name) {
		for (final ClassLoader cl : new ClassLoader[] { Thread.currentThread().getContextClassLoader(), BdvBridge.class.getClassLoader() }) {
			if (cl == null) continue;
			try {
				return Class.forName(name, false, cl);
			}
			catch (final ClassNotFoundException e) {
				// try the next loader
			}
		}
		return null;
	}
}
