"""Render a synthetic rigged humanoid with Blender (Cycles, CPU) as ground truth for Recon4D's
avatar module.

    blender -b --factory-startup --python scripts/avatar_blender.py -- OUT [size=128] [samples=64]
        [cameras=10] [seed=3]

Writes into OUT:
  template.glb     the rigged template at rest (glTF 2.0: Y up, metres; one skin, 17 joints,
                   JOINTS_0/WEIGHTS_0, no colours), written by this script so the rest pose
                   has identity joint rotations and the inverse bind matrices are translations
  poses.json       joint rotations per pose (glTF node-local quaternions [x, y, z, w])
  transforms.json  Nerfstudio/Instant-NGP cameras (camera-to-world, OpenGL axes, same world
                   frame as the GLB), one frame per (pose, camera) with its pose index and split
  rgb/ mask/ albedo/ normal/   8-bit PNGs per frame: RGB (sRGB), mask (alpha), albedo (sRGB,
                   Cycles' diffuse-colour pass), normal ((n + 1) / 2, world frame of the GLB)
  posed/poseK.npy  Blender's posed vertices (armature modifier), float32 V x 3, GLB frame
  albedo_vertex.npy  the true per-vertex albedo (linear RGB), float32 V x 3

Blender deforms the mesh with its own armature modifier: the pose bones are set so that each
bone's skinning matrix equals the one implied by poses.json, and Recon4D's tests compare their
own linear blend skinning against the posed vertices Blender wrote.
"""
import json
import math
import os
import struct
import sys
import zlib

import bpy
import mathutils
import numpy as np

# ----------------------------------------------------------------------------------- arguments
argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
if not argv:
    raise SystemExit("usage: blender -b --python avatar_blender.py -- OUT [size=128] [samples=64]")
OUT = os.path.abspath(argv[0])
opts = dict(a.split("=", 1) for a in argv[1:])
SIZE = int(opts.get("size", 128))
SAMPLES = int(opts.get("samples", 64))
N_CAMERAS = int(opts.get("cameras", 10))
SEED = int(opts.get("seed", 3))
HELD_OUT_CAMERAS = {3, 8}  # novel views
HELD_OUT_POSE = 3          # novel pose

# glTF frame (Y up) -> Blender frame (Z up): (x, y, z) -> (x, -z, y)
C = np.array([[1, 0, 0], [0, 0, -1], [0, 1, 0]], dtype=np.float64)
C4 = np.eye(4)
C4[:3, :3] = C

# ------------------------------------------------------------------------------------ skeleton
# name, parent, head position (glTF frame, metres); arms in an A pose
JOINTS = [
    ("pelvis", None, (0.0, 0.95, 0.0)),
    ("spine", "pelvis", (0.0, 1.12, 0.0)),
    ("chest", "spine", (0.0, 1.30, 0.0)),
    ("neck", "chest", (0.0, 1.50, 0.0)),
    ("head", "neck", (0.0, 1.60, 0.02)),
    ("upperarm_L", "chest", (0.19, 1.44, 0.0)),
    ("forearm_L", "upperarm_L", (0.385, 1.245, 0.0)),
    ("hand_L", "forearm_L", (0.565, 1.065, 0.0)),
    ("upperarm_R", "chest", (-0.19, 1.44, 0.0)),
    ("forearm_R", "upperarm_R", (-0.385, 1.245, 0.0)),
    ("hand_R", "forearm_R", (-0.565, 1.065, 0.0)),
    ("thigh_L", "pelvis", (0.10, 0.90, 0.0)),
    ("shin_L", "thigh_L", (0.11, 0.50, 0.0)),
    ("foot_L", "shin_L", (0.11, 0.09, 0.0)),
    ("thigh_R", "pelvis", (-0.10, 0.90, 0.0)),
    ("shin_R", "thigh_R", (-0.11, 0.50, 0.0)),
    ("foot_R", "shin_R", (-0.11, 0.09, 0.0)),
]
TAILS = {"head": (0.0, 1.80, 0.02), "hand_L": (0.65, 0.98, 0.0), "hand_R": (-0.65, 0.98, 0.0),
         "foot_L": (0.11, 0.03, 0.14), "foot_R": (-0.11, 0.03, 0.14), "pelvis": (0.0, 1.12, 0.0)}
