package org.recon4d.avatar;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.recon4d.io.Npy;

/** The Blender-rendered fixture in sample-data/avatar (see its README). */
final class AvatarFixture {

	static final Path DIR = Paths.get("sample-data", "avatar");

	private AvatarFixture() {}

	static Rig rig() throws IOException {
		return Glb.read(DIR.resolve("template.glb"));
	}

	/** Blender's posed vertices of every pose of the fixture. */
	static java.util.List<double[]> blenderPosedAll(final int poses) throws IOException {
		final java.util.List<double[]> out = new java.util.ArrayList<>();
		for (int p = 0; p < poses; p++) out.add(blenderPosed(p));
		return out;
	}

	static double[] blenderPosed(final int pose) throws IOException {
		final float[] f = Npy.read(DIR.resolve("posed").resolve("pose" + pose + ".npy")).data();
		final double[] d = new double[f.length];
		for (int i = 0; i < f.length; i++) d[i] = f[i];
		return d;
	}
}
