package org.recon4d.unroll;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * Recurrent variational network (Yiasemis et al., CVPR 2022): T blocks that update k-space,
 * k <- k - eta_t M (k - k0) + F S G_t(S^H F^-1 k, h), where G_t is a convolutional GRU stack whose
 * hidden states h (one per layer) are carried from block to block, and eta_t is a learned step
 * (initialised to 1). Sensitivities come from the same ACS sensitivity U-Net as E2E-VarNet. The
 * data are scaled inside the network by the RMS of the measured samples and scaled back, so the
 * (not scale-equivariant) GRU sees unit-scale inputs. Blocks share weights when {@code shared}.
 * <p>
 * Each GRU layer: r, z = sigmoid(conv3x3([x, h])), n = tanh(conv3x3([x, r h])),
 * h' = (1 - z) h + z n; the next layer's input is h'; a 3x3 conv maps the last h' to 2 channels.
 */
public final class RecurrentVarNet implements Net {

	/** Sizes; the published model is {@code new Config(8, 128, 4, false, 8, 4)}. */
	public record Config(int steps, int hidden, int layers, boolean shared, int sensChans, int sensPools) {
		public static Config small() { return new Config(6, 16, 2, false, 4, 3); }

		public static Config published() { return new Config(8, 128, 4, false, 8, 4); }

		public String describe() {
			return "RecurrentVarNet: " + steps + " steps, " + layers + "-layer ConvGRU of " + hidden + " channels" + (shared ? " (shared)" : "") +
				", sensitivity U-Net " + sensChans + " channels " + sensPools + " pools";
		}
	}

	private final Config config;
	private final Params p;
	private final Dfts dfts;
	private final SensitivityNet sens;

	public RecurrentVarNet(final Config config, final Params p, final Dfts dfts) {
		this.config = config;
		this.p = p;
		this.dfts = dfts;
		this.sens = new SensitivityNet(p, "sens_net", config.sensChans(), config.sensPools());
		final int blocks = config.shared() ? 1 : config.steps();
		for (int t = 0; t < blocks; t++) {
			final String b = "blocks." + t;
			for (int l = 0; l < config.layers(); l++) {
				final int in = l == 0 ? 2 : config.hidden();
				p.conv(b + ".gru." + l + ".gates.weight", 2 * config.hidden(), in + config.hidden(), 3);
				p.bias(b + ".gru." + l + ".gates.bias", 2 * config.hidden());
				p.conv(b + ".gru." + l + ".cand.weight", config.hidden(), in + config.hidden(), 3);
				p.bias(b + ".gru." + l + ".cand.bias", config.hidden());
			}
			// zero output conv: the untrained network returns the zero-filled answer (see UNet#correction)
			p.constant(b + ".out.weight", new Shape(2, config.hidden(), 3, 3), 0f);
			p.bias(b + ".out.bias", 2);
		}
		for (int t = 0; t < config.steps(); t++) p.constant("steps." + t + ".learning_rate", new Shape(1), 1f);
	}

	public Config config() { return config; }

	@Override public Params params() { return p; }

	private Output output = Output.RSS;

	@Override public void setOutput(final Output o) { this.output = o; }

	@Override public Output output() { return output; }

	@Override public String kind() { return "recurrentvarnet"; }

	@Override
	public NDArray forward(final Cx k0raw, final NDArray mask, final NDArray acs) {
		final Shape s = k0raw.shape();
		final long b = s.get(0), h = s.get(2), w = s.get(3);
		// per-sample scale: RMS over the sampled entries
		final NDArray power = k0raw.absSquared().reshape(b, -1).sum(new int[] { 1 });
		final NDArray count = mask.broadcast(new Shape(b, s.get(1), h, w)).reshape(b, -1).sum(new int[] { 1 });
		final NDArray scale = power.div(count.add(1f)).add(1e-20f).sqrt().reshape(b, 1, 1, 1);
		final Cx k0 = new Cx(k0raw.re().div(scale), k0raw.im().div(scale));
		final Dft dft = dfts.get(s);
		final Cx maps = sens.maps(dft, k0, acs);
		final NDArray[] hidden = new NDArray[config.layers()];
		for (int l = 0; l < hidden.length; l++) hidden[l] = k0.re().getManager().zeros(new Shape(b, config.hidden(), h, w));
		Cx k = k0;
		for (int t = 0; t < config.steps(); t++) {
			final String blk = "blocks." + (config.shared() ? 0 : t);
			final Cx dc = k.sub(k0).mul(mask).mul(p.get("steps." + t + ".learning_rate"));
			NDArray x = Physics.reduce(dft, k, maps).toChannels();
			for (int l = 0; l < hidden.length; l++) {
				final String g = blk + ".gru." + l;
				final NDArray gates = Activation.sigmoid(Nn.conv(x.concat(hidden[l], 1), p, g + ".gates"));
				final NDArray r = gates.get(":, 0:" + config.hidden()), z = gates.get(":, " + config.hidden() + ":");
				final NDArray n = Nn.conv(x.concat(r.mul(hidden[l]), 1), p, g + ".cand").tanh();
				hidden[l] = hidden[l].add(z.mul(n.sub(hidden[l])));
				x = hidden[l];
			}
			final Cx reg = Physics.expand(dft, Cx.fromChannels(Nn.conv(x, p, blk + ".out")), maps);
			k = k.sub(dc).add(reg);
		}
		return (output == Output.COMBINED ? Physics.combined(dft, k, maps) : Physics.rss(dft, k)).mul(scale.reshape(b, 1, 1));
	}
}
