#!/usr/bin/env python3
"""Write .npy files in several dtypes, byte orders and memory orders with NumPy, for Recon4D's
reader tests. Every file holds a[t, y, x] = x + 10 y + 100 t for shape (3, 4, 5).
Also reads OUT/java.npy (written by Recon4D) and checks the same formula.  Usage: make_test_npy.py OUTDIR"""
import json, os, sys
import numpy as np

out = sys.argv[1]
t, y, x = np.meshgrid(np.arange(3), np.arange(4), np.arange(5), indexing="ij")
a = (x + 10 * y + 100 * t)
files = {}
for name, dt in [("f4le", "<f4"), ("f4be", ">f4"), ("f8be", ">f8"), ("i2le", "<i2"), ("u1", "|u1"), ("i8le", "<i8")]:
    np.save(os.path.join(out, name + ".npy"), a.astype(dt))
    files[name] = dt
np.save(os.path.join(out, "fortran.npy"), np.asfortranarray(a.astype("<f4")))
np.save(os.path.join(out, "complex.npy"), a.astype("<c8"))
bad = a.astype("<f4"); bad[1, 2, 3] = np.nan
np.save(os.path.join(out, "nan.npy"), bad)
java = os.path.join(out, "java.npy")
if os.path.exists(java):
    j = np.load(java)
    assert j.dtype == np.float32 and j.shape == (3, 4, 5), (j.dtype, j.shape)
    np.testing.assert_array_equal(j, a.astype(np.float32))
    files["java"] = "read"
print(json.dumps(files))
