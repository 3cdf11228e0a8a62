#!/usr/bin/env python3
"""PyTorch mirror of Recon4D's unrolled MRI networks (org.recon4d.unroll).

The modules below compute what the DJL implementation computes, with parameter names equal to
the entries of Recon4D's .npz checkpoints, so weights move both ways:

  export  WEIGHTS.npz OUT.pt [--size 128 --coils 8]
          load a checkpoint written by `./recon4d train ...` and save it as TorchScript
  fixture OUTDIR
          make the committed test fixture: tiny E2E-VarNet and RecurrentVarNet with seeded random
          weights (.npz), their TorchScript files (.pt), one input and the outputs PyTorch computes

TorchScript contract (that of fastMRI's VarNet): forward(masked_kspace, mask) with masked_kspace
float32 (B, coils, H, W, 2) (real, imaginary last; centred orthonormal FFT convention) and mask
float32 (B, 1, 1, W, 1) with ones on sampled columns; returns the magnitude image (B, H, W): the
coil combination with the network's maps (export --output combined, the default) or the RSS (rss).
Written for Debian's python3-torch (1.13) and numpy.
"""
import argparse
import io
import os
import zipfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def fft2c(x):
    """Centred orthonormal 2D FFT of a complex tensor over the last two axes."""
    return torch.fft.fftshift(torch.fft.fft2(torch.fft.ifftshift(x, dim=(-2, -1)), norm="ortho"), dim=(-2, -1))


def ifft2c(x):
    return torch.fft.fftshift(torch.fft.ifft2(torch.fft.ifftshift(x, dim=(-2, -1)), norm="ortho"), dim=(-2, -1))


def acs_mask(mask):
    """(B, 1, 1, W) 0/1 -> ACS columns as fastMRI's VarNet finds them (runs from the centre)."""
    cols = mask[:, 0, 0, :]
    w = cols.shape[-1]
    cent = w // 2
    left = torch.cumprod(torch.flip(cols[:, :cent], [1]), 1).sum(1)
    right = torch.cumprod(cols[:, cent:], 1).sum(1)
    low = torch.clamp(2 * torch.minimum(left, right), min=1)
    pad = torch.div(w - low + 1, 2, rounding_mode="floor")
    idx = torch.arange(w, device=mask.device, dtype=mask.dtype).unsqueeze(0)
    acs = ((idx >= pad.unsqueeze(1)) & (idx < (pad + low).unsqueeze(1))).to(mask.dtype)
    return acs.view(-1, 1, 1, w)


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)

    def forward(self, x):
        x = F.leaky_relu(F.instance_norm(self.conv1(x), eps=1e-5), 0.2)
        return F.leaky_relu(F.instance_norm(self.conv2(x), eps=1e-5), 0.2)


class UNet(nn.Module):
    """fastMRI-style U-Net; nearest upsampling + 3x3 conv instead of a transposed conv."""

    def __init__(self, cin, cout, chans, pools):
        super().__init__()
        self.pools = pools
        ch = chans
        self.add_module("down0", Block(cin, ch))
        for l in range(1, pools):
            self.add_module("down%d" % l, Block(ch, ch * 2))
            ch *= 2
        self.bottom = Block(ch, ch * 2)
        for l in range(pools - 1, -1, -1):
            skip = chans << l
            self.add_module("upconv%d" % l, nn.Conv2d(skip * 2, skip, 3, padding=1))
            self.add_module("up%d" % l, Block(skip * 2, skip))
        self.final = nn.Conv2d(chans, cout, 1)
        self.downs = [getattr(self, "down%d" % l) for l in range(pools)]
        self.upconvs = [getattr(self, "upconv%d" % l) for l in range(pools)]
        self.ups = [getattr(self, "up%d" % l) for l in range(pools)]

    def plain(self, x):
        skips = []
        for l in range(self.pools):
            x = self.downs[l](x)
            skips.append(x)
            x = F.avg_pool2d(x, 2)
        x = self.bottom(x)
        for l in range(self.pools - 1, -1, -1):
            x = F.interpolate(x, scale_factor=2.0, mode="nearest")
            x = F.leaky_relu(F.instance_norm(self.upconvs[l](x), eps=1e-5), 0.2)
            x = self.ups[l](torch.cat([x, skips[l]], 1))
        return self.final(x)

    def forward(self, x):
        """Correction: standardise each image's channels, run, scale back by the std (no mean)."""
        b, c, h, w = x.shape
        f = x.reshape(b, c, h * w)
        mean = f.mean(2, keepdim=True)
        std = ((f - mean) ** 2).mean(2, keepdim=True).add(1e-12).sqrt()
        mean, std = mean.view(b, c, 1, 1), std.view(b, c, 1, 1)
        return self.plain((x - mean) / std) * std


