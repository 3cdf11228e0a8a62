package org.recon4d.avatar;

/** Local joint rotations (unit quaternions x, y, z, w; null = the rig's rest rotation) and an optional root translation. */
public final class Pose {

	public final String name;
	private final double[][] rotations;
	public final double[] rootTranslation;

	public Pose(final String name, final double[][] rotations, final double[] rootTranslation) {
		this.name = name;
		this.rotations = rotations;
		this.rootTranslation = rootTranslation;
	}

	public double[] rotation(final int joint) {
		return joint < rotations.length ? rotations[joint] : null;
	}

	public static Pose rest(final int joints) {
		return new Pose("rest", new double[joints][], null);
	}
}
