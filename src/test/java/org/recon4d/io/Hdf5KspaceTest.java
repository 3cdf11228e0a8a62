package org.recon4d.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recon4d.testutil.Python;

/** fastMRI HDF5 files written by h5py: values against NumPy, both read paths, malformed files. */
class Hdf5KspaceTest {

	@TempDir static Path dir;

	@BeforeAll
	static void files() throws Exception {
		Python.run("make_fastmri_h5.py", dir.toString());
	}

	@Test
	void multiCoilSlicesMatchNumpyOnEveryPath() throws Exception {
		final Cfl.Array ref = Npy.readComplex(dir.resolve("kspace.npy"));
		assertArrayEquals(new long[] { 12, 20, 4, 3 }, ref.dims);
		for (final String name : new String[] { "multicoil.h5", "chunked.h5", "ismrmrd_names.h5" }) {
			try (Hdf5Kspace h = new Hdf5Kspace(dir.resolve(name))) {
				assertEquals(3, h.slices());
				assertEquals(4, h.coils());
				assertEquals(12, h.nx());
				assertEquals(20, h.ny());
				final int per = 2 * 12 * 20 * 4;
				for (final boolean raw : new boolean[] { true, false }) {
					assertArrayEquals(ref.data, h.read(0, 3, raw), name + " all slices, raw " + raw);
					assertArrayEquals(java.util.Arrays.copyOfRange(ref.data, per, 3 * per), h.read(1, 2, raw), name + " slices 1..2, raw " + raw);
				}
			}
		}
		try (Hdf5Kspace h = new Hdf5Kspace(dir.resolve("multicoil.h5"))) {
			assertEquals("CORPD_FBK", h.attribute("acquisition"));
			assertEquals(0.00123, ((Number) h.attribute("max")).doubleValue(), 1e-12);
			final int[] size = new int[2];
			final float[] rss = h.reference("reconstruction_rss", 2, size);
			assertArrayEquals(new int[] { 6, 8 }, size);
			// the reference is the RSS of k[:, :, 6:14, 3:9] (see the script): check one value
			double acc = 0;
			for (int c = 0; c < 4; c++) {
				final int o = 2 * (((2 * 4 + c) * 20 + 6) * 12 + 3);
				acc += ref.data[o] * ref.data[o] + ref.data[o + 1] * ref.data[o + 1];
			}
			assertEquals(Math.sqrt(acc), rss[0], 1e-5);
			assertNull(h.reference("reconstruction_esc", 0, size));
			assertThrows(IllegalArgumentException.class, () -> h.read(2, 2));
		}
	}

	@Test
	void singleCoilIsOneCoil() throws Exception {
		final Cfl.Array ref = Npy.readComplex(dir.resolve("singlecoil.npy"));
		try (Hdf5Kspace h = new Hdf5Kspace(dir.resolve("singlecoil.h5"))) {
			assertEquals(1, h.coils());
			assertArrayEquals(ref.data, h.read(0, 2));
		}
	}

	@Test
	void rawSliceReadIsFasterThanTheGenericPath() throws Exception {
		try (Hdf5Kspace h = new Hdf5Kspace(dir.resolve("big.h5"))) {
			final double[] best = { Double.MAX_VALUE, Double.MAX_VALUE };
			for (int rep = 0; rep < 5; rep++) for (int path = 0; path < 2; path++) {
				final long t = System.nanoTime();
				h.read(rep % 4, 1, path == 0);
				best[path] = Math.min(best[path], (System.nanoTime() - t) * 1e-6);
			}
			System.out.printf("fastMRI slice 8 x 320 x 320: raw %.1f ms, generic %.1f ms (%.1fx)%n", best[0], best[1], best[1] / best[0]);
			// the raw path copies bytes, the generic one builds nested arrays per member: it must not be slower
			assertTrue(best[0] < best[1], "raw " + best[0] + " ms vs generic " + best[1] + " ms");
		}
	}

	@Test
	void malformedFilesAreNamed() throws Exception {
		assertBad("realk.h5", "not complex");
		assertBad("rank2.h5", "rank 2");
		assertBad("nokspace.h5", "no dataset 'kspace'");
		assertBad("missing.h5", "no such file");
		final Path notH5 = dir.resolve("text.h5");
		Files.writeString(notH5, "this is not HDF5");
		assertBad("text.h5", "not a readable HDF5 file");
		// truncated: the first 4 kB of a valid file
		final byte[] all = Files.readAllBytes(dir.resolve("multicoil.h5"));
		Files.write(dir.resolve("cut.h5"), java.util.Arrays.copyOf(all, 4096));
		final Exception e = assertThrows(BadFileException.class, () -> {
			try (Hdf5Kspace h = new Hdf5Kspace(dir.resolve("cut.h5"))) {
				h.read(0, 3);
			}
		});
		assertTrue(e.getMessage().contains("cut.h5"), e.getMessage());
		// complex .npy: real dtypes read with zero imaginary parts; float .npy stays refused for volumes
		Npy.write(dir.resolve("real.npy"), new float[] { 1, 2, 3 }, new long[] { 3 }, false);
		assertArrayEquals(new float[] { 1, 0, 2, 0, 3, 0 }, Npy.readComplex(dir.resolve("real.npy")).data);
		Npy.writeComplex(dir.resolve("c.npy"), new float[] { 1, -1, 2, 0.5f }, new long[] { 2 }, false);
		assertArrayEquals(new float[] { 1, -1, 2, 0.5f }, Npy.readComplex(dir.resolve("c.npy")).data);
		assertTrue(assertThrows(BadFileException.class, () -> Npy.read(dir.resolve("c.npy"))).getMessage().contains("complex data are read by the MRI commands"));
	}

	static void assertBad(final String name, final String words) {
		final BadFileException e = assertThrows(BadFileException.class, () -> new Hdf5Kspace(dir.resolve(name)).close());
		assertTrue(e.getMessage().contains(name) && e.getMessage().contains(words), e.getMessage());
	}
}