def sens_maps(unet, k0, acs):
    img = ifft2c(k0 * acs)
    b, c, h, w = img.shape
    ch = torch.stack([img.real.reshape(b * c, h, w), img.imag.reshape(b * c, h, w)], 1)
    out = ch + unet(ch)
    maps = torch.complex(out[:, 0].reshape(b, c, h, w), out[:, 1].reshape(b, c, h, w))
    rss = (maps.abs() ** 2).sum(1, keepdim=True).add(1e-12).sqrt()
    return maps / rss


def reduce(k, maps):
    return (ifft2c(k) * maps.conj()).sum(1, keepdim=True)


def expand(x, maps):
    return fft2c(maps * x)


def rss(k):
    return (ifft2c(k).abs() ** 2).sum(1).add(1e-12).sqrt()


def combined(k, maps):
    """|sum_c conj(S_c) F^-1 k_c|: coil combination with the network's own maps."""
    return (reduce(k, maps).abs() ** 2).add(1e-12).sqrt()[:, 0]


def output_image(mode, k, maps):
    return combined(k, maps) if mode == "combined" else rss(k)


def to_channels(x):
    return torch.cat([x.real, x.imag], 1)


def from_channels(x):
    return torch.complex(x[:, 0:1], x[:, 1:2])


class Cascade(nn.Module):
    def __init__(self, chans, pools):
        super().__init__()
        self.model = UNet(2, 2, chans, pools)
        self.dc_weight = nn.Parameter(torch.ones(1))

    def forward(self, k, k0, mask, maps):
        dc = (k - k0) * mask * self.dc_weight
        return k - dc - expand(from_channels(self.model(to_channels(reduce(k, maps)))), maps)


class E2EVarNet(nn.Module):
    def __init__(self, cascades, chans, pools, sens_chans, sens_pools):
        super().__init__()
        self.config = [1, cascades, chans, pools, sens_chans, sens_pools]
        self.output = "rss"
        self.sens_net = UNet(2, 2, sens_chans, sens_pools)
        self.cascades = nn.ModuleList([Cascade(chans, pools) for _ in range(cascades)])

    def forward(self, masked_kspace, mask):
        k0 = torch.view_as_complex(masked_kspace.contiguous())
        m = mask[..., 0]
        maps = sens_maps(self.sens_net, k0, acs_mask(m))
        k = k0
        for c in self.cascades:
            k = c(k, k0, m, maps)
        return output_image(self.output, k, maps)


class GruLayer(nn.Module):
    def __init__(self, cin, hidden):
        super().__init__()
        self.gates = nn.Conv2d(cin + hidden, 2 * hidden, 3, padding=1)
        self.cand = nn.Conv2d(cin + hidden, hidden, 3, padding=1)
        self.hidden = hidden

    def forward(self, x, h):
        g = torch.sigmoid(self.gates(torch.cat([x, h], 1)))
        r, z = g[:, : self.hidden], g[:, self.hidden :]
        n = torch.tanh(self.cand(torch.cat([x, r * h], 1)))
        return h + z * (n - h)


class RnnBlock(nn.Module):
    def __init__(self, hidden, layers):
        super().__init__()
        self.gru = nn.ModuleList([GruLayer(2 if l == 0 else hidden, hidden) for l in range(layers)])
        self.out = nn.Conv2d(hidden, 2, 3, padding=1)


class Step(nn.Module):
    def __init__(self):
        super().__init__()
        self.learning_rate = nn.Parameter(torch.ones(1))


class RecurrentVarNet(nn.Module):
    def __init__(self, steps, hidden, layers, shared, sens_chans, sens_pools):
        super().__init__()
        self.config = [2, steps, hidden, layers, 1 if shared else 0, sens_chans, sens_pools]
        self.output = "rss"
        self.hidden, self.layers, self.shared = hidden, layers, shared
        self.sens_net = UNet(2, 2, sens_chans, sens_pools)
        self.blocks = nn.ModuleList([RnnBlock(hidden, layers) for _ in range(1 if shared else steps)])
        self.steps = nn.ModuleList([Step() for _ in range(steps)])

    def forward(self, masked_kspace, mask):
        k0raw = torch.view_as_complex(masked_kspace.contiguous())
        m = mask[..., 0]
        b, c, h, w = k0raw.shape
        power = (k0raw.abs() ** 2).reshape(b, -1).sum(1)
        count = m.expand(b, c, h, w).reshape(b, -1).sum(1)
        scale = (power / (count + 1)).add(1e-20).sqrt().view(b, 1, 1, 1)
        k0 = k0raw / scale
        maps = sens_maps(self.sens_net, k0, acs_mask(m))
        hs = [torch.zeros(b, self.hidden, h, w, dtype=masked_kspace.dtype) for _ in range(self.layers)]
        k = k0
        for t, step in enumerate(self.steps):
            blk = self.blocks[0 if self.shared else t]
            dc = (k - k0) * m * step.learning_rate
            x = to_channels(reduce(k, maps))
            for l, layer in enumerate(blk.gru):
                hs[l] = layer(x, hs[l])
                x = hs[l]
            k = k - dc + expand(from_channels(blk.out(x)), maps)
        return output_image(self.output, k, maps) * scale.view(b, 1, 1)


