package org.recon4d.avatar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import de.javagl.jgltf.model.AccessorData;
import de.javagl.jgltf.model.AccessorFloatData;
import de.javagl.jgltf.model.AccessorByteData;
import de.javagl.jgltf.model.AccessorIntData;
import de.javagl.jgltf.model.AccessorModel;
import de.javagl.jgltf.model.AccessorShortData;
import de.javagl.jgltf.model.GltfModel;
import de.javagl.jgltf.model.MeshModel;
import de.javagl.jgltf.model.MeshPrimitiveModel;
import de.javagl.jgltf.model.NodeModel;
import de.javagl.jgltf.model.SkinModel;
import de.javagl.jgltf.model.io.GltfModelReader;

import org.recon4d.io.BadFileException;
import org.recon4d.io.SafeFiles;

/**
 * Rigged templates as glTF 2.0 binaries. Reading goes through jgltf-model (any accessor layout:
 * strides, normalised unsigned weights, byte/short joints); the first skinned mesh node is taken
 * and all its triangle primitives are merged. Writing produces one skinned mesh with POSITION,
 * NORMAL, optional COLOR_0 (linear RGB, the fitted albedo), JOINTS_0 and WEIGHTS_0, the joint
 * nodes (translation/rotation/scale) and the inverse bind matrices, so Blender and other glTF
 * viewers open it rigged.
 */
public final class Glb {

	private Glb() {}

