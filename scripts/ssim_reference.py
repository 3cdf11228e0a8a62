#!/usr/bin/env python3
"""SSIM and PSNR by scikit-image for Recon4D's metric tests.  Usage: ssim_reference.py X.npy REF.npy
Arrays are (frames, y, x); SSIM is the mean over frames with data_range = ref.max() - ref.min()."""
import json, sys
import numpy as np
from skimage.metrics import structural_similarity, peak_signal_noise_ratio

x, ref = np.load(sys.argv[1]).astype(np.float64), np.load(sys.argv[2]).astype(np.float64)
r = ref.max() - ref.min()
ssim = float(np.mean([structural_similarity(x[t], ref[t], data_range=r) for t in range(ref.shape[0])]))
print(json.dumps({"ssim": ssim, "psnr": float(peak_signal_noise_ratio(ref, x, data_range=r))}))
