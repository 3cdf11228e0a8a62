#!/usr/bin/env python3
"""Read a BigDataViewer XML + N5 written by Recon4D with zarr's N5Store and compare every
timepoint's level 0 with a .npy of shape (t, [z,] y, x).  Usage: verify_bdv_n5.py XML EXPECTED.npy"""
import json, os, sys, xml.etree.ElementTree as ET
import numpy as np, zarr

xml_path, expected = sys.argv[1], sys.argv[2]
ref = np.load(expected)
if ref.ndim == 3:
    ref = ref[:, None]          # (t, 1, y, x)
root = ET.parse(xml_path).getroot()
il = root.find("SequenceDescription/ImageLoader")
assert il.get("format") == "bdv.n5", il.attrib
n5 = os.path.join(os.path.dirname(os.path.abspath(xml_path)), il.find("n5").text)
g = zarr.open(zarr.N5Store(n5), mode="r")
last = int(root.find("SequenceDescription/Timepoints/last").text)
assert last + 1 == ref.shape[0], (last, ref.shape)
size = [int(v) for v in root.find("SequenceDescription/ViewSetups/ViewSetup/size").text.split()]
assert size[::-1] == list(ref.shape[1:]), (size, ref.shape)
factors = g["setup0"].attrs["downsamplingFactors"]
for t in range(ref.shape[0]):
    s0 = g["setup0/timepoint%d/s0" % t]
    np.testing.assert_array_equal(s0[:], ref[t])
    for lvl in range(1, len(factors)):
        assert ("s%d" % lvl) in g["setup0/timepoint%d" % t]
print(json.dumps({"ok": True, "timepoints": ref.shape[0], "levels": len(factors), "factors": factors}))
