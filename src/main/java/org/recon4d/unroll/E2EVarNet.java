package org.recon4d.unroll;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * End-to-end variational network (Sriram et al., MICCAI 2020; fastMRI's {@code VarNet}):
 * sensitivities from the ACS region by {@link SensitivityNet}, then T cascades of
 * k <- k - eta_t M (k - k0) - F S R_t(S^H F^-1 k), each R_t a normalised U-Net and eta_t a learned
 * data-consistency weight (initialised to 1); R_t starts at zero ({@link UNet#correction}), so the
 * untrained network returns the zero-filled answer. The cascade owns only the physics; the regulariser
 * is passed in ({@link #cascade}), which is how the data-consistency test drives it with R = 0.
 */
public final class E2EVarNet implements Net {

	/** Sizes; the published model is {@code new Config(12, 18, 4, 8, 4)} (about 30 M parameters). */
	public record Config(int cascades, int chans, int pools, int sensChans, int sensPools) {
		public static Config small() { return new Config(6, 8, 3, 4, 3); }

		public static Config published() { return new Config(12, 18, 4, 8, 4); }

		public String describe() {
			return "E2E-VarNet: " + cascades + " cascades of " + chans + "-channel " + pools + "-pool U-Nets, sensitivity U-Net " + sensChans + " channels " + sensPools + " pools";
		}
	}

	private final Config config;
	private final Params p;
	private final Dfts dfts;
	private final SensitivityNet sens;
	private final UNet[] regs;

	public E2EVarNet(final Config config, final Params p, final Dfts dfts) {
		this.config = config;
		this.p = p;
		this.dfts = dfts;
		this.sens = new SensitivityNet(p, "sens_net", config.sensChans(), config.sensPools());
		this.regs = new UNet[config.cascades()];
		for (int t = 0; t < regs.length; t++) {
			regs[t] = new UNet(p, "cascades." + t + ".model", 2, 2, config.chans(), config.pools());
			p.constant("cascades." + t + ".dc_weight", new Shape(1), 1f);
		}
	}

	public Config config() { return config; }

	@Override public Params params() { return p; }

	private Output output = Output.RSS;

	@Override public void setOutput(final Output o) { this.output = o; }

	@Override public Output output() { return output; }

	@Override public String kind() { return "e2e-varnet"; }

	@Override
	public NDArray forward(final Cx k0, final NDArray mask, final NDArray acs) {
		final Dft dft = dfts.get(k0.shape());
		final Cx maps = sens.maps(dft, k0, acs);
		Cx k = k0;
		for (int t = 0; t < regs.length; t++) {
			final UNet u = regs[t];
			k = cascade(dft, k, k0, mask, maps, p.get("cascades." + t + ".dc_weight"), x -> Cx.fromChannels(u.correction(x.toChannels())));
		}
		return output == Output.COMBINED ? Physics.combined(dft, k, maps) : Physics.rss(dft, k);
	}

	/** One cascade with an explicit regulariser on (B, 1, H, W) images. */
	public Cx cascade(final Dft dft, final Cx k, final Cx k0, final NDArray mask, final Cx maps, final NDArray eta, final java.util.function.UnaryOperator<Cx> regulariser) {
		final Cx dc = k.sub(k0).mul(mask).mul(eta);
		final Cx reg = Physics.expand(dft, regulariser.apply(Physics.reduce(dft, k, maps)), maps);
		return k.sub(dc).sub(reg);
	}
}