NAMES = [j[0] for j in JOINTS]
PARENT = [None if j[1] is None else NAMES.index(j[1]) for j in JOINTS]
HEAD = np.array([j[2] for j in JOINTS], dtype=np.float64)


def tail(i):
    name = NAMES[i]
    if name in TAILS:
        return np.array(TAILS[name])
    kids = [k for k in range(len(NAMES)) if PARENT[k] == i]
    return HEAD[kids[0]]


# body pieces (metaball elements): joint, radius (m), kind
PIECES = {"pelvis": (0.13, "ELLIPSOID"), "spine": (0.12, "CAPSULE"), "chest": (0.14, "ELLIPSOID"),
          "neck": (0.05, "CAPSULE"), "head": (0.095, "ELLIPSOID"),
          "upperarm_L": (0.05, "CAPSULE"), "forearm_L": (0.042, "CAPSULE"),
          "hand_L": (0.04, "CAPSULE"), "upperarm_R": (0.05, "CAPSULE"),
          "forearm_R": (0.042, "CAPSULE"), "hand_R": (0.04, "CAPSULE"),
          "thigh_L": (0.075, "CAPSULE"), "shin_L": (0.055, "CAPSULE"), "foot_L": (0.045, "CAPSULE"),
          "thigh_R": (0.075, "CAPSULE"), "shin_R": (0.055, "CAPSULE"), "foot_R": (0.045, "CAPSULE")}


def quat(axis, degrees):
    a = np.asarray(axis, dtype=np.float64)
    a = a / np.linalg.norm(a)
    h = math.radians(degrees) / 2
    return [*(a * math.sin(h)), math.cos(h)]  # glTF order x, y, z, w


def quat_matrix(q):
    x, y, z, w = q
    return np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
                     [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
                     [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)]])


POSES = [
    {"name": "rest", "rotations": {}},
    {"name": "wave", "rotations": {"upperarm_L": quat((0, 0, 1), 70), "forearm_L": quat((0, 0, 1), 40),
                                   "forearm_R": quat((1, 0, 0), -60), "thigh_L": quat((1, 0, 0), -30),
                                   "shin_L": quat((1, 0, 0), 45), "head": quat((0, 1, 0), 30)}},
    {"name": "walk", "rotations": {"thigh_L": quat((1, 0, 0), -25), "thigh_R": quat((1, 0, 0), 20),
                                   "shin_R": quat((1, 0, 0), 35), "upperarm_L": quat((1, 0, 0), 25),
                                   "upperarm_R": quat((1, 0, 0), -25), "spine": quat((0, 1, 0), 15)}},
    {"name": "reach", "rotations": {"thigh_R": quat((1, 0, 0), -35), "shin_R": quat((1, 0, 0), 40),
                                    "upperarm_R": quat((0, 0, 1), -55), "forearm_L": quat((1, 0, 0), -70),
                                    "chest": quat((0, 1, 0), -20), "head": quat((1, 0, 0), 15)}},
]


def skinning_matrices(rotations):
    """S_j = M_j(pose) M_j(rest)^-1 with M_j = M_parent T(head_j - head_parent) R_j (glTF frame)."""
    world = []
    for i in range(len(NAMES)):
        local = np.eye(4)
        local[:3, 3] = HEAD[i] - (HEAD[PARENT[i]] if PARENT[i] is not None else 0)
        if NAMES[i] in rotations:
            local[:3, :3] = quat_matrix(rotations[NAMES[i]])
        world.append(local if PARENT[i] is None else world[PARENT[i]] @ local)
    out = []
    for i in range(len(NAMES)):
        inv_bind = np.eye(4)
        inv_bind[:3, 3] = -HEAD[i]
        out.append(world[i] @ inv_bind)
    return out


