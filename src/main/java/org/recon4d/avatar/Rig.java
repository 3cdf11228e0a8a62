package org.recon4d.avatar;

import java.util.Arrays;

/**
 * A skinned triangle mesh with its skeleton, in the glTF convention: joints are nodes with a
 * local translation, rotation (quaternion x, y, z, w) and scale; a joint's world matrix is its
 * parent's times its local matrix; the skinning matrix of joint j in a pose is
 * {@code world_j(pose) * inverseBind_j}. Matrices are 4 x 4, row-major {@code double[16]}.
 * Positions are float32 x, y, z per vertex; each vertex has four joint indices and weights.
 */
public final class Rig {

	public final float[] positions;
	public final int[] triangles;
	public final int[] joints;
	public final float[] weights;
	public final String[] names;
	public final int[] parent;
	public final double[][] translation, rotation, scale, inverseBind;
	/** Per-vertex linear RGB (3 per vertex), or null. */
	public final float[] colours;

	public Rig(final float[] positions, final int[] triangles, final int[] joints, final float[] weights,
		final String[] names, final int[] parent, final double[][] translation, final double[][] rotation,
		final double[][] scale, final double[][] inverseBind)
	{
		this(positions, triangles, joints, weights, names, parent, translation, rotation, scale, inverseBind, null);
	}

	public Rig(final float[] positions, final int[] triangles, final int[] joints, final float[] weights,
		final String[] names, final int[] parent, final double[][] translation, final double[][] rotation,
		final double[][] scale, final double[][] inverseBind, final float[] colours)
	{
		this.positions = positions;
		this.triangles = triangles;
		this.joints = joints;
		this.weights = weights;
		this.names = names;
		this.parent = parent;
		this.translation = translation;
		this.rotation = rotation;
		this.scale = scale;
		this.inverseBind = inverseBind;
		this.colours = colours;
		if (colours != null && colours.length != positions.length) throw new IllegalArgumentException("colours must have 3 entries per vertex");
		validate();
	}

	public int vertexCount() { return positions.length / 3; }

	public int triangleCount() { return triangles.length / 3; }

	public int jointCount() { return names.length; }

	public int joint(final String name) {
		for (int j = 0; j < names.length; j++) if (names[j].equals(name)) return j;
		return -1;
	}

	/** A copy with other rest positions and inverse bind matrices (same topology and weights). */
	public Rig withRest(final float[] newPositions, final double[][] newTranslation, final double[][] newInverseBind) {
		return new Rig(newPositions, triangles, joints, weights, names, parent, newTranslation, rotation, scale, newInverseBind, colours);
	}

	/** A copy with other skin weights (4 per vertex, same joints). */
	public Rig withWeights(final float[] w) {
		return new Rig(positions, triangles, joints, w, names, parent, translation, rotation, scale, inverseBind, colours);
	}

	public Rig withColours(final float[] rgb) {
		return new Rig(positions, triangles, joints, weights, names, parent, translation, rotation, scale, inverseBind, rgb);
	}

	/**
	 * The rig scaled by {@code s} about the root joint's rest position (vertices and skeleton):
	 * the "deflated" start of the shape fit.
	 */
	public Rig scaled(final double s) {
		final double[][] world = Skinning.world(this, null);
		int root = 0;
		for (int j = 0; j < parent.length; j++) if (parent[j] < 0) { root = j; break; }
		final double cx = world[root][3], cy = world[root][7], cz = world[root][11];
		final float[] p = positions.clone();
		for (int v = 0; v < p.length; v += 3) {
			p[v] = (float) (cx + s * (p[v] - cx));
			p[v + 1] = (float) (cy + s * (p[v + 1] - cy));
			p[v + 2] = (float) (cz + s * (p[v + 2] - cz));
		}
		final double[][] t = new double[names.length][];
		for (int j = 0; j < names.length; j++) t[j] = j == root ? translation[j].clone() : Mat.scale(translation[j], s);
		final Rig tmp = new Rig(p, triangles, joints, weights, names, parent, t, rotation, scale, inverseBind);
		final double[][] w = Skinning.world(tmp, null);
		final double[][] ib = new double[names.length][];
		for (int j = 0; j < names.length; j++) ib[j] = Mat.inverseRigid(w[j]);
		return tmp.withRest(p, t, ib);
	}

	private void validate() {
		final int v = vertexCount(), j = names.length;
		if (positions.length % 3 != 0 || triangles.length % 3 != 0) throw new IllegalArgumentException("positions or triangles are not triples");
		if (joints.length != 4 * v || weights.length != 4 * v)
			throw new IllegalArgumentException("JOINTS_0/WEIGHTS_0 must have 4 entries per vertex (" + v + " vertices, got " + joints.length / 4 + ")");
		for (final int t : triangles) if (t < 0 || t >= v) throw new IllegalArgumentException("triangle index " + t + " outside 0.." + (v - 1));
		for (int i = 0; i < v; i++) {
			double sum = 0;
			for (int k = 0; k < 4; k++) {
				final int jj = joints[4 * i + k];
				final float w = weights[4 * i + k];
				if (w < 0) throw new IllegalArgumentException("vertex " + i + " has a negative skin weight");
				if (w > 0 && (jj < 0 || jj >= j)) throw new IllegalArgumentException("vertex " + i + " refers to joint " + jj + " but the skin has " + j);
				sum += w;
			}
			if (Math.abs(sum - 1) > 1e-3) throw new IllegalArgumentException("skin weights of vertex " + i + " sum to " + sum + ", not 1");
		}
		if (parent.length != j || translation.length != j || rotation.length != j || inverseBind.length != j)
			throw new IllegalArgumentException("skeleton arrays disagree on the joint count " + j);
		if (Arrays.stream(parent).filter(p -> p < 0).count() < 1) throw new IllegalArgumentException("the skeleton has no root joint");
	}
}
