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

	static double[] blenderPosed(final int pose) throws IOException {
		final float[] f = Npy.read(DIR.resolve("posed").resolve("pose" + pose + ".npy")).data();
		final double[] d = new double[f.length];
		for (int i = 0; i < f.length; i++) d[i] = f[i];
		return d;
	}
}
