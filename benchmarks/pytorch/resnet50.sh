#!/usr/bin/env bash
# The ResNet-50 side by side of issue 25 in one command: ibreid's resnet50 encoder against torchvision's ResNet-50 in
# PyTorch 1.13 on this CPU, interleaved (ibreid, PyTorch, ibreid, ... the order flipping every round), both CPU
# paths (AVX-512 native and AVX2 forced: IBREID_NATIVE=onednn-avx2 for ibreid, DNNL_MAX_CPU_ISA /
# ATEN_CPU_CAPABILITY=avx2 for PyTorch), PyTorch in both memory layouts (the faster one is compared), 2 threads each:
# the one-branch training step at 3x256x128, batch 16 (Adam, last stride 1, BN-neck, identity heads), eval-mode
# extraction img/s at 32 images a call, and every process's peak RSS. Medians and paired ratios at the end; the whole
# log is appended to benchmarks/results/pytorch-side-by-side.txt.
#
#   benchmarks/pytorch/resnet50.sh [ROUNDS]        (default 3; a round takes ~5 min on a quiet 2-core Zen 5)
#
# PyTorch at its best uses OpenBLAS for its dense layers (Debian's torch calls the reference libblas.so.3 otherwise):
# OPENBLAS_DIR names a folder holding OpenBLAS's libblas.so.3 (default /tmp/ob/usr/lib/x86_64-linux-gnu/openblas-pthread,
# where `cd /tmp/ob && apt-get download libopenblas0-pthread && dpkg -x libopenblas0-pthread_*.deb /tmp/ob` puts it;
# nothing is installed). Every variable of side-by-side.sh applies (BUILDS, TORCH_LAYOUTS, BATCH, STEPS, ...).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ob="${OPENBLAS_DIR:-/tmp/ob/usr/lib/x86_64-linux-gnu/openblas-pthread}"
if [ -f "$ob/libblas.so.3" ]; then
  export TORCH_LD_LIBRARY_PATH="${TORCH_LD_LIBRARY_PATH:-$ob}" OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
else
  echo "resnet50.sh: no OpenBLAS at $ob: PyTorch's dense layers use the reference BLAS (see this script's header)" >&2
fi
MODEL="${MODEL:-resnet50}" exec "$here/side-by-side.sh" "${1:-3}"
