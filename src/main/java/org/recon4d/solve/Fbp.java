package org.recon4d.solve;

import java.util.Locale;

import org.recon4d.op.tomo.ParallelBeamProjector;
import org.recon4d.util.Fft;
import org.recon4d.util.Parallel;

/**
 * Filtered backprojection for the parallel-beam geometry of {@link ParallelBeamProjector}.
 * <p>
 * Each detector row is convolved with the band-limited ramp kernel of Kak and Slaney
 * (h[0] = 1/4, h[n odd] = -1/(pi n)^2, h[n even] = 0, unit spacing), computed as the DFT of that
 * kernel on a zero-padded grid (so there is no DC bias), times a window of the frequency f as a
 * fraction of Nyquist (0..1): ramp 1, Shepp-Logan sin(pi f / 2) / (pi f / 2), cosine cos(pi f / 2),
 * Hann (1 + cos(pi f)) / 2. Then linear-interpolation backprojection and the factor
 * pi / (number of views). Frames are independent: a frame uses its own views. Pixels outside the
 * field of view (the disc the detector covers at every angle) are set to 0.
 */
public final class Fbp {

	public enum Filter {
		RAMP, SHEPP_LOGAN, COSINE, HANN;

		public static Filter parse(final String s) {
			switch (s.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
				case "ramp": case "ramlak": return RAMP;
				case "shepplogan": return SHEPP_LOGAN;
				case "cosine": return COSINE;
				case "hann": case "hanning": return HANN;
				default: throw new IllegalArgumentException("unknown FBP filter '" + s + "' (use ramp, shepp-logan, cosine or hann)");
			}
		}
	}

	private Fbp() {}

	/** Frequency response of the filter on a padded grid of size p (real, symmetric). */
	public static double[] response(final int p, final Filter filter) {
		final double[] re = new double[p], im = new double[p];
		re[0] = 0.25;
		for (int k = 1; k < p / 2; k++) {
			if ((k & 1) == 1) {
				final double v = -1 / (Math.PI * Math.PI * k * k);
				re[k] = v;
				re[p - k] = v;
			}
		}
		new Fft(p).transform(re, im, false);
		for (int k = 0; k < p; k++) {
			final double f = (k <= p / 2 ? k : p - k) / (p / 2.0); // 0..1 of Nyquist
			final double w;
			switch (filter) {
				case RAMP: w = 1; break;
				case SHEPP_LOGAN: w = f == 0 ? 1 : Math.sin(Math.PI * f / 2) / (Math.PI * f / 2); break;
				case COSINE: w = Math.cos(Math.PI * f / 2); break;
				case HANN: w = 0.5 * (1 + Math.cos(Math.PI * f)); break;
				default: throw new AssertionError();
			}
			re[k] *= w;
		}
		return re;
	}

	/** Filters every detector row of a sinogram (m, views, nz, nt); returns a new array. */
	public static float[] filter(final float[] sino, final int m, final Filter filter) {
		final int p = Math.max(64, Fft.nextPow2(2 * m));
		final double[] h = response(p, filter);
		final float[] out = new float[sino.length];
		final int rows = sino.length / m;
		Parallel.forEach(Math.min(rows, 64), chunk -> {
			final Fft fft = new Fft(p);
			final double[] re = new double[p], im = new double[p];
			for (int r = chunk; r < rows; r += Math.min(rows, 64)) {
				java.util.Arrays.fill(re, 0);
				java.util.Arrays.fill(im, 0);
				for (int k = 0; k < m; k++) re[k] = sino[r * m + k];
				fft.transform(re, im, false);
				for (int k = 0; k < p; k++) { re[k] *= h[k]; im[k] *= h[k]; }
				fft.transform(re, im, true);
				for (int k = 0; k < m; k++) out[r * m + k] = (float) (re[k] / p);
			}
		});
		return out;
	}

	/** FBP of every frame from its own views; returns (nx, ny, nz, nt). */
	public static float[] reconstruct(final ParallelBeamProjector a, final float[] sino, final Filter filter) {
		final float[] q = filter(sino, a.detectors(), filter);
		final float[] x = new float[a.domainSize()];
		a.backprojectLinear(q, x);
		final float s = (float) (Math.PI / a.views());
		for (int i = 0; i < x.length; i++) x[i] *= s;
		a.maskFieldOfView(x);
		return x;
	}

	/**
	 * Sliding-window FBP for dynamic data: frame t is reconstructed from the views of the
	 * {@code window} frames around it (the window is shifted, not shrunk, at the ends).
	 */
	public static float[] slidingWindow(final ParallelBeamProjector a, final float[] sino, final Filter filter, final int window) {
		final int nt = a.frames(), w = Math.max(1, Math.min(window, nt)), views = a.views(), m = a.detectors(), nz = a.nz();
		final int frameSize = a.nx() * a.ny() * nz, sinoFrame = m * views * nz;
		final double[][] angles = a.angles();
		final float[] x = new float[a.domainSize()];
		final float[] q = filter(sino, m, filter);
		for (int t = 0; t < nt; t++) {
			final int lo = Math.max(0, Math.min(nt - w, t - w / 2));
			final double[][] win = new double[1][w * views];
			final float[] qs = new float[m * w * views * nz];
			for (int f = 0; f < w; f++) {
				System.arraycopy(angles[lo + f], 0, win[0], f * views, views);
				for (int z = 0; z < nz; z++) for (int v = 0; v < views; v++)
					System.arraycopy(q, (lo + f) * sinoFrame + (z * views + v) * m, qs, (z * w * views + f * views + v) * m, m);
			}
			final ParallelBeamProjector one = new ParallelBeamProjector(a.nx(), a.ny(), nz, m, win);
			final float[] xt = new float[frameSize];
			one.backprojectLinear(qs, xt);
			final float s = (float) (Math.PI / (w * views));
			for (int i = 0; i < frameSize; i++) x[t * frameSize + i] = xt[i] * s;
		}
		a.maskFieldOfView(x);
		return x;
	}
}