# --------------------------------------------------------------------------------------- scene
bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene


def to_blender(p):
    return C @ np.asarray(p, dtype=np.float64)


mball = bpy.data.metaballs.new("body")
mball.resolution = 0.022
mball.threshold = 0.6
for name, (radius, kind) in PIECES.items():
    i = NAMES.index(name)
    a, b = HEAD[i], tail(i)
    if name == "pelvis":
        a, b = HEAD[i] + np.array([0, -0.04, 0]), HEAD[i] + np.array([0, 0.06, 0])
    el = mball.elements.new()
    el.type = kind
    mid = to_blender((a + b) / 2)
    el.co = mid
    d = to_blender(b - a)
    length = np.linalg.norm(d)
    # rotate the element's x axis onto the segment
    x = np.array([1.0, 0, 0])
    u = d / length
    axis = np.cross(x, u)
    s = np.linalg.norm(axis)
    angle = math.atan2(s, x @ u)
    if s > 1e-9:
        axis /= s
        el.rotation = (math.cos(angle / 2), *(axis * math.sin(angle / 2)))
    radius *= 1.25
    el.radius = radius * 1.6
    if kind == "CAPSULE":
        el.size_x = length / 2
    else:
        el.size_x, el.size_y, el.size_z = length / 2 + radius * 0.6, radius * 1.3, radius
        if name == "head":
            el.size_x, el.size_y, el.size_z = radius * 1.05, radius * 0.9, radius * 0.95
        if name == "chest":
            el.size_x, el.size_y, el.size_z = length / 2 + 0.02, 0.17, 0.09
        if name == "pelvis":
            el.size_x, el.size_y, el.size_z = 0.08, 0.15, 0.09
    el.stiffness = 2.0
mobj = bpy.data.objects.new("body", mball)
scene.collection.objects.link(mobj)
bpy.context.view_layer.objects.active = mobj
mobj.select_set(True)
bpy.context.view_layer.update()
bpy.ops.object.convert(target="MESH")
body = bpy.context.view_layer.objects.active
dec = body.modifiers.new("dec", "DECIMATE")
dec.ratio = 1.0
n_faces = len(body.data.polygons)
dec.ratio = min(1.0, 3000 / max(1, n_faces))
bpy.ops.object.modifier_apply(modifier="dec")
tri = body.modifiers.new("tri", "TRIANGULATE")
bpy.ops.object.modifier_apply(modifier="tri")
for p in body.data.polygons:
    p.use_smooth = True
mesh = body.data
V = np.array([v.co[:] for v in mesh.vertices], dtype=np.float64)           # Blender frame
F = np.array([p.vertices[:] for p in mesh.polygons], dtype=np.int64)
Vg = V @ C  # glTF frame (C is orthogonal: C^T maps Blender -> glTF; row vectors: v C)


# ------------------------------------------------------------------------------ skin weights
def seg_dist(p, a, b):
    ab = b - a
    t = np.clip(((p - a) @ ab) / (ab @ ab), 0, 1)
    return np.linalg.norm(p - (a + t[:, None] * ab), axis=1)


D = np.stack([seg_dist(Vg, HEAD[i] if NAMES[i] != "pelvis" else HEAD[i] + [0, -0.05, 0], tail(i))
              for i in range(len(NAMES))], axis=1)
W = 1.0 / (D + 0.01) ** 6
order = np.argsort(-W, axis=1)[:, :4]
J4 = order.astype(np.int64)
W4 = np.take_along_axis(W, order, axis=1)
W4 = W4 / W4.sum(axis=1, keepdims=True)
W4[W4 < 0.01] = 0
W4 = (W4 / W4.sum(axis=1, keepdims=True)).astype(np.float32)
W4 = W4 / W4.sum(axis=1, keepdims=True, dtype=np.float64).astype(np.float32)

