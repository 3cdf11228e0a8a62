package org.recon4d.unroll;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.recon4d.io.BadFileException;
import org.recon4d.io.Npy;
import org.recon4d.tensor.Djl;

/**
 * A trained or fresh unrolled network with its DJL resources: create by kind and size, save and
 * load {@code .npz} checkpoints (the architecture is stored in the archive as {@code meta.config},
 * so a weights file is all a user needs), and reconstruct Java arrays in slice batches.
 * <p>
 * {@code meta.config} is a float vector: [kind (1 = E2E-VarNet, 2 = RecurrentVarNet), then the
 * config record's fields in order, booleans as 0/1].
 */
public final class UnrolledModel implements Reconstructor {

	public static final String E2E = "e2e-varnet", RECURRENT = "recurrentvarnet";

	private final NDManager manager;
	private final Params params;
	private final Net net;
	private final float[] meta;

	private UnrolledModel(final NDManager manager, final Params params, final Net net, final float[] meta) {
		this.manager = manager;
		this.params = params;
		this.net = net;
		this.meta = meta;
	}

	public static UnrolledModel e2e(final E2EVarNet.Config c, final long seed) {
		final NDManager m = manager();
		final Params p = new Params(m, seed);
		return new UnrolledModel(m, p, new E2EVarNet(c, p, new Dfts(m)), new float[] { 1, c.cascades(), c.chans(), c.pools(), c.sensChans(), c.sensPools() });
	}

	public static UnrolledModel recurrent(final RecurrentVarNet.Config c, final long seed) {
		final NDManager m = manager();
		final Params p = new Params(m, seed);
		return new UnrolledModel(m, p, new RecurrentVarNet(c, p, new Dfts(m)),
			new float[] { 2, c.steps(), c.hidden(), c.layers(), c.shared() ? 1 : 0, c.sensChans(), c.sensPools() });
	}

	/** A fresh model of a kind in a preset size: "small" (CPU training), "published" (the papers' sizes, for a GPU) or "tiny" (tests). */
	public static UnrolledModel create(final String kind, final String preset, final long seed) {
		if (!java.util.List.of("small", "published", "tiny").contains(preset))
			throw new IllegalArgumentException("unknown size preset '" + preset + "' (use small, published or tiny)");
		if (E2E.equals(kind)) return e2e("published".equals(preset) ? E2EVarNet.Config.published() : "tiny".equals(preset) ? new E2EVarNet.Config(2, 4, 2, 2, 2) : E2EVarNet.Config.small(), seed);
		if (RECURRENT.equals(kind)) return recurrent("published".equals(preset) ? RecurrentVarNet.Config.published()
			: "tiny".equals(preset) ? new RecurrentVarNet.Config(2, 4, 2, false, 2, 2) : RecurrentVarNet.Config.small(), seed);
		throw new IllegalArgumentException("unknown network '" + kind + "' (use " + E2E + " or " + RECURRENT + ")");
	}

	private static NDManager manager() {
		Djl.configure();
		return Djl.newManager();
	}

	/** Loads a checkpoint written by {@link #save}: architecture from {@code meta.config}, then the weights. */
	public static UnrolledModel load(final Path file) throws IOException {
		final float[] meta = readMeta(file);
		final UnrolledModel m;
		try {
			if (meta.length == 6 && meta[0] == 1)
				m = e2e(new E2EVarNet.Config((int) meta[1], (int) meta[2], (int) meta[3], (int) meta[4], (int) meta[5]), 0);
			else if (meta.length == 7 && meta[0] == 2)
				m = recurrent(new RecurrentVarNet.Config((int) meta[1], (int) meta[2], (int) meta[3], meta[4] != 0, (int) meta[5], (int) meta[6]), 0);
			else throw new BadFileException(file, "meta.config " + java.util.Arrays.toString(meta) + " names no known network");
		}
		catch (final IllegalArgumentException e) {
			throw new BadFileException(file, "meta.config " + java.util.Arrays.toString(meta) + " is not a valid configuration: " + e.getMessage(), e);
		}
		try {
			m.params.load(file);
		}
		catch (final IOException | RuntimeException e) {
			m.close();
			throw e;
		}
		return m;
	}

