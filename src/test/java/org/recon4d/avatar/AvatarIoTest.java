package org.recon4d.avatar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.recon4d.io.BadFileException;

class AvatarIoTest {

	@TempDir Path tmp;

	@Test
	void skinningMatchesBlendersArmatureModifier() throws IOException {
		final Rig rig = AvatarFixture.rig();
		assertEquals(17, rig.jointCount());
		final Dataset data = Dataset.read(AvatarFixture.DIR, rig);
		assertEquals(4, data.poses.size());
		for (int p = 0; p < 4; p++) {
			final double[] ours = Skinning.pose(rig, data.poses.get(p));
			final double[] blender = AvatarFixture.blenderPosed(p);
			double worst = 0, moved = 0;
			for (int i = 0; i < ours.length; i++) {
				worst = Math.max(worst, Math.abs(ours[i] - blender[i]));
				moved = Math.max(moved, Math.abs(blender[i] - rig.positions[i]));
			}
			assertTrue(worst < 1e-5, "pose " + p + ": max |ours - Blender| = " + worst + " m");
			if (p > 0) assertTrue(moved > 0.1, "pose " + p + " should move vertices (moved " + moved + ")");
		}
	}

	@Test
	void glbRoundTripKeepsSkeletonWeightsAndColours() throws IOException {
		final Rig rig = AvatarFixture.rig();
		final float[] rgb = new float[rig.positions.length];
		for (int i = 0; i < rgb.length; i++) rgb[i] = (i % 7) / 7f;
		final Path out = tmp.resolve("out.glb");
		Glb.write(rig.withColours(rgb), out, false);
		final Rig back = Glb.read(out);
		assertEquals(rig.vertexCount(), back.vertexCount());
		assertEquals(rig.jointCount(), back.jointCount());
		assertArrayEquals(rig.names, back.names);
		assertArrayEquals(rig.parent, back.parent);
		assertArrayEquals(rig.positions, back.positions);
		assertArrayEquals(rig.triangles, back.triangles);
		assertArrayEquals(rig.joints, back.joints);
		assertArrayEquals(rig.weights, back.weights, 1e-7f);
		assertArrayEquals(rgb, back.colours);
		for (int j = 0; j < rig.jointCount(); j++) assertArrayEquals(rig.inverseBind[j], back.inverseBind[j], 1e-6);
		// the file is never replaced silently
		assertThrows(IOException.class, () -> Glb.write(rig, out, false));
	}

	@Test
	void malformedInputIsRejectedWithTheProblemNamed() throws IOException {
		final Rig rig = AvatarFixture.rig();
		final Path junk = tmp.resolve("junk.glb");
		Files.write(junk, "glTF but not really".getBytes(StandardCharsets.UTF_8));
		assertThrows(BadFileException.class, () -> Glb.read(junk));
		// a dataset copy whose files we corrupt one at a time
		final Path d = tmp.resolve("data");
		copyTree(AvatarFixture.DIR, d);
		final String tf = Files.readString(d.resolve("transforms.json"));
		final String poses = Files.readString(d.resolve("poses.json"));

		Files.writeString(d.resolve("transforms.json"), tf.replaceFirst("\"pose\": 0", "\"pose\": 9"));
		assertMessage(d, rig, "pose 9 but poses.json has 4 poses");

		Files.writeString(d.resolve("transforms.json"), tf.replaceFirst("\\[\\s*\\[\\s*([-0-9.e]+)", "[[ 2.5"));
		assertMessage(d, rig, "not orthonormal");

		Files.writeString(d.resolve("transforms.json"), tf.replaceFirst("rgb/p0_c00.png", "rgb/missing.png"));
		assertMessage(d, rig, "does not exist");

		Files.writeString(d.resolve("transforms.json"), tf);
		Files.writeString(d.resolve("poses.json"), poses.replace("\"thigh_L\": [", "\"tail\": ["));
		assertMessage(d, rig, "\"tail\", which the template does not have");

		Files.writeString(d.resolve("poses.json"), poses.replaceFirst("\"joints\": \\[", "\"joints\": [\"clavicle_L\", "));
		assertMessage(d, rig, "\"clavicle_L\" is missing from the template");

		Files.writeString(d.resolve("poses.json"), poses.replaceFirst("(\"upperarm_L\": \\[)", "$1 0.5, "));
		assertMessage(d, rig, "quaternion");
	}

