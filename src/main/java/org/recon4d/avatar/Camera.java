package org.recon4d.avatar;

/**
 * A pinhole camera in the Nerfstudio / Instant-NGP convention: camera-to-world matrix with
 * OpenGL axes (the camera looks down its -z axis, +y up), focal lengths and principal point in
 * pixels; pixel (i, j) covers [i, i+1) x [j, j+1) with row j counted from the top.
 */
public final class Camera {

	public final int width, height;
	public final double fx, fy, cx, cy;
	/** camera-to-world, row-major 4 x 4 */
	public final double[] c2w;
	private final double[] w2c;

	public Camera(final int width, final int height, final double fx, final double fy, final double cx, final double cy, final double[] c2w) {
		this.width = width;
		this.height = height;
		this.fx = fx;
		this.fy = fy;
		this.cx = cx;
		this.cy = cy;
		this.c2w = c2w.clone();
		this.w2c = Mat.inverseRigid(c2w);
	}

	/** World-to-camera matrix (row-major 4 x 4). */
	public double[] worldToCamera() { return w2c.clone(); }

	/**
	 * Projects world points (x, y, z triples) to (column, row, depth) triples, depth being the
	 * distance along the viewing axis (positive in front of the camera).
	 */
	public double[] project(final double[] world) {
		final int n = world.length / 3;
		final double[] out = new double[3 * n];
		for (int i = 0; i < n; i++) {
			final double x = world[3 * i], y = world[3 * i + 1], z = world[3 * i + 2];
			final double xc = w2c[0] * x + w2c[1] * y + w2c[2] * z + w2c[3];
			final double yc = w2c[4] * x + w2c[5] * y + w2c[6] * z + w2c[7];
			final double zc = w2c[8] * x + w2c[9] * y + w2c[10] * z + w2c[11];
			final double d = -zc;
			out[3 * i] = cx + fx * xc / d;
			out[3 * i + 1] = cy - fy * yc / d;
			out[3 * i + 2] = d;
		}
		return out;
	}

	/** Camera centre in world coordinates. */
	public double[] centre() { return new double[] {c2w[3], c2w[7], c2w[11]}; }
}
