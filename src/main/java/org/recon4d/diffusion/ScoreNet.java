package org.recon4d.diffusion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;

import org.recon4d.io.BadFileException;
import org.recon4d.tensor.Djl;
import org.recon4d.unroll.Nn;
import org.recon4d.unroll.Params;

/**
 * A small noise-conditional U-Net in DJL, wrapped in the preconditioning of Karras et al. (EDM):
 * D(x; sigma) = c_skip x + c_out F(c_in x, c_noise) with c_skip = sd^2 / (sigma^2 + sd^2),
 * c_out = sigma sd / sqrt(sigma^2 + sd^2), c_in = 1 / sqrt(sigma^2 + sd^2), c_noise = ln(sigma) / 4
 * and sd the data standard deviation. One network thereby serves the VE, VP and EDM schedules
 * (they differ only in which sigmas they visit and how x is scaled, see {@link Schedule}).
 * <p>
 * F: a 3x3 conv in; per resolution one residual block [GroupNorm, SiLU, conv, + noise embedding,
 * GroupNorm, SiLU, conv] (1x1 conv on the skip when channels change) and 2x2 average pooling; a
 * residual block at the bottom; up by nearest-neighbour upsampling + conv, concatenation with the
 * skip and a residual block; GroupNorm, SiLU and a 3x3 conv out that starts at zero (so the
 * untrained D is the linear shrinkage c_skip x, the exact denoiser of zero-mean data of standard
 * deviation sd). DJL's PyTorch engine has no GroupNorm or transposed convolution: GroupNorm is a
 * reshape to (N, groups, rest) and a normalisation over the last axis, then a per-channel affine.
 * The noise embedding is sin/cos of c_noise at 16 log-spaced frequencies (1 to 64), then two
 * linear layers with SiLU.
 */
public final class ScoreNet implements ScoreModel {

	/** Architecture; stored in checkpoints as {@code meta.config} = [3, chans, levels, mult2, mult3, embed, groups, sd]. */
	public record Config(int chans, int levels, int[] mults, int embed, int groups, double sigmaData) {
		public Config {
			if (levels < 1 || levels > mults.length) throw new IllegalArgumentException("levels " + levels + " needs as many channel multipliers, got " + mults.length);
			if (chans % groups != 0) throw new IllegalArgumentException("channels " + chans + " not divisible by groups " + groups);
		}

		/** The shipped CPU model: 32-64-64 channels at 3 resolutions, 128-dim embedding, about 0.5 M parameters. */
		public static Config small() { return new Config(32, 3, new int[] { 1, 2, 2 }, 128, 8, 0.5); }

		/** For tests: 8-16 channels, 2 resolutions. */
		public static Config tiny() { return new Config(8, 2, new int[] { 1, 2 }, 16, 4, 0.5); }

		float[] meta() {
			return new float[] { 3, chans, levels, mults.length > 1 ? mults[1] : 0, mults.length > 2 ? mults[2] : 0, embed, groups, (float) sigmaData };
		}

		static Config of(final float[] m) {
			if (m.length != 8 || m[0] != 3) throw new IllegalArgumentException("meta.config " + java.util.Arrays.toString(m) + " is not a score network");
			final int levels = (int) m[2];
			final int[] mults = new int[levels];
			mults[0] = 1;
			for (int l = 1; l < levels; l++) mults[l] = (int) m[2 + l];
			return new Config((int) m[1], levels, mults, (int) m[5], (int) m[6], m[7]);
		}
	}

	private static final int FREQS = 16;

	private final Config config;
	private final NDManager manager;
	private final Params p;
	private final NDArray freqs;
	/** Images per forward pass at sampling time (bounds memory on big volumes). */
	private int chunk = 16;

	public ScoreNet(final Config c, final long seed) {
		Djl.configure();
		this.config = c;
		this.manager = Djl.newManager();
		this.p = new Params(manager, seed);
		final float[] f = new float[FREQS];
		for (int k = 0; k < FREQS; k++) f[k] = (float) Math.exp(Math.log(64) * k / (FREQS - 1));
		this.freqs = manager.create(f, new Shape(1, FREQS));
		linear("embed.0", 2 * FREQS, c.embed());
		linear("embed.1", c.embed(), c.embed());
		p.conv("in.weight", c.chans(), 1, 3);
		p.bias("in.bias", c.chans());
		int ch = c.chans();
		for (int l = 0; l < c.levels(); l++) {
			final int out = c.chans() * c.mults()[l];
			resBlock("down" + l, ch, out);
			ch = out;
		}
		resBlock("mid", ch, ch);
		for (int l = c.levels() - 1; l >= 0; l--) {
			final int skip = c.chans() * c.mults()[l];
			p.conv("upconv" + l + ".weight", ch, ch, 3);
			p.bias("upconv" + l + ".bias", ch);
			resBlock("up" + l, ch + skip, skip);
			ch = skip;
		}
		groupNorm("out.norm", ch);
		p.constant("out.weight", new Shape(1, ch, 3, 3), 0f);
		p.bias("out.bias", 1);
	}

