package org.recon4d.avatar;

/**
 * Forward rendering in plain Java (no autograd): the same visibility, perspective-correct
 * interpolation and spherical-harmonic Lambertian shading as {@link DiffRender}, for previews,
 * turntables and evaluation. Outputs are linear RGB, albedo and unit normals per pixel, with a
 * coverage mask.
 */
public final class Renderer {

	private Renderer() {}

	public static final class Image {
		public final int width, height;
		public final float[] rgb, albedo, normal;
		public final boolean[] mask;

		Image(final int width, final int height) {
			this.width = width;
			this.height = height;
			rgb = new float[3 * width * height];
			albedo = new float[3 * width * height];
			normal = new float[3 * width * height];
			mask = new boolean[width * height];
		}
	}

	/** Renders the rig in a pose from a camera with per-vertex colours and SH light (9 x 3, row-major). */
	public static Image render(final Rig rig, final Pose pose, final Camera cam, final float[] light) {
		return render(rig, pose, cam, light, 0);
	}

	/**
	 * As {@link #render(Rig, Pose, Camera, float[])}, with self-shadowing from {@code rays}
	 * visibility rays per vertex ({@link Transfer}; 0 = no shadows).
	 */
	public static Image render(final Rig rig, final Pose pose, final Camera cam, final float[] light, final int rays) {
		final double[] posed = Skinning.pose(rig, pose);
		final float[] vn = Geometry.vertexNormals(posed, rig.triangles);
		return render(rig, posed, vn, rays > 0 ? Transfer.compute(posed, rig.triangles, vn, rays) : null, cam, light);
	}

	/** Renders given posed positions, vertex normals and (optional, V x 9) transfer coefficients. */
	public static Image render(final Rig rig, final double[] posed, final float[] vn, final float[] transfer, final Camera cam, final float[] light) {
		final double[] proj = cam.project(posed);
		final Raster.View v = Raster.render(cam.width, cam.height, proj, rig.triangles, 0, 0);
		final Image out = new Image(cam.width, cam.height);
		final int[] tri = rig.triangles;
		for (int i = 0; i < v.triangle.length; i++) {
			final int t = v.triangle[i];
			if (t < 0) continue;
			out.mask[i] = true;
			final int a = tri[3 * t], b = tri[3 * t + 1], c = tri[3 * t + 2];
			final double px = i % cam.width + 0.5, py = i / cam.width + 0.5;
			final double ax = proj[3 * a], ay = proj[3 * a + 1], bx = proj[3 * b], by = proj[3 * b + 1], cx = proj[3 * c], cy = proj[3 * c + 1];
			final double area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
			final double w0 = ((bx - px) * (cy - py) - (by - py) * (cx - px)) / area;
			final double w1 = ((cx - px) * (ay - py) - (cy - py) * (ax - px)) / area;
			final double w2 = 1 - w0 - w1;
			double q0 = w0 / proj[3 * a + 2], q1 = w1 / proj[3 * b + 2], q2 = w2 / proj[3 * c + 2];
			final double s = q0 + q1 + q2;
			q0 /= s; q1 /= s; q2 /= s;
			final double[] n = new double[3];
			for (int k = 0; k < 3; k++) n[k] = q0 * vn[3 * a + k] + q1 * vn[3 * b + k] + q2 * vn[3 * c + k];
			final double len = Math.sqrt(Geometry.dot(n, n));
			for (int k = 0; k < 3; k++) n[k] /= len;
			final double[] y;
			if (transfer == null) y = sh(n);
			else {
				y = new double[9];
				for (int q = 0; q < 9; q++) y[q] = q0 * transfer[9 * a + q] + q1 * transfer[9 * b + q] + q2 * transfer[9 * c + q];
			}
			for (int k = 0; k < 3; k++) {
				final double alb = rig.colours == null ? 0.5 : q0 * rig.colours[3 * a + k] + q1 * rig.colours[3 * b + k] + q2 * rig.colours[3 * c + k];
				double e = 0;
				for (int q = 0; q < 9; q++) e += y[q] * light[3 * q + k];
				out.albedo[3 * i + k] = (float) alb;
				out.rgb[3 * i + k] = (float) (alb * e);
				out.normal[3 * i + k] = (float) n[k];
			}
		}
		return out;
	}

	static double[] sh(final double[] n) {
		final double x = n[0], y = n[1], z = n[2];
		return new double[] {0.282095, 0.488603 * y, 0.488603 * z, 0.488603 * x, 1.092548 * x * y, 1.092548 * y * z,
			0.315392 * (3 * z * z - 1), 1.092548 * x * z, 0.546274 * (x * x - y * y)};
	}

	/** The SH light as a lat-long environment (irradiance), width x width/2, linear RGB interleaved. */
	public static float[] environment(final float[] light, final int width) {
		final int h = width / 2;
		final float[] out = new float[3 * width * h];
		for (int r = 0; r < h; r++)
			for (int c = 0; c < width; c++) {
				final double theta = Math.PI * (r + 0.5) / h, phi = 2 * Math.PI * (c + 0.5) / width;
				final double[] n = {Math.sin(theta) * Math.sin(phi), Math.cos(theta), Math.sin(theta) * Math.cos(phi)};
				final double[] y = sh(n);
				for (int k = 0; k < 3; k++) {
					double e = 0;
					for (int q = 0; q < 9; q++) e += y[q] * light[3 * q + k];
					out[3 * (r * width + c) + k] = (float) e;
				}
			}
		return out;
	}
}