# ---------------------------------------------------------------------------------- albedo
rng = np.random.default_rng(SEED)
dom = J4[:, 0]
skin = np.array([0.62, 0.42, 0.32])
shirt = np.array([0.10, 0.35, 0.60])
stripe = np.array([0.85, 0.80, 0.20])
pants = np.array([0.25, 0.20, 0.15])
shoe = np.array([0.08, 0.08, 0.08])
A = np.zeros_like(Vg)
for k in range(len(Vg)):
    n = NAMES[dom[k]]
    y = Vg[k, 1]
    if n in ("head", "neck", "hand_L", "hand_R", "forearm_L", "forearm_R"):
        c = skin
    elif n in ("foot_L", "foot_R"):
        c = shoe
    elif n in ("thigh_L", "thigh_R", "shin_L", "shin_R") or y < 0.98:
        c = pants
    else:
        c = stripe if math.sin(y * 2 * math.pi / 0.12) > 0.3 else shirt
    A[k] = c
A = A.astype(np.float32)

col = mesh.color_attributes.new("albedo", "FLOAT_COLOR", "POINT")
for k in range(len(Vg)):
    col.data[k].color = (*A[k], 1.0)

mat = bpy.data.materials.new("skin")
mat.use_nodes = True
nt = mat.node_tree
nt.nodes.clear()
attr = nt.nodes.new("ShaderNodeVertexColor")
attr.layer_name = "albedo"
diff = nt.nodes.new("ShaderNodeBsdfDiffuse")
diff.inputs["Roughness"].default_value = 0.0
outm = nt.nodes.new("ShaderNodeOutputMaterial")
nt.links.new(attr.outputs["Color"], diff.inputs["Color"])
nt.links.new(diff.outputs["BSDF"], outm.inputs["Surface"])
mesh.materials.append(mat)

# --------------------------------------------------------------------------------- armature
arm_data = bpy.data.armatures.new("rig")
rig = bpy.data.objects.new("rig", arm_data)
scene.collection.objects.link(rig)
bpy.context.view_layer.objects.active = rig
bpy.ops.object.mode_set(mode="EDIT")
for i, name in enumerate(NAMES):
    eb = arm_data.edit_bones.new(name)
    eb.head = to_blender(HEAD[i])
    eb.tail = to_blender(tail(i))
    if name == "pelvis":
        eb.tail = to_blender(HEAD[i] + [0, 0.1, 0])
    if PARENT[i] is not None:
        eb.parent = arm_data.edit_bones[NAMES[PARENT[i]]]
bpy.ops.object.mode_set(mode="OBJECT")
for name in NAMES:
    body.vertex_groups.new(name=name)
for k in range(len(Vg)):
    for s in range(4):
        if W4[k, s] > 0:
            body.vertex_groups[NAMES[J4[k, s]]].add([k], float(W4[k, s]), "REPLACE")
mod = body.modifiers.new("rig", "ARMATURE")
mod.object = rig
mod.use_vertex_groups = True
mod.use_bone_envelopes = False
mod.use_deform_preserve_volume = False


def set_pose(rotations):
    S = skinning_matrices(rotations)
    bpy.context.view_layer.objects.active = rig
    bpy.ops.object.mode_set(mode="POSE")
    for i, name in enumerate(NAMES):  # parents before children
        pb = rig.pose.bones[name]
        Sb = C4 @ S[i] @ C4.T
        pb.matrix = mathutils.Matrix((Sb @ np.array(arm_data.bones[name].matrix_local)).tolist())
        bpy.context.view_layer.update()
    bpy.ops.object.mode_set(mode="OBJECT")