	private void linear(final String name, final int in, final int out) {
		p.uniform(name + ".weight", new Shape(in, out), Math.sqrt(3.0 / in));
		p.bias(name + ".bias", out);
	}

	private void groupNorm(final String name, final int ch) {
		p.constant(name + ".gamma", new Shape(1, ch, 1, 1), 1f);
		p.constant(name + ".beta", new Shape(1, ch, 1, 1), 0f);
	}

	private void resBlock(final String b, final int in, final int out) {
		groupNorm(b + ".norm1", in);
		p.conv(b + ".conv1.weight", out, in, 3);
		p.bias(b + ".conv1.bias", out);
		linear(b + ".emb", config.embed(), out);
		groupNorm(b + ".norm2", out);
		p.conv(b + ".conv2.weight", out, out, 3);
		p.bias(b + ".conv2.bias", out);
		if (in != out) {
			p.conv(b + ".skip.weight", out, in, 1);
			p.bias(b + ".skip.bias", out);
		}
	}

	public Params params() { return p; }

	public Config config() { return config; }

	/** Images per forward pass when denoising a batch (default 16). */
	public ScoreNet chunk(final int images) { this.chunk = Math.max(1, images); return this; }

	@Override
	public String describe() {
		return String.format(Locale.ROOT, "score U-Net (EDM preconditioning, sigma_data %.2g): %d channels x %s at %d resolutions, %d-dim noise embedding (%,d parameters)",
			config.sigmaData(), config.chans(), java.util.Arrays.toString(java.util.Arrays.copyOf(config.mults(), config.levels())), config.levels(), config.embed(), p.count());
	}

	private static NDArray silu(final NDArray x) {
		return x.mul(Activation.sigmoid(x));
	}

	private NDArray dense(final NDArray x, final String name) {
		return x.matMul(p.get(name + ".weight")).add(p.get(name + ".bias"));
	}

	private NDArray norm(final NDArray x, final String name) {
		final Shape s = x.getShape();
		final NDArray f = x.reshape(s.get(0), config.groups(), -1);
		final NDArray c = f.sub(f.mean(new int[] { 2 }, true));
		final NDArray v = c.square().mean(new int[] { 2 }, true);
		return c.div(v.add(1e-5f).sqrt()).reshape(s).mul(p.get(name + ".gamma")).add(p.get(name + ".beta"));
	}

	private NDArray block(final String b, final NDArray x, final NDArray emb) {
		NDArray h = Nn.conv(silu(norm(x, b + ".norm1")), p, b + ".conv1");
		final NDArray e = dense(emb, b + ".emb");
		h = h.add(e.reshape(e.getShape().get(0), e.getShape().get(1), 1, 1));
		h = Nn.conv(silu(norm(h, b + ".norm2")), p, b + ".conv2");
		return h.add(p.all().containsKey(b + ".skip.weight") ? Nn.conv(x, p, b + ".skip") : x);
	}

	/** F(x_in, c_noise) on (N, 1, H, W) and (N, 1); H and W are zero-padded to a multiple of 2^(levels-1) and cropped back. */
	NDArray raw(final NDArray x0, final NDArray cNoise) {
		final Shape s = x0.getShape();
		final long h = s.get(2), w = s.get(3), m = 1L << (config.levels() - 1);
		final long ph = (m - h % m) % m, pw = (m - w % m) % m;
		NDArray x = ph + pw > 0 ? x0.pad(new Shape(pw / 2, pw - pw / 2, ph / 2, ph - ph / 2), 0) : x0;
		final NDArray arg = cNoise.matMul(freqs);
		NDArray emb = arg.sin().concat(arg.cos(), 1);
		emb = silu(dense(silu(dense(emb, "embed.0")), "embed.1"));
		x = Nn.conv(x, p, "in");
		final List<NDArray> skips = new ArrayList<>();
		for (int l = 0; l < config.levels(); l++) {
			x = block("down" + l, x, emb);
			skips.add(x);
			if (l < config.levels() - 1) x = Nn.avgPool2(x);
		}
		x = block("mid", x, emb);
		for (int l = config.levels() - 1; l >= 0; l--) {
			if (l < config.levels() - 1) x = Nn.upsample2(x);
			x = Nn.conv(x, p, "upconv" + l);
			x = block("up" + l, x.concat(skips.get(l), 1), emb);
		}
		x = Nn.conv(silu(norm(x, "out.norm")), p, "out");
		if (ph + pw > 0) x = x.get(":, :, " + ph / 2 + ":" + (ph / 2 + h) + ", " + pw / 2 + ":" + (pw / 2 + w));
		return x;
	}

