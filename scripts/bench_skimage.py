#!/usr/bin/env python3
"""Reference timings for `./recon4d bench tomo`: scikit-image's radon / iradon (Debian python3-skimage)
on the phantom Recon4D wrote.  Usage: bench_skimage.py PHANTOM.npy N_ANGLES REPS OUTDIR
Times (median of REPS, seconds): radon (forward), iradon with filter_name=None (unfiltered
backprojection), iradon ramp (FBP). Writes OUTDIR/skimage_fbp.npy and prints one JSON line."""
import json, resource, sys, time, warnings
import numpy as np
from skimage.transform import radon, iradon

phantom, n_angles, reps, outdir = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
img = np.load(phantom).astype(np.float64)
theta = np.linspace(0.0, 180.0, n_angles, endpoint=False)

def timed(f):
    ts, out = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = f()
        ts.append(time.perf_counter() - t0)
    return float(np.median(ts)), out

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    t_fwd, sino = timed(lambda: radon(img, theta=theta, circle=True))
    t_bp, _ = timed(lambda: iradon(sino, theta=theta, filter_name=None, circle=True))
    t_fbp, rec = timed(lambda: iradon(sino, theta=theta, filter_name="ramp", circle=True))
np.save(outdir + "/skimage_fbp.npy", rec.astype(np.float32))
import skimage
print(json.dumps({"forward": t_fwd, "adjoint": t_bp, "fbp": t_fbp, "sino_shape": list(sino.shape),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, "skimage": skimage.__version__}))