# --------------------------------------------------------------------------------- lighting
world = bpy.data.worlds.new("env")
scene.world = world
world.use_nodes = True
wt = world.node_tree
wt.nodes.clear()
tc = wt.nodes.new("ShaderNodeTexCoord")
sep = wt.nodes.new("ShaderNodeSeparateXYZ")
wt.links.new(tc.outputs["Generated"], sep.inputs["Vector"])
# radiance = 0.9 + 0.45 z + 0.25 x (Blender frame): smooth sky, brighter above and to +x
mz = wt.nodes.new("ShaderNodeMath"); mz.operation = "MULTIPLY_ADD"
mz.inputs[1].default_value = 0.45; mz.inputs[2].default_value = 0.9
wt.links.new(sep.outputs["Z"], mz.inputs[0])
mx = wt.nodes.new("ShaderNodeMath"); mx.operation = "MULTIPLY_ADD"
mx.inputs[1].default_value = 0.25
wt.links.new(sep.outputs["X"], mx.inputs[0]); wt.links.new(mz.outputs[0], mx.inputs[2])
tint = wt.nodes.new("ShaderNodeMixRGB"); tint.blend_type = "MULTIPLY"; tint.inputs[0].default_value = 1
tint.inputs[2].default_value = (1.0, 0.95, 0.88, 1)
wt.links.new(mx.outputs[0], tint.inputs[1])
bg = wt.nodes.new("ShaderNodeBackground")
wt.links.new(tint.outputs[0], bg.inputs["Color"])
wo = wt.nodes.new("ShaderNodeOutputWorld")
wt.links.new(bg.outputs[0], wo.inputs["Surface"])

# ----------------------------------------------------------------------------------- render
scene.render.engine = "CYCLES"
scene.cycles.device = "CPU"
scene.cycles.samples = SAMPLES
scene.cycles.use_denoising = False
scene.cycles.max_bounces = 0
scene.cycles.seed = SEED
scene.render.resolution_x = scene.render.resolution_y = SIZE
scene.render.resolution_percentage = 100
scene.render.film_transparent = True
scene.cycles.filter_type = "BOX"
scene.cycles.filter_width = 1.0
scene.view_settings.view_transform = "Standard"
scene.view_settings.look = "None"
scene.view_settings.exposure = 0
scene.view_settings.gamma = 1
vl = scene.view_layers[0]
vl.use_pass_diffuse_color = True
vl.use_pass_normal = True
scene.use_nodes = True
ct = scene.node_tree
ct.nodes.clear()
rl = ct.nodes.new("CompositorNodeRLayers")
fo = ct.nodes.new("CompositorNodeOutputFile")
TMP = os.path.join(OUT, "_exr")
fo.base_path = TMP
fo.format.file_format = "OPEN_EXR"
fo.format.color_depth = "32"
fo.file_slots.clear()
for slot, sock in (("rgb", "Image"), ("albedo", "DiffCol"), ("normal", "Normal"), ("alpha", "Alpha")):
    fo.file_slots.new(slot)
    ct.links.new(rl.outputs[sock], fo.inputs[slot])

cam_data = bpy.data.cameras.new("cam")
cam_data.sensor_fit = "HORIZONTAL"
cam_data.sensor_width = 36.0
cam_data.lens = 50.0
cam = bpy.data.objects.new("cam", cam_data)
scene.collection.objects.link(cam)
scene.camera = cam
target = np.array([0.0, 0.92, 0.0])  # glTF frame


def look_at(eye):
    """camera-to-world (glTF frame, OpenGL camera axes: looks down -z, y up)."""
    f = target - eye
    f /= np.linalg.norm(f)
    r = np.cross(f, [0, 1, 0]); r /= np.linalg.norm(r)
    u = np.cross(r, f)
    m = np.eye(4)
    m[:3, 0], m[:3, 1], m[:3, 2], m[:3, 3] = r, u, -f, eye
    return m


