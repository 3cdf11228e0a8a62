package org.recon4d.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.recon4d.testutil.Python;

/** Round trips, external readers (NumPy, python3-zarr) and malformed input for every format. */
class IoTest {

	@TempDir Path tmp;

	/** a[x, y, t] = x + 10 y + 100 t, dims (5, 4, 3). */
	static Volume xyt() {
		final float[] d = new float[5 * 4 * 3];
		for (int t = 0; t < 3; t++) for (int y = 0; y < 4; y++) for (int x = 0; x < 5; x++) d[(t * 4 + y) * 5 + x] = x + 10 * y + 100 * t;
		return Volume.of(d, 5, 4, 3);
	}

	static Volume random(final long... dims) {
		final java.util.SplittableRandom r = new java.util.SplittableRandom(dims.length);
		final float[] d = new float[(int) Arrays.stream(dims).reduce(1, (a, b) -> a * b)];
		for (int i = 0; i < d.length; i++) d[i] = (float) r.nextDouble(-5, 5);
		return Volume.of(d, dims);
	}

	@Test
	void npyAgainstNumpy() throws Exception {
		Npy.write(tmp.resolve("java.npy"), xyt().data(), xyt().dims(), false);
		final String out = Python.run("make_test_npy.py", tmp.toString());
		assertTrue(out.contains("\"java\": \"read\""), out);
		for (final String name : new String[] { "f4le", "f4be", "f8be", "i2le", "u1", "i8le", "fortran" }) {
			final Volume v = Npy.read(tmp.resolve(name + ".npy"));
			if (name.equals("fortran")) {
				// Fortran order: NumPy shape (3, 4, 5) is read as dims (3, 4, 5), first index fastest
				assertArrayEquals(new long[] { 3, 4, 5 }, v.dims());
				assertEquals(2 + 10 * 3 + 100 * 1, v.data()[1 + 3 * (3 + 4 * 2)], name);
			}
			else {
				assertArrayEquals(new long[] { 5, 4, 3 }, v.dims(), name);
				assertArrayEquals(xyt().data(), v.data(), name);
			}
		}
		assertBad(() -> Npy.read(tmp.resolve("complex.npy")), "complex.npy", "unsupported dtype '<c8'");
		assertBad(() -> Npy.read(tmp.resolve("nan.npy")), "nan.npy", "NaN");
	}

	@Test
	void npyMalformed() throws Exception {
		Npy.write(tmp.resolve("ok.npy"), xyt().data(), xyt().dims(), false);
		final byte[] ok = Files.readAllBytes(tmp.resolve("ok.npy"));
		Files.write(tmp.resolve("trunc.npy"), Arrays.copyOf(ok, ok.length - 7));
		assertBad(() -> Npy.read(tmp.resolve("trunc.npy")), "trunc.npy", "truncated data");
		Files.write(tmp.resolve("header.npy"), Arrays.copyOf(ok, 40));
		assertBad(() -> Npy.read(tmp.resolve("header.npy")), "header.npy", "truncated header");
		Files.writeString(tmp.resolve("text.npy"), "hello world, not numpy");
		assertBad(() -> Npy.read(tmp.resolve("text.npy")), "text.npy", "bad magic");
		final byte[] shape = ok.clone();
		final String h = new String(shape, 10, 60, java.nio.charset.StandardCharsets.ISO_8859_1).replace("(3, 4, 5)", "(3, x, 5)");
		System.arraycopy(h.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, shape, 10, 60);
		Files.write(tmp.resolve("shape.npy"), shape);
		assertBad(() -> Npy.read(tmp.resolve("shape.npy")), "shape.npy", "cannot parse shape");
		assertBad(() -> Npy.read(tmp.resolve("missing.npy")), "missing.npy", "no such file");
	}

	@Test
	void tiffRoundTripAndMalformed() throws Exception {
		final Volume v = random(17, 9, 2, 3).withCalibration(new double[] { 0.5, 0.5, 2, 0.1 }, "micron", "s");
		Tiff.write(v, tmp.resolve("v.tif"), false);
		final Volume r = Tiff.read(tmp.resolve("v.tif"));
		assertArrayEquals(v.dims(), r.dims());
		assertArrayEquals(v.axes(), r.axes());
		assertArrayEquals(v.data(), r.data());
		assertArrayEquals(v.spacing(), r.spacing(), 1e-9);
		assertEquals("s", r.timeUnit());
		final byte[] all = Files.readAllBytes(tmp.resolve("v.tif"));
		Files.write(tmp.resolve("trunc.tif"), Arrays.copyOf(all, all.length / 2));
		assertBad(() -> Tiff.read(tmp.resolve("trunc.tif")), "trunc.tif", "truncated");
		Files.writeString(tmp.resolve("junk.tif"), "II*\0 definitely not a tiff");
		assertThrows(BadFileException.class, () -> Tiff.read(tmp.resolve("junk.tif")));
		final Volume nan = random(4, 4);
		nan.data()[5] = Float.NaN;
		Tiff.write(nan, tmp.resolve("nan.tif"), false);
		assertBad(() -> Tiff.read(tmp.resolve("nan.tif")), "nan.tif", "NaN");
	}

