#!/usr/bin/env python3
"""Check an OME-Zarr v0.4 written by Recon4D against a .npy holding the expected level-0 data.
Usage: verify_omezarr.py ZARR EXPECTED.npy AXES SCALE   e.g. AXES=tyx SCALE=2,0.5,0.5
Prints JSON; exits non-zero on any mismatch."""
import json, sys
import numpy as np, zarr

root, expected, axes, scale = sys.argv[1], sys.argv[2], sys.argv[3], [float(s) for s in sys.argv[4].split(",")]
g = zarr.open_group(root, mode="r")
ms = g.attrs["multiscales"][0]
assert ms["version"] == "0.4", ms["version"]
names = "".join(a["name"] for a in ms["axes"])
assert names == axes, (names, axes)
for a in ms["axes"]:
    assert a["type"] == ("time" if a["name"] == "t" else "space"), a
a0 = g[ms["datasets"][0]["path"]]
ref = np.load(expected)
assert a0.dtype == np.float32, a0.dtype
assert a0.shape == ref.shape, (a0.shape, ref.shape)
np.testing.assert_array_equal(a0[:], ref)
s0 = ms["datasets"][0]["coordinateTransformations"][0]["scale"]
np.testing.assert_allclose(s0, scale)
levels = []
for d in ms["datasets"][1:]:
    arr = g[d["path"]]
    sc = d["coordinateTransformations"][0]["scale"]
    # each level halves the spatial axes; t keeps its length and its scale
    for i, n in enumerate(names):
        if n == "t":
            assert arr.shape[i] == ref.shape[i] and sc[i] == s0[i], (arr.shape, sc)
    levels.append(list(arr.shape))
# level 1 is the 2x2 block mean of level 0 in y, x
if len(ms["datasets"]) > 1:
    l1 = g[ms["datasets"][1]["path"]][:]
    yx = ref[..., : ref.shape[-2] // 2 * 2, : ref.shape[-1] // 2 * 2]
    mean = yx.reshape(*yx.shape[:-2], yx.shape[-2] // 2, 2, yx.shape[-1] // 2, 2).mean(axis=(-3, -1))
    if "z" not in names:
        np.testing.assert_allclose(l1, mean, rtol=1e-5, atol=1e-6)
print(json.dumps({"ok": True, "zarr": zarr.__version__, "shape": list(a0.shape), "chunks": list(a0.chunks), "levels": levels}))