	@Test
	void framesFromATiffStackPerCamera() throws IOException {
		final Rig rig = AvatarFixture.rig();
		final Dataset png = Dataset.read(AvatarFixture.DIR, rig);
		// camera 0 as one RGB stack over the 4 poses, as Fiji would save a time series
		final Path d = tmp.resolve("stack");
		copyTree(AvatarFixture.DIR, d);
		final ij.ImageStack rgb = new ij.ImageStack(128, 128), mask = new ij.ImageStack(128, 128);
		for (int p = 0; p < 4; p++) {
			rgb.addSlice(new ij.ImagePlus(d.resolve("rgb/p" + p + "_c00.png").toString()).getProcessor().convertToRGB());
			mask.addSlice(new ij.ImagePlus(d.resolve("mask/p" + p + "_c00.png").toString()).getProcessor().convertToByte(false));
		}
		new ij.io.FileSaver(new ij.ImagePlus("cam00", rgb)).saveAsTiffStack(d.resolve("cam00.tif").toString());
		new ij.io.FileSaver(new ij.ImagePlus("cam00-mask", mask)).saveAsTiffStack(d.resolve("cam00-mask.tif").toString());
		String tf = Files.readString(d.resolve("transforms.json"));
		for (int p = 0; p < 4; p++)
			tf = tf.replace("\"file_path\": \"rgb/p" + p + "_c00.png\"", "\"file_path\": \"cam00.tif\", \"slice\": " + (p + 1))
				.replace("\"mask_path\": \"mask/p" + p + "_c00.png\"", "\"mask_path\": \"cam00-mask.tif\"");
		Files.writeString(d.resolve("transforms.json"), tf);
		final Dataset stack = Dataset.read(d, rig);
		int compared = 0;
		for (int i = 0; i < png.frames.size(); i++) {
			if (!png.frames.get(i).name.endsWith("_c00.png")) continue;
			assertEquals("cam00.tif", stack.frames.get(i).name);
			assertArrayEquals(png.frames.get(i).rgb, stack.frames.get(i).rgb, 0f);
			assertArrayEquals(png.frames.get(i).mask, stack.frames.get(i).mask, 0f);
			compared++;
		}
		assertEquals(4, compared);
		// a slice past the end of the stack is named
		Files.writeString(d.resolve("transforms.json"), tf.replace("\"slice\": 4", "\"slice\": 9"));
		assertMessage(d, rig, "slice 9 of cam00.tif, which has 4");
	}

	@Test
	void alphaChannelIsTheMaskWhenNoMaskFileIsGiven() throws IOException {
		final Rig rig = AvatarFixture.rig();
		final Path d = tmp.resolve("rgba");
		copyTree(AvatarFixture.DIR, d);
		// frame p0_c00 as an RGBA PNG (alpha = Blender's mask), and no mask_path for it
		final java.awt.image.BufferedImage rgb = javax.imageio.ImageIO.read(d.resolve("rgb/p0_c00.png").toFile());
		final java.awt.image.BufferedImage mask = javax.imageio.ImageIO.read(d.resolve("mask/p0_c00.png").toFile());
		final java.awt.image.BufferedImage rgba = new java.awt.image.BufferedImage(128, 128, java.awt.image.BufferedImage.TYPE_INT_ARGB);
		for (int y = 0; y < 128; y++)
			for (int x = 0; x < 128; x++) rgba.setRGB(x, y, (mask.getRaster().getSample(x, y, 0) << 24) | (rgb.getRGB(x, y) & 0xffffff));
		javax.imageio.ImageIO.write(rgba, "png", d.resolve("rgb/p0_c00.png").toFile());
		Files.writeString(d.resolve("transforms.json"), Files.readString(d.resolve("transforms.json")).replace("\"mask_path\": \"mask/p0_c00.png\",", ""));
		final Dataset png = Dataset.read(AvatarFixture.DIR, rig), alpha = Dataset.read(d, rig);
		assertArrayEquals(png.frames.get(0).mask, alpha.frames.get(0).mask, 0f);
		// and a plain RGB frame without a mask file has no mask
		Files.writeString(d.resolve("transforms.json"), Files.readString(d.resolve("transforms.json")).replace("\"mask_path\": \"mask/p0_c01.png\",", ""));
		assertNull(Dataset.read(d, rig).frames.get(1).mask);
	}

	private static void assertMessage(final Path dir, final Rig rig, final String expected) {
		final BadFileException e = assertThrows(BadFileException.class, () -> Dataset.read(dir, rig));
		assertTrue(e.getMessage().contains(expected), "message \"" + e.getMessage() + "\" should contain \"" + expected + "\"");
	}

	static void copyTree(final Path from, final Path to) throws IOException {
		try (var s = Files.walk(from)) {
			for (final Path p : (Iterable<Path>) s::iterator) {
				final Path t = to.resolve(from.relativize(p).toString());
				if (Files.isDirectory(p)) Files.createDirectories(t);
				else Files.copy(p, t);
			}
		}
	}
}