	/** D(x; sigma) on (N, 1, H, W) with per-image sigma (N). */
	public NDArray forward(final NDArray x, final NDArray sigma) {
		final long n = x.getShape().get(0);
		final float sd = (float) config.sigmaData();
		final NDArray s2 = sigma.square().reshape(n, 1, 1, 1);
		final NDArray sig = sigma.reshape(n, 1, 1, 1);
		final NDArray norm = s2.add(sd * sd).sqrt();
		final NDArray cSkip = s2.add(sd * sd).pow(-1).mul(sd * sd);
		final NDArray cOut = sig.mul(sd).div(norm);
		final NDArray cIn = norm.pow(-1);
		final NDArray cNoise = sigma.log().div(4f).reshape(n, 1);
		return x.mul(cSkip).add(raw(x.mul(cIn), cNoise).mul(cOut));
	}

	@Override
	public float[] denoise(final float[] x, final int batch, final int h, final int w, final double sigma) {
		final float[] out = new float[x.length];
		final int img = h * w;
		for (int b0 = 0; b0 < batch; b0 += chunk) {
			final int nb = Math.min(chunk, batch - b0);
			try (NDManager sub = manager.newSubManager()) {
				final NDArray xs = sub.create(java.util.Arrays.copyOfRange(x, b0 * img, (b0 + nb) * img), new Shape(nb, 1, h, w));
				final NDArray d = forward(xs, sub.full(new Shape(nb), (float) sigma));
				System.arraycopy(d.toFloatArray(), 0, out, b0 * img, nb * img);
			}
		}
		return out;
	}

	@Override
	public float[][] denoiseVjp(final float[] x, final int batch, final int h, final int w, final double sigma, final java.util.function.UnaryOperator<float[]> cotangent) {
		final float[] d = new float[x.length], g = new float[x.length];
		final int img = h * w;
		// every chunk's graph is kept until v is known (v may couple all images, e.g. through a 3D operator)
		try (NDManager sub = manager.newSubManager(); GradientCollector gc = Engine.getEngine(Djl.ENGINE).newGradientCollector()) {
			final List<NDArray> ins = new ArrayList<>(), outs = new ArrayList<>();
			for (int b0 = 0; b0 < batch; b0 += chunk) {
				final int nb = Math.min(chunk, batch - b0);
				final NDArray xs = sub.create(java.util.Arrays.copyOfRange(x, b0 * img, (b0 + nb) * img), new Shape(nb, 1, h, w));
				xs.setRequiresGradient(true);
				final NDArray out = forward(xs, sub.full(new Shape(nb), (float) sigma));
				System.arraycopy(out.toFloatArray(), 0, d, b0 * img, nb * img);
				ins.add(xs);
				outs.add(out);
			}
			final float[] v = cotangent.apply(d.clone());
			for (int c = 0, b0 = 0; c < outs.size(); c++, b0 += chunk) {
				final int nb = Math.min(chunk, batch - b0);
				final NDArray vs = sub.create(java.util.Arrays.copyOfRange(v, b0 * img, (b0 + nb) * img), new Shape(nb, 1, h, w));
				gc.backward(outs.get(c).mul(vs).sum());
				final NDArray grad = ins.get(c).getGradient();
				grad.attach(sub);
				System.arraycopy(grad.toFloatArray(), 0, g, b0 * img, nb * img);
			}
		}
		// the parameters accumulated gradients as well: clear them (a later training step must start clean)
		for (final NDArray a : p.all().values()) {
			final NDArray gr = a.getGradient();
			gr.subi(gr);
			gr.close();
		}
		return new float[][] { d, g };
	}

	public void save(final Path file, final boolean withOptimiser, final boolean overwrite) throws IOException {
		p.save(file, withOptimiser, overwrite, Map.of("meta.config", config.meta()));
	}

	/** Loads a checkpoint written by {@link #save} (architecture from {@code meta.config}). */
	public static ScoreNet load(final Path file) throws IOException {
		final float[] meta = Params.readVector(file, "meta.config");
		if (meta == null) throw new BadFileException(file, "no meta.config entry: not a Recon4D score-network checkpoint");
		final Config c;
		try {
			c = Config.of(meta);
		}
		catch (final IllegalArgumentException e) {
			throw new BadFileException(file, e.getMessage(), e);
		}
		final ScoreNet net = new ScoreNet(c, 0);
		try {
			net.p.load(file);
		}
		catch (final IOException | RuntimeException e) {
			net.close();
			throw e;
		}
		return net;
	}

	@Override
	public void close() {
		manager.close();
	}
}
