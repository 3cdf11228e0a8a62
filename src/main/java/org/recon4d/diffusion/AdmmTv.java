package org.recon4d.diffusion;

import org.recon4d.op.LinearOperator;
import org.recon4d.op.reg.Gradient;
import org.recon4d.solve.Iterative;
import org.recon4d.solve.Monitor;
import org.recon4d.util.Vec;

/**
 * ADMM for min_x 1/2 |A x - y|^2 + lambda |D x|_1 (anisotropic: every difference shrunk on its
 * own), with the splitting z = D x and a scaled dual u:
 * x <- argmin 1/2 |A x - y|^2 + rho/2 |D x - z + u|^2 (a few conjugate-gradient steps on
 * (A^T A + rho D^T D) x = A^T y + rho D^T (z - u), warm-started at the current x),
 * z <- shrink(D x + u, lambda / rho), u <- u + D x - z.
 * <p>
 * DiffusionMBIR (Chung et al., CVPR 2023) runs one such iteration with D the difference along z
 * after every diffusion step, so {@link #iterate} takes the current x and keeps z and u between
 * calls; with D the full 3D gradient and many iterations it is a TV reconstruction.
 */
public final class AdmmTv {

	private final LinearOperator a;
	private final Gradient d;
	private final float[] aty, z, u;
	private final double lambda, rho;
	private final int cg;

	public AdmmTv(final LinearOperator a, final float[] y, final Gradient d, final double lambda, final double rho, final int cgIterations) {
		if (y.length != a.rangeSize()) throw new IllegalArgumentException("data has " + y.length + " values, operator range has " + a.rangeSize());
		this.a = a;
		this.d = d;
		this.aty = a.adjoint(y);
		this.z = new float[d.rangeSize()];
		this.u = new float[d.rangeSize()];
		this.lambda = lambda;
		this.rho = rho;
		this.cg = cgIterations;
	}

	/** One ADMM iteration from x (updated in place). */
	public void iterate(final float[] x) {
		final float[] rhs = aty.clone(), t = z.clone();
		Vec.axpy(t, -1, u);
		Vec.axpy(rhs, (float) rho, d.adjoint(t));
		Iterative.cg(a, 0, d, (float) rho, rhs, x, cg, Monitor.NONE, false);
		final float[] dx = d.apply(x);
		final float thr = (float) (lambda / rho);
		for (int i = 0; i < z.length; i++) {
			final float v = dx[i] + u[i];
			z[i] = Math.signum(v) * Math.max(0, Math.abs(v) - thr);
			u[i] += dx[i] - z[i];
		}
	}

	/** The objective 1/2 |A x - y|^2 + lambda |D x|_1 at x (for tests and logs). */
	public static double objective(final LinearOperator a, final float[] y, final Gradient d, final double lambda, final float[] x) {
		final float[] r = Vec.sub(a.apply(x), y);
		double l1 = 0;
		for (final float v : d.apply(x)) l1 += Math.abs(v);
		return 0.5 * Vec.dot(r, r) + lambda * l1;
	}
}