	@Test
	void omeZarrRoundTripAndPython() throws Exception {
		for (final Volume v : new Volume[] {
			random(70, 40, 5).withCalibration(new double[] { 0.5, 0.5, 2 }, "micrometer", "second"),
			random(36, 34, 3, 2).withCalibration(new double[] { 1, 1, 3, 1 }, "micrometer", "second") })
		{
			final String name = v.numAxes() == 3 ? "xyt.ome.zarr" : "xyzt.ome.zarr";
			final Path p = tmp.resolve(name);
			OmeZarr.write(v, p, false);
			final Volume r = OmeZarr.read(p);
			assertArrayEquals(v.dims(), r.dims());
			assertArrayEquals(v.axes(), r.axes());
			assertArrayEquals(v.data(), r.data());
			assertArrayEquals(v.spacing(), r.spacing(), 1e-12);
			Npy.write(tmp.resolve(name + ".npy"), v.data(), v.dims(), false);
			final String axes = new StringBuilder(String.join("", v.axes())).reverse().toString();
			final double[] s = v.spacing();
			final StringBuilder scale = new StringBuilder();
			for (int d = s.length - 1; d >= 0; d--) scale.append(s[d]).append(d > 0 ? "," : "");
			final String out = Python.run("verify_omezarr.py", p.toString(), tmp.resolve(name + ".npy").toString(), axes, scale.toString());
			assertTrue(out.contains("\"ok\": true"), out);
		}
		Files.createDirectories(tmp.resolve("empty.ome.zarr"));
		assertBad(() -> OmeZarr.read(tmp.resolve("empty.ome.zarr")), "empty.ome.zarr", "no .zattrs");
	}

	@Test
	void bdvN5ReadByZarrN5Store() throws Exception {
		final Volume v = random(80, 70, 4).withCalibration(new double[] { 0.5, 0.5, 1 }, "mm", "s");
		final Path xml = tmp.resolve("dyn.xml");
		BdvN5.write(v, xml, false);
		assertTrue(Files.isDirectory(tmp.resolve("dyn.n5/setup0/timepoint3/s1")));
		Npy.write(tmp.resolve("dyn.npy"), v.data(), v.dims(), false);
		final String out = Python.run("verify_bdv_n5.py", xml.toString(), tmp.resolve("dyn.npy").toString());
		assertTrue(out.contains("\"timepoints\": 4"), out);
		final Volume v3 = random(40, 36, 20);
		final Volume z = new Volume(v3.data(), v3.dims(), new String[] { "x", "y", "z" }, new double[] { 1, 1, 2 }, "um", "s");
		BdvN5.write(z, tmp.resolve("vol.xml"), false);
		Npy.write(tmp.resolve("vol.npy"), z.data(), new long[] { 40, 36, 20, 1 }, false);
		Python.run("verify_bdv_n5.py", tmp.resolve("vol.xml").toString(), tmp.resolve("vol.npy").toString());
	}

	@Test
	void neverOverwritesUnlessAsked() throws Exception {
		final Volume a = xyt(), b = random(5, 4, 3);
		for (final String name : new String[] { "x.npy", "x.tif", "x.ome.zarr", "x.xml" }) {
			final Path p = tmp.resolve(name);
			Volumes.write(a, p, false);
			final FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> Volumes.write(b, p, false));
			assertTrue(e.getMessage().contains("overwrite=true"), e.getMessage());
			if (!name.endsWith(".xml")) {
				assertArrayEquals(a.data(), Volumes.read(p).data(), name + " changed by a refused write");
				Volumes.write(b, p, true);
				assertArrayEquals(b.data(), Volumes.read(p).data(), name + " not replaced with overwrite=true");
			}
		}
		// no temporary files are left behind
		try (var s = Files.list(tmp)) {
			assertTrue(s.noneMatch(f -> f.getFileName().toString().contains(".tmp-") || f.getFileName().toString().contains(".old-")));
		}
	}

	static void assertBad(final org.junit.jupiter.api.function.Executable e, final String file, final String problem) {
		final IOException ex = (IOException) assertThrows(IOException.class, e);
		assertTrue(ex.getMessage().contains(file) && ex.getMessage().contains(problem), "message: " + ex.getMessage());
	}
}