def build(config):
    kind = int(config[0])
    if kind == 1:
        return E2EVarNet(*[int(v) for v in config[1:]])
    if kind == 2:
        s, h, l, sh, sc, sp = [int(v) for v in config[1:]]
        return RecurrentVarNet(s, h, l, bool(sh), sc, sp)
    raise ValueError("unknown meta.config %s" % list(config))


def load_npz(path):
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    net = build(arrays["meta.config"])
    state = net.state_dict()
    for name in state:
        if name not in arrays:
            raise KeyError("%s: parameter %s missing" % (path, name))
        state[name] = torch.from_numpy(arrays[name].astype(np.float32)).reshape(state[name].shape)
    net.load_state_dict(state)
    return net.eval()


def save_npz(net, path):
    buf = {"meta.config": np.asarray(net.config, dtype=np.float32)}
    for name, v in net.state_dict().items():
        buf[name] = v.detach().cpu().numpy().astype(np.float32)
    np.savez(path, **buf)


def trace(net, coils, h, w):
    k = torch.zeros(1, coils, h, w, 2)
    m = torch.ones(1, 1, 1, w, 1)
    with torch.no_grad():
        return torch.jit.trace(net, (k, m), check_trace=False)


def fixture(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(5)
    rng = np.random.default_rng(5)
    coils, h, w = 4, 32, 32
    # a smooth complex object seen by 4 coils, fully sampled centre of 6 columns, every 3rd column
    y, x = np.mgrid[0:h, 0:w]
    obj = np.exp(-(((x - 15.5) / 9) ** 2 + ((y - 15.5) / 11) ** 2)) * np.exp(0.3j * (x - 16) / 16)
    obj = obj + 0.3 * ((np.abs(x - 12) < 4) & (np.abs(y - 18) < 3))
    coil = np.stack([np.exp(-(((x - cx) / 20) ** 2 + ((y - cy) / 20) ** 2)) * np.exp(1j * 0.4 * c)
                     for c, (cx, cy) in enumerate([(0, 0), (31, 0), (0, 31), (31, 31)])])
    k = np.fft.fftshift(np.fft.fft2(np.fft.ifftshift(coil * obj, axes=(-2, -1)), norm="ortho"), axes=(-2, -1))
    cols = np.zeros(w, np.float32)
    cols[::3] = 1
    cols[13:19] = 1
    k = (k * cols[None, None, :]).astype(np.complex64)[None]
    kspace = np.stack([k.real, k.imag], -1).astype(np.float32)
    mask = cols.reshape(1, 1, 1, w, 1)
    np.save(os.path.join(out, "kspace.npy"), k)  # complex64 (1, coils, H, W)
    np.save(os.path.join(out, "mask.npy"), cols)  # float32 (W,)
    nets = {"e2e-varnet": E2EVarNet(2, 4, 2, 2, 2), "recurrentvarnet": RecurrentVarNet(3, 6, 2, False, 2, 2)}
    for name, net in nets.items():
        # random weights with some spread in the step sizes, so that they are tested too
        with torch.no_grad():
            for pname, p in net.named_parameters():
                if pname.endswith("dc_weight") or pname.endswith("learning_rate"):
                    p.copy_(torch.tensor([0.5 + rng.random()], dtype=torch.float32))
                elif pname.endswith("final.weight") or pname.endswith("out.weight"):
                    p.copy_(torch.from_numpy((0.1 * rng.standard_normal(p.shape)).astype(np.float32)))
                elif pname.endswith("bias"):
                    p.copy_(torch.from_numpy((0.05 * rng.standard_normal(p.shape)).astype(np.float32)))
        net.eval()
        save_npz(net, os.path.join(out, name + ".npz"))
        ts = trace(net, coils, h, w)
        ts.save(os.path.join(out, name + ".pt"))
        with torch.no_grad():
            y_out = net(torch.from_numpy(kspace), torch.from_numpy(mask)).numpy()
            net.output = "combined"
            y_comb = net(torch.from_numpy(kspace), torch.from_numpy(mask)).numpy()
            net.output = "rss"
        np.save(os.path.join(out, name + "-out.npy"), y_out.astype(np.float32))
        np.save(os.path.join(out, name + "-combined-out.npy"), y_comb.astype(np.float32))
        print(name, "params", sum(p.numel() for p in net.parameters()), "out max", float(y_out.max()))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export")
    e.add_argument("weights")
    e.add_argument("out")
    e.add_argument("--size", type=int, default=128)
    e.add_argument("--coils", type=int, default=8)
    e.add_argument("--output", choices=["combined", "rss"], default="combined")
    f = sub.add_parser("fixture")
    f.add_argument("out")
    a = ap.parse_args()
    if a.cmd == "export":
        if os.path.exists(a.out):
            raise SystemExit("%s exists; not overwriting" % a.out)
        net = load_npz(a.weights)
        net.output = a.output
        trace(net, a.coils, a.size, a.size).save(a.out)
        print("wrote", a.out)
    else:
        fixture(a.out)


if __name__ == "__main__":
    main()
