package org.recon4d.unroll;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.recon4d.io.BadFileException;
import org.recon4d.io.Npy;
import org.recon4d.io.SafeFiles;
import org.recon4d.io.Volume;
import org.recon4d.tensor.Djl;

/**
 * Named network parameters (insertion order kept) with a seeded initialiser, Adam, and
 * checkpoints as NumPy {@code .npz} archives: one float32 {@code .npy} per parameter, named as in
 * the PyTorch mirror ({@code scripts/unrolled_torch.py}) so that weights move both ways. Optimiser
 * state (Adam moments and step) is stored in the same archive under {@code adam.m.*},
 * {@code adam.v.*} and {@code adam.step}, so training resumes exactly.
 */
public final class Params implements AutoCloseable {

	private final NDManager manager;
	private final Map<String, NDArray> values = new LinkedHashMap<>();
	private final Map<String, NDArray> m1 = new LinkedHashMap<>(), m2 = new LinkedHashMap<>();
	private final SplittableRandom random;
	private long step, skipped;

	public Params(final NDManager parent, final long seed) {
		this.manager = parent.newSubManager();
		this.random = new SplittableRandom(seed);
	}

	public NDManager manager() { return manager; }

	/** A conv weight (out, in, k, k), He-uniform with gain for leaky ReLU, drawn from the seed in Java (so the same on every engine). */
	public NDArray conv(final String name, final int out, final int in, final int k) {
		final double bound = Math.sqrt(6.0 / (in * k * k)) / Math.sqrt(1 + 0.2 * 0.2);
		return uniform(name, new Shape(out, in, k, k), bound);
	}

	public NDArray bias(final String name, final int n) {
		return constant(name, new Shape(n), 0f);
	}

	public NDArray constant(final String name, final Shape shape, final float v) {
		final float[] a = new float[(int) shape.size()];
		java.util.Arrays.fill(a, v);
		return put(name, manager.create(a, shape));
	}

	public NDArray uniform(final String name, final Shape shape, final double bound) {
		final float[] a = new float[(int) shape.size()];
		for (int i = 0; i < a.length; i++) a[i] = (float) (bound * (2 * random.nextDouble() - 1));
		return put(name, manager.create(a, shape));
	}

	private NDArray put(final String name, final NDArray a) {
		if (values.containsKey(name)) throw new IllegalStateException("parameter " + name + " defined twice");
		a.setName(name);
		a.setRequiresGradient(true);
		values.put(name, a);
		return a;
	}

	public NDArray get(final String name) {
		final NDArray a = values.get(name);
		if (a == null) throw new IllegalArgumentException("no parameter " + name);
		return a;
	}

	public Map<String, NDArray> all() { return java.util.Collections.unmodifiableMap(values); }

	public long count() {
		long n = 0;
		for (final NDArray a : values.values()) n += a.size();
		return n;
	}

	public long step() { return step; }

	/** Updates skipped because the gradient was not finite. */
	public long skipped() { return skipped; }

	/**
	 * One Adam step (Kingma and Ba) with global gradient-norm clipping, then zeroes the gradients.
	 * DJL's PyTorch engine accumulates gradients across backward passes and only its Trainer clears
	 * them (for arrays of the system manager), so a training loop without Trainer must clear them
	 * itself. Every temporary (including the gradient handles) lives in a sub-manager closed here.
	 */
	public void adam(final double lr, final double clip) {
		step++;
		final double b1 = 0.9, b2 = 0.999, eps = 1e-8;
		try (NDManager tmp = manager.newSubManager()) {
			final Map<String, NDArray> grads = new LinkedHashMap<>();
			double norm = 0;
			for (final Map.Entry<String, NDArray> e : values.entrySet()) {
				final NDArray g = e.getValue().getGradient();
				g.attach(tmp);
				grads.put(e.getKey(), g);
				norm += g.square().sum().getFloat();
			}
			norm = Math.sqrt(norm);
			if (!Double.isFinite(norm)) {
				// a non-finite gradient (overflow in one batch): skip the update, clear the gradients
				step--;
				skipped++;
				for (final NDArray g : grads.values()) Djl.zeroInPlace(g);
				return;
			}
			final float scale = clip > 0 && norm > clip ? (float) (clip / norm) : 1f;
			final float a = (float) (lr * Math.sqrt(1 - Math.pow(b2, step)) / (1 - Math.pow(b1, step)));
			for (final Map.Entry<String, NDArray> e : values.entrySet()) {
				final NDArray p = e.getValue(), gRaw = grads.get(e.getKey());
				final NDArray g = gRaw.mul(scale);
				final NDArray m = m1.computeIfAbsent(e.getKey(), k -> manager.zeros(p.getShape()));
				final NDArray v = m2.computeIfAbsent(e.getKey(), k -> manager.zeros(p.getShape()));
				m.muli(b1).addi(g.mul(1 - b1));
				v.muli(b2).addi(g.square().muli(1 - b2));
				// results of ops on m and v belong to their manager: move them to tmp
				final NDArray den = v.sqrt();
				den.attach(tmp);
				final NDArray upd = m.div(den.addi(eps));
				upd.attach(tmp);
				Djl.subtractInPlace(p, upd.muli(a));
				gRaw.subi(gRaw);
			}
		}
	}