	public static Rig read(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new BadFileException(file, "no such file");
		final GltfModel model;
		try {
			model = new GltfModelReader().read(file);
		} catch (final RuntimeException | IOException e) {
			throw new BadFileException(file, "not a readable glTF/GLB file: " + e.getMessage(), e);
		}
		NodeModel meshNode = null;
		for (final NodeModel n : model.getNodeModels())
			if (n.getSkinModel() != null && !n.getMeshModels().isEmpty()) { meshNode = n; break; }
		if (meshNode == null) throw new BadFileException(file, "no skinned mesh (a node with both a mesh and a skin); export the template with its armature");
		final SkinModel skin = meshNode.getSkinModel();
		final List<NodeModel> jointNodes = skin.getJoints();
		if (jointNodes.isEmpty()) throw new BadFileException(file, "the skin has no joints");
		final int nj = jointNodes.size();
		final Map<NodeModel, Integer> index = new HashMap<>();
		for (int j = 0; j < nj; j++) index.put(jointNodes.get(j), j);
		final String[] names = new String[nj];
		final int[] parent = new int[nj];
		final double[][] t = new double[nj][], r = new double[nj][], s = new double[nj][], ib = new double[nj][];
		for (int j = 0; j < nj; j++) {
			final NodeModel n = jointNodes.get(j);
			names[j] = n.getName() == null ? "joint" + j : n.getName();
			NodeModel p = n.getParent();
			while (p != null && !index.containsKey(p)) p = p.getParent();
			parent[j] = p == null ? -1 : index.get(p);
			if (n.getMatrix() != null && n.getTranslation() == null && n.getRotation() == null)
				throw new BadFileException(file, "joint " + names[j] + " uses a matrix instead of translation/rotation/scale; re-export with TRS");
			t[j] = toDouble(n.getTranslation(), new double[3]);
			r[j] = toDouble(n.getRotation(), new double[] {0, 0, 0, 1});
			s[j] = toDouble(n.getScale(), new double[] {1, 1, 1});
			if (p == null && n.getParent() != null) {
				// a root joint under non-joint nodes: fold their transform into it
				final double[] above = global(n.getParent());
				for (int a = 0; a < 3; a++)
					for (int b = 0; b < 3; b++)
						if (Math.abs(above[4 * a + b] - (a == b ? 1 : 0)) > 1e-6)
							throw new BadFileException(file, "the skeleton's root " + names[j] + " sits under a rotated or scaled node; apply that transform before export");
				t[j] = new double[] {t[j][0] + above[3], t[j][1] + above[7], t[j][2] + above[11]};
			}
			ib[j] = skin.getInverseBindMatrices() == null ? Mat.identity() : Mat.fromColumnMajor(skin.getInverseBindMatrix(j, new float[16]));
		}
		final List<float[]> pos = new ArrayList<>();
		final List<int[]> tris = new ArrayList<>(), js = new ArrayList<>();
		final List<float[]> ws = new ArrayList<>(), cols = new ArrayList<>();
		int offset = 0;
		boolean colours = true;
		for (final MeshModel mesh : meshNode.getMeshModels())
			for (final MeshPrimitiveModel prim : mesh.getMeshPrimitiveModels()) {
				if (prim.getMode() != 4) throw new BadFileException(file, "primitive mode " + prim.getMode() + " is not TRIANGLES");
				final AccessorModel p = prim.getAttributes().get("POSITION"), jo = prim.getAttributes().get("JOINTS_0"),
					we = prim.getAttributes().get("WEIGHTS_0"), co = prim.getAttributes().get("COLOR_0");
				if (p == null) throw new BadFileException(file, "a primitive has no POSITION");
				if (jo == null || we == null) throw new BadFileException(file, "a primitive has no JOINTS_0/WEIGHTS_0: the mesh is not skinned");
				final int n = p.getCount();
				if (jo.getCount() != n || we.getCount() != n) throw new BadFileException(file, "JOINTS_0/WEIGHTS_0 counts differ from POSITION's " + n);
				pos.add(floats(p, 3));
				js.add(ints(jo, 4));
				ws.add(floats(we, 4));
				colours &= co != null;
				if (co != null) cols.add(floats(co, 3));
				final int[] idx;
				if (prim.getIndices() == null) {
					idx = new int[n];
					for (int i = 0; i < n; i++) idx[i] = i;
				} else idx = ints(prim.getIndices(), 1);
				if (idx.length % 3 != 0) throw new BadFileException(file, "index count " + idx.length + " is not a multiple of 3");
				for (int i = 0; i < idx.length; i++) {
					if (idx[i] < 0 || idx[i] >= n) throw new BadFileException(file, "index " + idx[i] + " outside the primitive's " + n + " vertices");
					idx[i] += offset;
				}
				tris.add(idx);
				offset += n;
			}
		final float[] positions = concat(pos);
		final float[] weights = concat(ws);
		// renormalise weights that were quantised (unsigned byte/short)
		for (int v = 0; v < weights.length / 4; v++) {
			double sum = 0;
			for (int k = 0; k < 4; k++) sum += weights[4 * v + k];
			if (sum <= 0) throw new BadFileException(file, "vertex " + v + " has no skin weight");
			for (int k = 0; k < 4; k++) weights[4 * v + k] /= sum;
		}
		try {
			final Rig rig = new Rig(positions, concatInts(tris), concatInts(js), weights, names, parent, t, r, s, ib);
			return colours && !cols.isEmpty() ? rig.withColours(concat(cols)) : rig;
		} catch (final IllegalArgumentException e) {
			throw new BadFileException(file, e.getMessage(), e);
		}
	}

	private static double[] global(final NodeModel n) {
		final double[] local = n.getMatrix() != null && n.getTranslation() == null
			? Mat.fromColumnMajor(n.getMatrix())
			: Mat.trs(toDouble(n.getTranslation(), new double[3]), toDouble(n.getRotation(), new double[] {0, 0, 0, 1}), toDouble(n.getScale(), new double[] {1, 1, 1}));
		return n.getParent() == null ? local : Mat.mul(global(n.getParent()), local);
	}

	private static double[] toDouble(final float[] f, final double[] dflt) {
		if (f == null) return dflt;
		final double[] d = new double[f.length];
		for (int i = 0; i < f.length; i++) d[i] = f[i];
		return d;
	}

