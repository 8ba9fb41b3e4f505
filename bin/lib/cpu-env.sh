# Sourced by bin/ibreid and the benchmarks: CPU facts and the OpenBLAS kernel choice.
# Sets IBREID_AVX512=1 when the CPU has AVX-512 F, BW, DQ and VL (else 0). On AMD CPUs with AVX-512 the OpenBLAS
# bundled with ND4J (0.3.19) does not know the CPU and picks its AVX2 (Haswell) kernels; exporting
# OPENBLAS_CORETYPE=SkylakeX selects the AVX-512 ones (single-precision products about 2x faster, measured in
# reid-eval/README.md). A value the user already set is kept.
IBREID_AVX512=0
_ibreid_flags=""
if [ -r /proc/cpuinfo ]; then
  _ibreid_flags="$(grep -m1 '^flags' /proc/cpuinfo || true)"
fi
if [[ " $_ibreid_flags " == *" avx512f "* && " $_ibreid_flags " == *" avx512bw "* \
      && " $_ibreid_flags " == *" avx512dq "* && " $_ibreid_flags " == *" avx512vl "* ]]; then
  IBREID_AVX512=1
fi
if [ "$IBREID_AVX512" = 1 ] && [ -z "${OPENBLAS_CORETYPE+set}" ] && grep -q -m1 'AuthenticAMD' /proc/cpuinfo; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
unset _ibreid_flags