	static float[] readMeta(final Path file) throws IOException {
		final float[] meta = Params.readVector(file, "meta.config");
		if (meta == null) throw new BadFileException(file, "no meta.config entry: not a Recon4D unrolled-network checkpoint");
		return meta;
	}

	/** Writes weights, architecture and (optionally) optimiser state. */
	public void save(final Path file, final boolean withOptimiser, final boolean overwrite) throws IOException {
		params.save(file, withOptimiser, overwrite, java.util.Map.of("meta.config", meta));
	}

	public Net net() { return net; }

	/** Sets how coil k-space becomes the output image (a choice at inference; training uses its config's). */
	public UnrolledModel output(final Net.Output o) {
		net.setOutput(o);
		return this;
	}

	public Params params() { return params; }

	public String kind() { return net.kind(); }

	@Override
	public String describe() {
		final String c = net instanceof E2EVarNet e ? e.config().describe() : ((RecurrentVarNet) net).config().describe();
		return String.format(Locale.ROOT, "%s (%,d parameters), output %s", c, params.count(), net.output().name().toLowerCase(Locale.ROOT));
	}

	/** Inputs of one batch as arrays in {@code m}: k-space, mask (B, 1, 1, W), ACS mask. */
	public static Object[] inputs(final NDManager m, final float[] kspace, final float[] columns, final int nx, final int ny, final int coils, final int batch) {
		final Cx k = Cx.fromInterleaved(m, kspace, new Shape(batch, coils, ny, nx));
		final NDArray mask = m.create(columns, new Shape(batch, 1, 1, nx));
		final float[] acs = new float[batch * nx];
		for (int b = 0; b < batch; b++) System.arraycopy(MriSamples.acsColumns(columns, b * nx, nx), 0, acs, b * nx, nx);
		return new Object[] { k, mask, m.create(acs, new Shape(batch, 1, 1, nx)) };
	}

	/**
	 * Reconstructs slices: k-space interleaved {2, nx, ny, coils, slices} (zero where not sampled),
	 * mask columns {nx, slices} (or {nx} for all); returns RSS images {nx, ny, slices}.
	 */
	@Override
	public float[] reconstruct(final float[] kspace, final float[] columns, final int nx, final int ny, final int coils, final int slices,
		final int sliceBatch, final org.recon4d.solve.Monitor mon)
	{
		final int per = 2 * nx * ny * coils;
		if (kspace.length != per * slices) throw new IllegalArgumentException("k-space has " + kspace.length + " values, expected 2 x " + nx + " x " + ny + " x " + coils + " x " + slices);
		if (columns.length != nx && columns.length != nx * slices) throw new IllegalArgumentException("mask has " + columns.length + " columns, expected " + nx + " or " + nx * slices);
		final float[] out = new float[nx * ny * slices];
		for (int s0 = 0; s0 < slices; s0 += sliceBatch) {
			mon.checkCanceled();
			final int b = Math.min(sliceBatch, slices - s0);
			final float[] k = java.util.Arrays.copyOfRange(kspace, s0 * per, (s0 + b) * per);
			final float[] cols = new float[nx * b];
			for (int i = 0; i < b; i++) System.arraycopy(columns, columns.length == nx ? 0 : (s0 + i) * nx, cols, i * nx, nx);
			try (NDManager sub = manager.newSubManager()) {
				final Object[] in = inputs(sub, k, cols, nx, ny, coils, b);
				final NDArray img = net.forward((Cx) in[0], (NDArray) in[1], (NDArray) in[2]);
				System.arraycopy(img.toFloatArray(), 0, out, s0 * nx * ny, b * nx * ny);
			}
			mon.iteration(Math.min(s0 + b, slices), slices, Double.NaN, null);
		}
		return out;
	}

	@Override
	public void close() {
		params.close();
		manager.close();
	}
}
