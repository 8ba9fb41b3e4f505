# Sourced by bin/ibreid and the benchmarks: CPU facts and the OpenBLAS kernel choice (shell builtins only: starting a
# process costs a few milliseconds on small virtual machines, and eval-features runs in well under a second).
# Sets IBREID_AVX512=1 when the CPU has AVX-512 F, BW, DQ and VL (else 0). The OpenBLAS bundled with ND4J (0.3.19)
# does not know AMD Zen 4/5 and, left to itself, runs its Barcelona (SSE) kernels there; on AMD CPUs with AVX-512
# this exports OPENBLAS_CORETYPE=SkylakeX (the AVX-512 kernels: the 47 GFLOP product of reid-eval/README.md in
# 0.13 s instead of 0.25 s with Haswell's). A value already set (the development machine's environment sets
# Haswell) is kept.
IBREID_AVX512=0
_ibreid_vendor=""
_ibreid_flags=""
if [ -r /proc/cpuinfo ]; then
  while IFS= read -r _ibreid_line; do
    case "$_ibreid_line" in
      vendor_id*) _ibreid_vendor="$_ibreid_line" ;;
      flags*) _ibreid_flags=" ${_ibreid_line#*:} "; break ;;
    esac
  done < /proc/cpuinfo
fi
if [[ "$_ibreid_flags" == *" avx512f "* && "$_ibreid_flags" == *" avx512bw "* \
      && "$_ibreid_flags" == *" avx512dq "* && "$_ibreid_flags" == *" avx512vl "* ]]; then
  IBREID_AVX512=1
fi
if [ "$IBREID_AVX512" = 1 ] && [ -z "${OPENBLAS_CORETYPE+set}" ] && [[ "$_ibreid_vendor" == *AuthenticAMD* ]]; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
unset _ibreid_flags _ibreid_vendor _ibreid_line
# A forced build is a test of that build's path: with IBREID_NATIVE=onednn-avx2 (or plain) on a CPU with AVX-512,
# oneDNN (both the copy inside libnd4j and the fast encoder's own binding) still picks its kernels from CPUID, so
# the "AVX2" run would convolve with AVX-512. DNNL_MAX_CPU_ISA caps both at the forced build's level, unless set.
case "${IBREID_NATIVE:-}" in
  onednn-avx2) [ -z "${DNNL_MAX_CPU_ISA+set}" ] && export DNNL_MAX_CPU_ISA=AVX2 ;;
  plain) [ -z "${DNNL_MAX_CPU_ISA+set}" ] && export DNNL_MAX_CPU_ISA=SSE41 ;;
esac
