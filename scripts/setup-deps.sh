#!/usr/bin/env bash
# Installs the Debian packages Recon4D's tests (or benchmarks) call from Java:
#   test:  python3-numpy, python3-zarr (reads our OME-Zarr and N5 back), python3-skimage (metrics,
#          bench smoke test), python3-h5py (writes fastMRI-style test files), bart (MRI reference),
#          ismrmrd-tools (ismrmrd_generate_cartesian_shepp_logan writes ISMRMRD test files)
#   bench: python3-skimage (reference radon/iradon), bart (MRI reference reconstructions)
# Does nothing when they are importable already. Needs root (or sudo) and apt.
set -euo pipefail
what="${1:-test}"
py=/usr/bin/python3
case "$what" in
  test)  mods="numpy zarr skimage h5py"; pkgs="python3 python3-numpy python3-zarr python3-skimage python3-h5py bart ismrmrd-tools" ;;
  bench) mods="numpy skimage"; pkgs="python3 python3-numpy python3-skimage bart" ;;
  *) echo "usage: setup-deps.sh test|bench" >&2; exit 2 ;;
esac
missing=0
for m in $mods; do
  if ! [ -x "$py" ] || ! "$py" -c "import $m" >/dev/null 2>&1; then missing=1; fi
done
command -v bart >/dev/null 2>&1 || missing=1
[ "$what" = test ] && { command -v ismrmrd_generate_cartesian_shepp_logan >/dev/null 2>&1 || missing=1; }
[ "$missing" = 0 ] && exit 0
echo "[recon4d] installing Debian packages: $pkgs" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else echo "[recon4d] need root to apt-get install $pkgs" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends $pkgs >&2
for m in $mods; do "$py" -c "import $m" || { echo "[recon4d] $m still not importable" >&2; exit 1; }; done
command -v bart >/dev/null || { echo "[recon4d] bart still not on the PATH" >&2; exit 1; }
