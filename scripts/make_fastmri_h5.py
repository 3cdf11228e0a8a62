"""Writes fastMRI-style HDF5 files with h5py for Recon4D's reader tests (and the same k-space as
.npy for comparison). Usage: make_fastmri_h5.py OUTDIR
                      or: make_fastmri_h5.py --from-npy KSPACE.npy OUT.h5  (kspace dataset from an array)

  multicoil.h5   kspace [3, 4, 20, 12] complex64 (contiguous), reconstruction_rss [3, 8, 6], attrs
  chunked.h5     the same k-space, chunked per slice and gzip-compressed
  singlecoil.h5  kspace [2, 16, 10] complex64
  realk.h5       kspace float32 (not complex)          -> must be refused
  rank2.h5       kspace [16, 10] complex64              -> must be refused
  nokspace.h5    only 'image'                           -> must be refused
  ismrmrd_names.h5  kspace as a compound (real, imag), as ISMRMRD names the members
  big.h5         kspace [4, 8, 320, 320] complex64 (speed of the raw vs generic read)
  kspace.npy, singlecoil.npy  the same arrays for comparison
"""
import sys
import h5py
import numpy as np

if sys.argv[1] == "--from-npy":
    with h5py.File(sys.argv[3], "w") as f:
        f.create_dataset("kspace", data=np.load(sys.argv[2]).astype(np.complex64))
        f.attrs["acquisition"] = "SIMULATED"
    print("wrote", sys.argv[3])
    sys.exit(0)

out = sys.argv[1]
rng = np.random.default_rng(7)


def cplx(shape):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(np.complex64)


k = cplx((3, 4, 20, 12))
with h5py.File(f"{out}/multicoil.h5", "w") as f:
    f.create_dataset("kspace", data=k)
    f.create_dataset("reconstruction_rss", data=np.sqrt((np.abs(k[:, :, 6:14, 3:9]) ** 2).sum(1)).astype(np.float32))
    f.attrs["acquisition"] = "CORPD_FBK"
    f.attrs["max"] = 0.00123
np.save(f"{out}/kspace.npy", k)
with h5py.File(f"{out}/chunked.h5", "w") as f:
    f.create_dataset("kspace", data=k, chunks=(1, 4, 20, 12), compression="gzip")
s = cplx((2, 16, 10))
with h5py.File(f"{out}/singlecoil.h5", "w") as f:
    f.create_dataset("kspace", data=s)
np.save(f"{out}/singlecoil.npy", s)
with h5py.File(f"{out}/realk.h5", "w") as f:
    f.create_dataset("kspace", data=np.ones((2, 4, 8, 8), np.float32))
with h5py.File(f"{out}/rank2.h5", "w") as f:
    f.create_dataset("kspace", data=cplx((16, 10)))
with h5py.File(f"{out}/nokspace.h5", "w") as f:
    f.create_dataset("image", data=np.ones((4, 4), np.float32))
dt = np.dtype([("real", "<f4"), ("imag", "<f4")])
comp = np.empty(k.shape, dt)
comp["real"], comp["imag"] = k.real, k.imag
with h5py.File(f"{out}/ismrmrd_names.h5", "w") as f:
    f.create_dataset("kspace", data=comp)
with h5py.File(f"{out}/big.h5", "w") as f:
    f.create_dataset("kspace", data=cplx((4, 8, 320, 320)))
print("wrote fastMRI-style files to", out)