	/** Writes {@code .npz}: {@code extra} vectors, the parameters, and the optimiser state when {@code withOptimiser}. */
	public void save(final Path file, final boolean withOptimiser, final boolean overwrite, final Map<String, float[]> extra) throws IOException {
		SafeFiles.write(file, overwrite, tmp -> {
			try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream z = new ZipOutputStream(os)) {
				for (final Map.Entry<String, float[]> e : extra.entrySet()) {
					z.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
					z.write(Npy.encode(e.getValue(), new long[] { e.getValue().length }));
					z.closeEntry();
				}
				for (final Map.Entry<String, NDArray> e : values.entrySet()) entry(z, e.getKey(), e.getValue());
				if (withOptimiser) {
					for (final Map.Entry<String, NDArray> e : m1.entrySet()) entry(z, "adam.m." + e.getKey(), e.getValue());
					for (final Map.Entry<String, NDArray> e : m2.entrySet()) entry(z, "adam.v." + e.getKey(), e.getValue());
					z.putNextEntry(new ZipEntry("adam.step.npy"));
					z.write(Npy.encode(new float[] { step }, new long[] { 1 }));
					z.closeEntry();
				}
			}
		});
	}

	private static void entry(final ZipOutputStream z, final String name, final NDArray a) throws IOException {
		final long[] s = a.getShape().getShape();
		final long[] dims = new long[s.length];
		for (int d = 0; d < s.length; d++) dims[d] = s[s.length - 1 - d];
		z.putNextEntry(new ZipEntry(name + ".npy"));
		z.write(Npy.encode(a.toFloatArray(), dims.length == 0 ? new long[] { 1 } : dims));
		z.closeEntry();
	}

	/**
	 * Loads parameters from {@code .npz}: every parameter of this network must be present with the
	 * same shape (the error names the first that is not); optimiser state is restored when present.
	 */
	public void load(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new BadFileException(file, "no such checkpoint file");
		final Map<String, Volume> read = new LinkedHashMap<>();
		try (InputStream is = Files.newInputStream(file); ZipInputStream z = new ZipInputStream(is)) {
			ZipEntry e;
			while ((e = z.getNextEntry()) != null) {
				if (!e.getName().endsWith(".npy")) continue;
				final String name = e.getName().substring(0, e.getName().length() - 4);
				read.put(name, Npy.decode(file.resolve(e.getName()), z.readAllBytes()));
			}
		}
		catch (final java.util.zip.ZipException ex) {
			throw new BadFileException(file, "not an .npz (zip) archive: " + ex.getMessage(), ex);
		}
		if (read.isEmpty()) throw new BadFileException(file, "no arrays in the archive (not a Recon4D checkpoint)");
		for (final Map.Entry<String, NDArray> e : values.entrySet()) {
			final Volume v = read.get(e.getKey());
			if (v == null) throw new BadFileException(file, "parameter '" + e.getKey() + "' is missing (a checkpoint of another architecture or size?)");
			if (v.data().length != e.getValue().size())
				throw new BadFileException(file, "parameter '" + e.getKey() + "' has " + v.data().length + " values, the network expects shape " + e.getValue().getShape());
			e.getValue().set(v.data());
		}
		m1.clear(); m2.clear();
		step = 0;
		if (read.containsKey("adam.step")) {
			step = (long) read.get("adam.step").data()[0];
			for (final Map.Entry<String, NDArray> e : values.entrySet()) {
				final Volume m = read.get("adam.m." + e.getKey()), v = read.get("adam.v." + e.getKey());
				if (m != null && v != null) {
					m1.put(e.getKey(), manager.create(m.data(), e.getValue().getShape()));
					m2.put(e.getKey(), manager.create(v.data(), e.getValue().getShape()));
				}
			}
		}
	}

	/** The array {@code name} of an {@code .npz} archive as a flat vector, or null when absent. */
	public static float[] readVector(final Path file, final String name) throws IOException {
		if (!Files.isRegularFile(file)) throw new BadFileException(file, "no such weights file");
		try (InputStream is = Files.newInputStream(file); ZipInputStream z = new ZipInputStream(is)) {
			ZipEntry e;
			while ((e = z.getNextEntry()) != null)
				if (e.getName().equals(name + ".npy")) return Npy.decode(file.resolve(e.getName()), z.readAllBytes()).data();
		}
		catch (final java.util.zip.ZipException ex) {
			throw new BadFileException(file, "not an .npz (zip) archive: " + ex.getMessage(), ex);
		}
		return null;
	}

	@Override
	public void close() {
		manager.close();
	}
}
