#!/usr/bin/env python3
"""TorchScript score models for Recon4D's diffusion priors (see docs/diffusion.md).

  diffusion_torch.py fixture DIR   writes gaussian-denoiser.pt, gaussian-score-ve.pt and
                                   gaussian-eps-vp.pt: the exact prior of independent Gaussian
                                   pixels (mean 0.4, variance 0.05) in each of the three
                                   forward(x, c) contracts, so that a test can check the Java side
                                   against the closed form.

A model of your own follows the same pattern: a torch.nn.Module whose forward(x, c) takes
x (N, 1, H, W) float32 and c (N,) float32 and returns (N, 1, H, W); save it with
torch.jit.save(torch.jit.script(module), path) and choose the contract when loading.
"""
import math
import sys

import torch

MEAN, VAR = 0.4, 0.05
BETA_MIN, BETA_MAX = 0.1, 20.0


def gaussian_denoise(x, sigma):
    mean, var = 0.4, 0.05  # MEAN, VAR (TorchScript cannot close over globals)
    s2 = sigma.reshape(-1, 1, 1, 1) ** 2
    return mean + var / (var + s2) * (x - mean)


class Denoiser(torch.nn.Module):
    """contract 'denoiser': x = x0 + sigma n, c = sigma, returns D(x; sigma)."""

    def forward(self, x, sigma):
        return gaussian_denoise(x, sigma)


class ScoreVe(torch.nn.Module):
    """contract 'score-ve': x = x0 + sigma n, c = sigma, returns grad log p_sigma(x)."""

    def forward(self, x, sigma):
        s2 = sigma.reshape(-1, 1, 1, 1) ** 2
        return (gaussian_denoise(x, sigma) - x) / s2


class EpsVp(torch.nn.Module):
    """contract 'eps-vp': z = sqrt(abar) x0 + sqrt(1 - abar) n, c = 999 t, returns eps."""

    def forward(self, z, c):
        beta_min, beta_max = 0.1, 20.0  # BETA_MIN, BETA_MAX
        t = c / 999.0
        log_abar = -(beta_min * t + 0.5 * (beta_max - beta_min) * t * t)
        a = torch.exp(0.5 * log_abar).reshape(-1, 1, 1, 1)
        sigma = torch.sqrt(torch.expm1(-log_abar))
        x = z / a
        return (x - gaussian_denoise(x, sigma)) / sigma.reshape(-1, 1, 1, 1)


def fixture(out):
    import os
    os.makedirs(out, exist_ok=True)
    for name, module in (("denoiser", Denoiser()), ("score-ve", ScoreVe()), ("eps-vp", EpsVp())):
        torch.jit.save(torch.jit.script(module), os.path.join(out, "gaussian-%s.pt" % name))
    print("wrote", out)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "fixture":
        fixture(sys.argv[2])
    else:
        print(__doc__)
        sys.exit(2)