cams = []
for c in range(N_CAMERAS):
    az = 2 * math.pi * c / N_CAMERAS + 0.3
    el = math.radians([5, 25, -5, 15, 35][c % 5])
    dist = 2.9
    eye = target + dist * np.array([math.sin(az) * math.cos(el), math.sin(el), math.cos(az) * math.cos(el)])
    cams.append(look_at(eye))
fl = cam_data.lens / cam_data.sensor_width * SIZE


def read_exr(path):
    img = bpy.data.images.load(path)
    px = np.array(img.pixels[:], dtype=np.float32).reshape(SIZE, SIZE, img.channels)[::-1]
    bpy.data.images.remove(img)
    return px


def srgb(x):
    x = np.clip(x, 0, 1)
    return np.where(x <= 0.0031308, 12.92 * x, 1.055 * np.power(x, 1 / 2.4) - 0.055)


def write_png(path, arr):
    """8-bit PNG (grey or RGB) without any colour management."""
    a = np.clip(np.round(arr * 255), 0, 255).astype(np.uint8)
    h, w = a.shape[:2]
    ch = 1 if a.ndim == 2 else a.shape[2]
    raw = b"".join(b"\x00" + a[y].tobytes() for y in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    ctype = {1: 0, 3: 2}[ch]
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, ctype, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


for d in ("rgb", "mask", "albedo", "normal", "posed"):
    os.makedirs(os.path.join(OUT, d), exist_ok=True)

frames = []
for p, pose in enumerate(POSES):
    set_pose(pose["rotations"])
    dg = bpy.context.evaluated_depsgraph_get()
    ev = body.evaluated_get(dg)
    posed = np.array([v.co[:] for v in ev.data.vertices], dtype=np.float64) @ C
    np.save(os.path.join(OUT, "posed", "pose%d.npy" % p), posed.astype(np.float32))
    for c, c2w in enumerate(cams):
        cam.matrix_world = mathutils.Matrix((C4 @ c2w).tolist())
        scene.render.filepath = os.path.join(TMP, "ignored")
        bpy.ops.render.render(write_still=False)
        frame = scene.frame_current
        rgb = read_exr(os.path.join(TMP, "rgb%04d.exr" % frame))
        alb = read_exr(os.path.join(TMP, "albedo%04d.exr" % frame))
        nrm = read_exr(os.path.join(TMP, "normal%04d.exr" % frame))
        alpha = read_exr(os.path.join(TMP, "alpha%04d.exr" % frame))[..., 0]
        tag = "p%d_c%02d.png" % (p, c)
        safe = np.maximum(alpha, 1e-6)[..., None]
        write_png(os.path.join(OUT, "rgb", tag), srgb(rgb[..., :3] / safe) * (alpha[..., None] > 0))
        write_png(os.path.join(OUT, "mask", tag), alpha)
        write_png(os.path.join(OUT, "albedo", tag), srgb(alb[..., :3] / safe) * (alpha[..., None] > 0))
        n = nrm[..., :3] @ C  # Blender frame -> glTF frame (row vectors)
        n /= np.maximum(np.linalg.norm(n, axis=2, keepdims=True), 1e-6)
        write_png(os.path.join(OUT, "normal", tag), (n + 1) / 2 * (alpha[..., None] > 0.5))
        split = "novel-pose" if p == HELD_OUT_POSE else ("novel-view" if c in HELD_OUT_CAMERAS else "train")
        frames.append({"file_path": "rgb/" + tag, "mask_path": "mask/" + tag,
                       "albedo_path": "albedo/" + tag, "normal_path": "normal/" + tag,
                       "transform_matrix": c2w.tolist(), "pose": p, "camera": c, "split": split})
        print("rendered", tag, flush=True)

with open(os.path.join(OUT, "transforms.json"), "w") as f:
    json.dump({"camera_model": "OPENCV", "fl_x": fl, "fl_y": fl, "cx": SIZE / 2, "cy": SIZE / 2,
               "w": SIZE, "h": SIZE, "k1": 0, "k2": 0, "p1": 0, "p2": 0,
               "generator": "scripts/avatar_blender.py size=%d samples=%d cameras=%d seed=%d"
                            % (SIZE, SAMPLES, N_CAMERAS, SEED),
               "frames": frames}, f, indent=1)
with open(os.path.join(OUT, "poses.json"), "w") as f:
    json.dump({"format": "recon4d-poses/1", "rotation": "glTF node-local quaternion [x, y, z, w]",
               "joints": NAMES, "poses": POSES}, f, indent=1)
np.save(os.path.join(OUT, "albedo_vertex.npy"), A)

# ------------------------------------------------------------------------------ template.glb
pos = Vg.astype(np.float32)
idx = F.astype(np.uint32)
joints = J4.astype(np.uint16)
weights = W4.astype(np.float32)
ibm = np.stack([np.eye(4) for _ in NAMES])
for i in range(len(NAMES)):
    ibm[i, :3, 3] = -HEAD[i]
ibm = np.ascontiguousarray(ibm.transpose(0, 2, 1)).astype(np.float32)  # column-major
blobs, views, accessors = [], [], []


def add(arr, ctype, kind, target=None, minmax=False):
    off = sum(len(b) for b in blobs)
    data = arr.tobytes()
    blobs.append(data + b"\x00" * ((4 - len(data) % 4) % 4))
    v = {"buffer": 0, "byteOffset": off, "byteLength": len(data)}
    if target:
        v["target"] = target
    views.append(v)
    acc = {"bufferView": len(views) - 1, "componentType": ctype, "count": int(arr.shape[0]), "type": kind}
    if minmax:
        acc["min"] = arr.min(axis=0).tolist(); acc["max"] = arr.max(axis=0).tolist()
    accessors.append(acc)
    return len(accessors) - 1


a_pos = add(pos, 5126, "VEC3", 34962, True)
a_j = add(joints, 5123, "VEC4", 34962)
a_w = add(weights, 5126, "VEC4", 34962)
a_idx = add(idx.reshape(-1, 1), 5125, "SCALAR", 34963)
a_ibm = add(ibm.reshape(len(NAMES), 16), 5126, "MAT4")
nodes = [{"name": "body", "mesh": 0, "skin": 0}]
for i, name in enumerate(NAMES):
    t = HEAD[i] - (HEAD[PARENT[i]] if PARENT[i] is not None else 0)
    node = {"name": name, "translation": t.tolist()}
    kids = [1 + k for k in range(len(NAMES)) if PARENT[k] == i]
    if kids:
        node["children"] = kids
    nodes.append(node)
gltf = {"asset": {"version": "2.0", "generator": "Recon4D scripts/avatar_blender.py"},
        "scene": 0, "scenes": [{"nodes": [0, 1]}], "nodes": nodes,
        "meshes": [{"name": "body", "primitives": [{"attributes": {"POSITION": a_pos, "JOINTS_0": a_j,
                                                                   "WEIGHTS_0": a_w}, "indices": a_idx}]}],
        "skins": [{"joints": list(range(1, 1 + len(NAMES))), "inverseBindMatrices": a_ibm, "skeleton": 1}],
        "accessors": accessors, "bufferViews": views,
        "buffers": [{"byteLength": sum(len(b) for b in blobs)}]}
js = json.dumps(gltf).encode()
js += b" " * ((4 - len(js) % 4) % 4)
binary = b"".join(blobs)
with open(os.path.join(OUT, "template.glb"), "wb") as f:
    f.write(struct.pack("<III", 0x46546C67, 2, 12 + 8 + len(js) + 8 + len(binary)))
    f.write(struct.pack("<II", len(js), 0x4E4F534A) + js)
    f.write(struct.pack("<II", len(binary), 0x004E4942) + binary)
for name in os.listdir(TMP):
    os.remove(os.path.join(TMP, name))
os.rmdir(TMP)
print("wrote", OUT, "vertices", len(Vg), "triangles", len(F), flush=True)
