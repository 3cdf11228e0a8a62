#!/usr/bin/env python3
"""Make the small TorchScript denoiser committed for Recon4D's tests, with Debian's python3-torch:
a residual two-layer CNN (1 -> 4 -> 1 channels, 3x3, ReLU) with weights from seed 0, the
`forward(x) = x - net(x)` contract on (B, 1, H, W) float32.  Also writes a probe input and the
expected output so the Java test needs no Python.
Usage: make_torchscript_denoiser.py OUTDIR   (writes tiny-denoiser.pt, tiny-probe-in.npy, tiny-probe-out.npy)"""
import os, sys
import numpy as np
import torch

class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Conv2d(1, 4, 3, padding=1)
        self.b = torch.nn.Conv2d(4, 1, 3, padding=1)
    def forward(self, x):
        return x - self.b(torch.relu(self.a(x)))

torch.manual_seed(0)
m = torch.jit.script(Tiny().eval())
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
m.save(os.path.join(out, "tiny-denoiser.pt"))
y, x = np.meshgrid(np.arange(20), np.arange(24), indexing="ij")
probe = (np.sin(x / 3.0) * np.cos(y / 4.0)).astype(np.float32)[None, None].repeat(2, axis=0)
probe[1] *= 0.5
with torch.no_grad():
    res = m(torch.from_numpy(probe)).numpy()
np.save(os.path.join(out, "tiny-probe-in.npy"), probe)
np.save(os.path.join(out, "tiny-probe-out.npy"), res.astype(np.float32))
print("saved", out, "torch", torch.__version__, "out shape", res.shape)
