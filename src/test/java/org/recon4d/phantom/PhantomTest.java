package org.recon4d.phantom;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.recon4d.util.Vec;

/** Phantoms, schedules and noise: values, determinism, statistics. */
class PhantomTest {

	@Test
	void sheppLoganValues() {
		final int n = 128;
		final float[] p = SheppLogan.image(n);
		// centre: outer skull 1 - brain 0.8 = 0.2; ventricles (-0.2) make the darkest 0.0 regions
		assertEquals(0.2f, p[(n / 2) * n + n / 2], 1e-6f);
		assertEquals(1f, Vec.max(p), 1e-6f);
		assertEquals(0f, Vec.min(p), 1e-6f);
		assertEquals(0f, p[0], 0f);
		final float[] v = SheppLogan.volume(48);
		assertEquals(0.2f, v[(24 * 48 + 24) * 48 + 24], 1e-6f);
	}

	@Test
	void dynamicPhantomMovesAndIsDeterministic() {
		final float[] a = new DynamicPhantom(5).render(64, 8), b = new DynamicPhantom(5).render(64, 8), c = new DynamicPhantom(6).render(64, 8);
		assertArrayEquals(a, b);
		assertFalse(Arrays.equals(a, c));
		// frames differ (deformation + intensity change) and stay within [0, 1] and a disc
		final float[] f0 = Arrays.copyOfRange(a, 0, 64 * 64), f4 = Arrays.copyOfRange(a, 4 * 64 * 64, 5 * 64 * 64);
		double diff = 0;
		for (int i = 0; i < f0.length; i++) diff += Math.abs(f0[i] - f4[i]);
		assertTrue(diff / f0.length > 0.02, "frames barely change: " + diff / f0.length);
		assertTrue(Vec.max(a) <= 1f && Vec.min(a) >= 0f);
		for (int j = 0; j < 64; j++) for (int i = 0; i < 64; i++) {
			final double x = i + 0.5 - 32, y = j + 0.5 - 32;
			if (x * x + y * y > 32.5 * 32.5) assertEquals(0f, a[j * 64 + i], 0f);
		}
	}

	@Test
	void bitReversedBlocksCoverTheCircle() {
		final double[][] s = AngleSchedule.BITREVERSED.angles(128, 1);
		final double[] flat = new double[128];
		for (int t = 0; t < 128; t++) flat[t] = s[t][0];
		final double[] sorted = flat.clone();
		Arrays.sort(sorted);
		for (int i = 0; i < 128; i++) assertEquals(Math.PI * i / 128, sorted[i], 1e-12, "not a permutation of the linear grid");
		// any aligned block of 16 consecutive views is a uniform grid of step pi/16
		for (int b = 0; b < 128; b += 16) {
			final double[] blk = Arrays.copyOfRange(flat, b, b + 16);
			Arrays.sort(blk);
			for (int i = 1; i < 16; i++) assertEquals(Math.PI / 16, blk[i] - blk[i - 1], 1e-12);
		}
		assertEquals(0, flat[0], 0);
		assertEquals(Math.PI / 2, flat[1], 1e-12);
		// not a power of two: still a permutation
		final double[][] odd = AngleSchedule.BITREVERSED.angles(10, 3);
		final double[] o = Arrays.stream(odd).flatMapToDouble(Arrays::stream).sorted().toArray();
		for (int i = 0; i < 30; i++) assertEquals(Math.PI * i / 30, o[i], 1e-12);
	}

	@Test
	void goldenAndLinear() {
		final double[][] g = AngleSchedule.GOLDEN.angles(5, 2);
		assertEquals(Math.toRadians(111.24611797), g[0][1], 1e-8);
		assertEquals(Math.toRadians((2 * 111.24611797) % 180), g[1][0], 1e-8);
		final double[][] l = AngleSchedule.LINEAR.angles(2, 3);
		assertEquals(Math.PI * 4 / 6, l[1][1], 1e-12);
		assertThrows(IllegalArgumentException.class, () -> AngleSchedule.parse("spiral"));
	}

	@Test
	void noiseStatistics() {
		final float[] y = new float[200000];
		for (int i = 0; i < y.length; i++) y[i] = 10f * (i % 7) / 6f; // max 10
		final float[] n = Noise.gaussian(y, 0.005, 1);
		double s = 0, m = 0;
		for (int i = 0; i < y.length; i++) { final double d = n[i] - y[i]; m += d; s += d * d; }
		m /= y.length;
		final double sd = Math.sqrt(s / y.length - m * m);
		assertEquals(0.05, sd, 0.05 * 0.02, "sigma = 0.5% of max");
		assertEquals(0, m, 1e-3);
		assertArrayEquals(n, Noise.gaussian(y, 0.005, 1));
		final float[] p = Noise.poisson(y, 1e5, 2, 3);
		double bias = 0;
		for (int i = 0; i < y.length; i++) bias += p[i] - y[i];
		assertEquals(0, bias / y.length, 0.01, "log-converted Poisson data is nearly unbiased at 1e5 photons");
	}

	@Test
	void brainVolumeIsDeterministicBoundedAndConsistentAlongZ() {
		final int n = 48, nz = 32, img = n * n;
		final float[] v = BrainVolume.volume(n, nz, 1_000_000), again = BrainVolume.volume(n, nz, 1_000_000), other = BrainVolume.volume(n, nz, 7);
		org.junit.jupiter.api.Assertions.assertArrayEquals(v, again);
		double max = 0, min = 0, adjacent = 0, apart = 0, mean = 0;
		for (final float x : v) { max = Math.max(max, x); min = Math.min(min, x); mean += x / v.length; }
		assertTrue(min >= 0 && max <= 1.3 && max > 0.8, "range " + min + ".." + max);
		assertTrue(mean > 0.2, "mean " + mean + ": every slice cuts the head");
		// neighbouring slices differ far less than slices 8 apart, and the heads of two seeds differ
		for (int z = 0; z + 8 < nz; z++) for (int p = 0; p < img; p++) {
			adjacent += Math.abs(v[(z + 1) * img + p] - v[z * img + p]);
			apart += Math.abs(v[(z + 8) * img + p] - v[z * img + p]);
		}
		assertTrue(adjacent < 0.35 * apart, "adjacent " + adjacent + " vs 8 apart " + apart);
		double diff = 0;
		for (int i = 0; i < v.length; i++) diff += Math.abs(v[i] - other[i]) / v.length;
		assertTrue(diff > 0.05, "two seeds give different heads: " + diff);
	}
}
