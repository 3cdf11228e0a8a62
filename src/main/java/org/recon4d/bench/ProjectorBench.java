package org.recon4d.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.recon4d.op.tomo.GatherProjector;
import org.recon4d.op.tomo.ParallelBeamProjector;
import org.recon4d.phantom.AngleSchedule;
import org.recon4d.phantom.DynamicPhantom;
import org.recon4d.report.BenchTable;
import org.recon4d.tensor.Djl;

/**
 * {@code ./recon4d bench projector}: the measured choice between the host Java projector and the
 * DJL gather projector (forward with take(), adjoint as libtorch's autograd scatter). Same
 * matrix, same inputs; medians over repeats after warm-up.
 */
public final class ProjectorBench {

	private ProjectorBench() {}

	public static BenchTable run(final int reps, final Consumer<String> log) {
		final BenchTable t = new BenchTable("projector", "median of " + reps + " runs after 2 warm-ups; DJL adjoint = backward of the gather forward");
		final Object[][] cases = { { "dyn-128-P128", 128, 128, 1 }, { "static-256-180", 256, 1, 180 } };
		for (final Object[] c : cases) {
			final String task = (String) c[0];
			final int n = (Integer) c[1], frames = (Integer) c[2], views = (Integer) c[3];
			final ParallelBeamProjector a = new ParallelBeamProjector(n, n, 1, n,
				frames > 1 ? AngleSchedule.BITREVERSED.angles(frames, views) : AngleSchedule.LINEAR.angles(1, views));
			final float[] x = frames > 1 ? new DynamicPhantom(1).render(n, frames) : org.recon4d.phantom.SheppLogan.image(n);
			final float[] y = a.apply(x), bx = new float[x.length], fy = new float[y.length];
			final List<Double> hf = new ArrayList<>(), hb = new ArrayList<>(), df = new ArrayList<>(), db = new ArrayList<>();
			for (int k = 0; k < reps + 2; k++) {
				long s = System.nanoTime();
				a.apply(x, fy);
				final double f = (System.nanoTime() - s) * 1e-9;
				s = System.nanoTime();
				a.adjoint(y, bx);
				final double b = (System.nanoTime() - s) * 1e-9;
				if (k >= 2) { hf.add(f); hb.add(b); }
			}
			BenchTable.resetPeak();
			final long s0 = System.nanoTime();
			double build;
			try (NDManager m = Djl.newManager(); GatherProjector g = new GatherProjector(a, m)) {
				build = (System.nanoTime() - s0) * 1e-9;
				final NDArray w = m.create(y, new Shape(y.length));
				for (int k = 0; k < reps + 2; k++) {
					try (NDManager sub = m.newSubManager()) {
						final NDArray xt = sub.create(x, new Shape(x.length));
						xt.setRequiresGradient(true);
						long s = System.nanoTime();
						double f, b;
						try (GradientCollector gc = Engine.getEngine(Djl.ENGINE).newGradientCollector()) {
							final NDArray out = g.forward(xt);
							out.toFloatArray();
							f = (System.nanoTime() - s) * 1e-9;
							s = System.nanoTime();
							gc.backward(out.reshape(-1).mul(w).sum());
						}
						xt.getGradient().toFloatArray();
						b = (System.nanoTime() - s) * 1e-9;
						if (k >= 2) { df.add(f); db.add(b); }
					}
				}
			}
			t.row(task, "forward", "recon4d-host", "seconds", TomoBench.median(hf));
			t.row(task, "forward", "recon4d-djl-gather", "seconds", TomoBench.median(df), "setup_seconds", build, "peak_mb", BenchTable.peakMb());
			t.row(task, "adjoint", "recon4d-host", "seconds", TomoBench.median(hb));
			t.row(task, "adjoint", "recon4d-djl-gather", "seconds", TomoBench.median(db));
			log.accept(task + " done");
		}
		return t;
	}
}