	private static float[] floats(final AccessorModel a, final int comps) {
		final int n = a.getCount(), c = Math.min(comps, a.getElementType().getNumComponents());
		final float[] out = new float[n * comps];
		final AccessorData d = a.getAccessorData();
		for (int i = 0; i < n; i++)
			for (int k = 0; k < c; k++) {
				final float v;
				if (d instanceof AccessorFloatData) v = ((AccessorFloatData) d).get(i, k);
				else if (d instanceof AccessorByteData) v = ((AccessorByteData) d).getInt(i, k) / (((AccessorByteData) d).isUnsigned() ? 255f : 127f);
				else if (d instanceof AccessorShortData) v = ((AccessorShortData) d).getInt(i, k) / (((AccessorShortData) d).isUnsigned() ? 65535f : 32767f);
				else throw new IllegalArgumentException("unsupported accessor component type " + a.getComponentType());
				out[i * comps + k] = v;
			}
		return out;
	}

	private static int[] ints(final AccessorModel a, final int comps) {
		final int n = a.getCount();
		final int[] out = new int[n * comps];
		final AccessorData d = a.getAccessorData();
		for (int i = 0; i < n; i++)
			for (int k = 0; k < comps; k++) {
				final int v;
				if (d instanceof AccessorByteData) v = ((AccessorByteData) d).getInt(i, k);
				else if (d instanceof AccessorShortData) v = ((AccessorShortData) d).getInt(i, k);
				else if (d instanceof AccessorIntData) v = (int) ((AccessorIntData) d).getLong(i, k);
				else throw new IllegalArgumentException("integer accessor expected, got component type " + a.getComponentType());
				out[i * comps + k] = v;
			}
		return out;
	}

	private static float[] concat(final List<float[]> parts) {
		final float[] out = new float[parts.stream().mapToInt(p -> p.length).sum()];
		int o = 0;
		for (final float[] p : parts) { System.arraycopy(p, 0, out, o, p.length); o += p.length; }
		return out;
	}

	private static int[] concatInts(final List<int[]> parts) {
		final int[] out = new int[parts.stream().mapToInt(p -> p.length).sum()];
		int o = 0;
		for (final int[] p : parts) { System.arraycopy(p, 0, out, o, p.length); o += p.length; }
		return out;
	}

