package org.recon4d.tensor;

import java.nio.file.Path;
import java.nio.file.Paths;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * DJL set-up for Recon4D: offline PyTorch engine, engine cache in a predictable folder, and the
 * device choice (the first CUDA GPU when the engine sees one, else the CPU).
 * <p>
 * The cache folder is, in order: system property {@code ENGINE_CACHE_DIR}, environment variable
 * {@code ENGINE_CACHE_DIR}, system property {@code recon4d.cache}/djl, {@code ~/.recon4d/djl}.
 * The CPU natives come from the {@code pytorch-native-cpu} jar, so no network is needed.
 */
public final class Djl {

	public static final String ENGINE = "PyTorch";

	private static volatile boolean configured;

	private Djl() {}

	/** Sets the offline flag and cache folders before the engine loads; idempotent. */
	public static synchronized void configure() {
		if (configured) return;
		if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
		final Path cache = cacheDir();
		if (System.getProperty("ENGINE_CACHE_DIR") == null && System.getenv("ENGINE_CACHE_DIR") == null)
			System.setProperty("ENGINE_CACHE_DIR", cache.toString());
		if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null)
			System.setProperty("DJL_CACHE_DIR", cache.toString());
		configured = true;
	}

	public static Path cacheDir() {
		final String p = System.getProperty("ENGINE_CACHE_DIR", System.getenv("ENGINE_CACHE_DIR"));
		if (p != null) return Paths.get(p);
		final String base = System.getProperty("recon4d.cache");
		if (base != null) return Paths.get(base, "djl");
		return Paths.get(System.getProperty("user.home"), ".recon4d", "djl");
	}

	public static Engine engine() {
		configure();
		return Engine.getEngine(ENGINE);
	}

	/** CUDA when the engine reports a GPU, else CPU. */
	public static Device preferredDevice() {
		return engine().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
	}

	public static NDManager newManager() {
		return NDManager.newBaseManager(preferredDevice(), ENGINE);
	}

	/**
	 * {@code param -= step}, in place, for a parameter that requires a gradient. The update goes
	 * through a detached view (same storage): an in-place operation on such a leaf fails wherever
	 * PyTorch's grad mode is on, and it is on in any thread where the engine was not initialised
	 * (a SciJava command on a pool thread, after an earlier command started the engine elsewhere).
	 */
	public static void subtractInPlace(final NDArray param, final NDArray step) {
		try (NDArray view = param.stopGradient()) {
			view.subi(step);
		}
	}

	/**
	 * A 0-dimensional constant {@code c} of {@code like}'s type and manager whose memory libtorch
	 * owns. DJL's {@code x.mul(Number)}, {@code div(Number)} and {@code pow(Number)} wrap the
	 * number in a tensor over a Java direct buffer and close it at once; when x takes part in a
	 * gradient, autograd keeps that tensor for the backward pass, and the buffer is freed by the
	 * garbage collector at a random moment before it is read: gradients then come out wrong or
	 * non-finite, differently from run to run (measured: TensorsTest, and the avatar fits that
	 * skipped steps). A copy made by libtorch is kept alive by autograd's own reference count.
	 */
	public static NDArray constant(final NDArray like, final double c) {
		try (NDArray wrapped = like.getManager().create(c)) {
			return wrapped.toType(like.getDataType(), true);
		}
	}

	/** x * c, safe under autograd (see {@link #constant}). */
	public static NDArray mul(final NDArray x, final double c) {
		try (NDArray k = constant(x, c)) {
			return x.mul(k);
		}
	}

	/** x / c, safe under autograd (see {@link #constant}). */
	public static NDArray div(final NDArray x, final double c) {
		try (NDArray k = constant(x, c)) {
			return x.div(k);
		}
	}

	/** x ^ c, safe under autograd (see {@link #constant}). */
	public static NDArray pow(final NDArray x, final double c) {
		try (NDArray k = constant(x, c)) {
			return x.pow(k);
		}
	}

	/**
	 * Zeroes an array in place, NaN and inf included (x^0 = 1 for every x). Not
	 * {@code set(new float[n])}: DJL's PyTorch {@code set} makes the tensor's storage the memory of
	 * that temporary Java buffer, which the garbage collector later frees under it.
	 */
	public static void zeroInPlace(final NDArray a) {
		a.powi(0).subi(1);
	}

	/** What is loaded: engine, version, device, threads, cache folder. */
	public static String describe() {
		final Engine e = engine();
		String threads;
		try {
			final Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils");
			threads = "intra-op " + jni.getMethod("getNumThreads").invoke(null) +
				", inter-op " + jni.getMethod("getNumInteropThreads").invoke(null);
		}
		catch (final ReflectiveOperationException | LinkageError ex) {
			threads = "unknown (" + ex + ")";
		}
		return "engine=" + e.getEngineName() + " version=" + e.getVersion() + " djl=" + Engine.getDjlVersion() +
			" device=" + preferredDevice() + " gpus=" + e.getGpuCount() + " threads=" + threads +
			" cpus=" + Runtime.getRuntime().availableProcessors() + " cache=" + cacheDir() +
			" offline=" + System.getProperty("ai.djl.offline");
	}
}
