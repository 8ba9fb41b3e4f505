package io.ibreid.core.natives;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuInfoTest {
  static final String TWO_PROCESSORS = """
      processor\t: 0
      vendor_id\t: AuthenticAMD
      cpu family\t: 25
      model name\t: AMD EPYC 7B13
      flags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 avx avx2 fma bmi2
      bugs\t\t: sysret_ss_attrs

      processor\t: 1
      vendor_id\t: GenuineIntel
      model name\t: other
      flags\t\t: fpu avx512f
      """;

  @Test
  void readsTheFirstProcessorsVendorModelAndFlags() {
    CpuInfo c = CpuInfo.parse(TWO_PROCESSORS, "test");
    assertThat(c.vendor()).isEqualTo("AuthenticAMD");
    assertThat(c.model()).isEqualTo("AMD EPYC 7B13");
    assertThat(c.flags()).contains("avx2", "fma", "sse4_2").doesNotContain("avx512f", "sysret_ss_attrs");
    assertThat(c.describe()).isEqualTo("AMD EPYC 7B13 (AuthenticAMD); flags: sse4_2 avx avx2 fma");
  }

  @Test
  void emptyOrForeignTextIsAnUnknownCpu() {
    CpuInfo c = CpuInfo.parse("Processor : ARMv7\nFeatures : neon vfp\n", "arm");
    assertThat(c.flags()).isEmpty();
    assertThat(c.describe()).startsWith("unknown CPU; flags: none of");
  }

  @Test
  void thisMachinesCpuIsReadable() {
    CpuInfo c = CpuInfo.read();
    // every x86-64 Linux machine this project runs on reports at least SSE2
    assertThat(c.flags()).contains("sse2");
    assertThat(c.source()).isEqualTo("/proc/cpuinfo");
  }
}