	/** Writes the rig (its rest positions, colours if any) as a GLB; refuses to replace a file unless {@code overwrite}. */
	public static void write(final Rig rig, final Path file, final boolean overwrite) throws IOException {
		final ObjectMapper json = new ObjectMapper();
		final ObjectNode root = json.createObjectNode();
		root.putObject("asset").put("version", "2.0").put("generator", "Recon4D");
		final ByteArrayOutputStream bin = new ByteArrayOutputStream();
		final ArrayNode views = root.putArray("bufferViews"), accessors = root.putArray("accessors");
		final int nv = rig.vertexCount(), nj = rig.jointCount();
		final float[] normals = Geometry.vertexNormals(toDouble(rig.positions), rig.triangles);
		final ObjectNode attrs = json.createObjectNode();
		attrs.put("POSITION", accessor(json, bin, views, accessors, floatBytes(rig.positions), 5126, nv, "VEC3", 34962, rig.positions));
		attrs.put("NORMAL", accessor(json, bin, views, accessors, floatBytes(normals), 5126, nv, "VEC3", 34962, null));
		if (rig.colours != null) attrs.put("COLOR_0", accessor(json, bin, views, accessors, floatBytes(rig.colours), 5126, nv, "VEC3", 34962, null));
		final ByteBuffer jb = ByteBuffer.allocate(8 * nv).order(ByteOrder.LITTLE_ENDIAN);
		for (final int j : rig.joints) jb.putShort((short) j);
		attrs.put("JOINTS_0", accessor(json, bin, views, accessors, jb.array(), 5123, nv, "VEC4", 34962, null));
		attrs.put("WEIGHTS_0", accessor(json, bin, views, accessors, floatBytes(rig.weights), 5126, nv, "VEC4", 34962, null));
		final ByteBuffer ibuf = ByteBuffer.allocate(4 * rig.triangles.length).order(ByteOrder.LITTLE_ENDIAN);
		for (final int i : rig.triangles) ibuf.putInt(i);
		final int indices = accessor(json, bin, views, accessors, ibuf.array(), 5125, rig.triangles.length, "SCALAR", 34963, null);
		final float[] ibm = new float[16 * nj];
		for (int j = 0; j < nj; j++) System.arraycopy(Mat.toColumnMajor(rig.inverseBind[j]), 0, ibm, 16 * j, 16);
		final int ibmAcc = accessor(json, bin, views, accessors, floatBytes(ibm), 5126, nj, "MAT4", 0, null);
		final ObjectNode prim = json.createObjectNode();
		prim.set("attributes", attrs);
		prim.put("indices", indices);
		prim.put("mode", 4);
		final ObjectNode mesh = root.putArray("meshes").addObject().put("name", "avatar");
		mesh.putArray("primitives").add(prim);
		final ArrayNode nodes = root.putArray("nodes");
		nodes.addObject().put("name", "avatar").put("mesh", 0).put("skin", 0);
		final ArrayNode sceneNodes = json.createArrayNode().add(0);
		for (int j = 0; j < nj; j++) {
			final ObjectNode n = nodes.addObject().put("name", rig.names[j]);
			putVector(n.putArray("translation"), rig.translation[j]);
			putVector(n.putArray("rotation"), rig.rotation[j]);
			putVector(n.putArray("scale"), rig.scale[j]);
			final ArrayNode kids = json.createArrayNode();
			for (int k = 0; k < nj; k++) if (rig.parent[k] == j) kids.add(k + 1);
			if (kids.size() > 0) n.set("children", kids);
			if (rig.parent[j] < 0) sceneNodes.add(j + 1);
		}
		final ObjectNode skin = root.putArray("skins").addObject().put("inverseBindMatrices", ibmAcc);
		final ArrayNode sj = skin.putArray("joints");
		for (int j = 0; j < nj; j++) sj.add(j + 1);
		root.put("scene", 0);
		root.putArray("scenes").addObject().set("nodes", sceneNodes);
		root.putArray("buffers").addObject().put("byteLength", bin.size());
		byte[] js = json.writeValueAsBytes(root);
		final int jsPad = (4 - js.length % 4) % 4;
		final byte[] body = bin.toByteArray();
		final ByteBuffer out = ByteBuffer.allocate(12 + 8 + js.length + jsPad + 8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
		out.putInt(0x46546C67).putInt(2).putInt(out.capacity());
		out.putInt(js.length + jsPad).putInt(0x4E4F534A).put(js);
		for (int i = 0; i < jsPad; i++) out.put((byte) ' ');
		out.putInt(body.length).putInt(0x004E4942).put(body);
		SafeFiles.write(file, overwrite, target -> Files.write(target, out.array()));
	}

	private static void putVector(final ArrayNode a, final double[] v) {
		for (final double x : v) a.add(x);
	}

	private static double[] toDouble(final float[] f) {
		final double[] d = new double[f.length];
		for (int i = 0; i < f.length; i++) d[i] = f[i];
		return d;
	}

	private static byte[] floatBytes(final float[] f) {
		final ByteBuffer b = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
		for (final float x : f) b.putFloat(x);
		return b.array();
	}

	private static int accessor(final ObjectMapper json, final ByteArrayOutputStream bin, final ArrayNode views, final ArrayNode accessors,
		final byte[] data, final int componentType, final int count, final String type, final int target, final float[] minMaxOf)
	{
		while (bin.size() % 4 != 0) bin.write(0);
		final ObjectNode v = views.addObject().put("buffer", 0).put("byteOffset", bin.size()).put("byteLength", data.length);
		if (target != 0) v.put("target", target);
		bin.write(data, 0, data.length);
		final ObjectNode a = accessors.addObject().put("bufferView", views.size() - 1).put("componentType", componentType)
			.put("count", count).put("type", type);
		if (minMaxOf != null) {
			final double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE}, hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
			for (int i = 0; i < minMaxOf.length; i++) { lo[i % 3] = Math.min(lo[i % 3], minMaxOf[i]); hi[i % 3] = Math.max(hi[i % 3], minMaxOf[i]); }
			final ArrayNode mn = a.putArray("min"), mx = a.putArray("max");
			for (int k = 0; k < 3; k++) { mn.add((float) lo[k]); mx.add((float) hi[k]); }
		}
		return accessors.size() - 1;
	}
}
