package org.recon4d.avatar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.recon4d.tensor.Djl;

/** Adam on one DJL array (its own learning rate); clears the gradient after each step and skips steps whose gradient is not finite. */
final class Adam {

	final NDArray param;
	double lr;
	private final NDArray m, v;
	private int step;
	int skipped;

	Adam(final NDArray param, final double lr) {
		this.param = param;
		this.lr = lr;
		param.setRequiresGradient(true);
		m = param.zerosLike();
		v = param.zerosLike();
	}

	void step() {
		step++;
		try (NDManager tmp = param.getManager().newSubManager()) {
			final NDArray g = param.getGradient();
			g.attach(tmp);
			final NDArray total = g.abs().sum();
			total.attach(tmp);
			if (!Float.isFinite(total.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat())) {
				// a non-finite gradient (a degenerate triangle in one step): skip this update
				skipped++;
				step--;
				Djl.zeroInPlace(g);
				return;
			}
			final NDArray gm = g.mul(0.1);
			gm.attach(tmp);
			m.muli(0.9).addi(gm);
			final NDArray g2 = g.square().muli(0.001);
			g2.attach(tmp);
			v.muli(0.999).addi(g2);
			final double a = lr * Math.sqrt(1 - Math.pow(0.999, step)) / (1 - Math.pow(0.9, step));
			final NDArray den = v.sqrt();
			den.attach(tmp);
			final NDArray upd = m.div(den.addi(1e-8));
			upd.attach(tmp);
			Djl.subtractInPlace(param, upd.muli(a));
			g.subi(g);
		}
	}

	static void clear(final NDArray p) {
		if (!p.hasGradient()) return;
		final NDArray g = p.getGradient();
		g.subi(g);
		g.close();
	}
}
