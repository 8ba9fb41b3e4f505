package io.ibreid.core.natives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.IbreidException;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The choice of native build as a pure function of the CPU's flags, the request and the class path. */
class NativeChoiceTest {
  // flag sets of real CPUs (the deciding subset of their /proc/cpuinfo flags)
  static final Set<String> ZEN5_AVX512 = Set.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq",
      "avx512vl", "avx512cd", "avx512_vnni");
  static final Set<String> EPYC_AVX2 = Set.of("sse4_2", "avx", "avx2", "fma", "bmi2");
  /** Knights Landing: AVX-512 F and CD but no BW, DQ, VL. */
  static final Set<String> KNL = Set.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512cd");
  static final Set<String> SANDY_BRIDGE_AVX = Set.of("sse4_2", "avx");
  static final Set<String> SSE_ONLY = Set.of("sse", "sse2", "sse4_1", "sse4_2");
  static final Predicate<NativeBuild> ALL = b -> true;
  static final Predicate<NativeBuild> PLAIN_ONLY = b -> b == NativeBuild.PLAIN;

  static NativeChoice auto(Set<String> flags, Predicate<NativeBuild> cp) {
    return NativeChoice.choose(flags, true, null, "IBREID_NATIVE", cp);
  }

  @Test
  void autoTakesTheMostCapableBuildTheCpuRuns() {
    assertThat(auto(ZEN5_AVX512, ALL).build()).isEqualTo(NativeBuild.ONEDNN_AVX512);
    assertThat(auto(EPYC_AVX2, ALL).build()).isEqualTo(NativeBuild.ONEDNN_AVX2);
    assertThat(auto(KNL, ALL).build()).isEqualTo(NativeBuild.ONEDNN_AVX2);
    assertThat(auto(SANDY_BRIDGE_AVX, ALL).build()).isEqualTo(NativeBuild.PLAIN);
    assertThat(auto(SSE_ONLY, ALL).build()).isEqualTo(NativeBuild.PLAIN);
    assertThat(auto(Set.of(), ALL).build()).isEqualTo(NativeBuild.PLAIN);
    assertThat(NativeChoice.choose(ZEN5_AVX512, true, "auto", "IBREID_NATIVE", ALL).build())
        .isEqualTo(NativeBuild.ONEDNN_AVX512);
    assertThat(NativeChoice.choose(EPYC_AVX2, true, " ", "IBREID_NATIVE", ALL).build())
        .isEqualTo(NativeBuild.ONEDNN_AVX2);
  }

  @Test
  void autoSaysWhy() {
    NativeChoice c = auto(EPYC_AVX2, ALL);
    assertThat(c.explicit()).isFalse();
    assertThat(c.reason()).contains("CPU has avx, avx2, fma")
        .contains("onednn-avx512: CPU lacks avx512f, avx512bw, avx512dq, avx512vl");
    assertThat(auto(KNL, ALL).reason()).contains("CPU lacks avx512bw, avx512dq, avx512vl");
    assertThat(auto(ZEN5_AVX512, ALL).reason()).isEqualTo("auto: CPU has avx512f, avx512bw, avx512dq, avx512vl");
  }

  @Test
  void autoSkipsBuildsWhoseJarIsMissing() {
    NativeChoice c = auto(ZEN5_AVX512, PLAIN_ONLY);
    assertThat(c.build()).isEqualTo(NativeBuild.PLAIN);
    assertThat(c.reason()).contains("onednn-avx512: CPU can run it, but its jar is not on the class path");
    assertThat(auto(ZEN5_AVX512, b -> b != NativeBuild.ONEDNN_AVX512).build()).isEqualTo(NativeBuild.ONEDNN_AVX2);
    assertThat(auto(EPYC_AVX2, b -> b != NativeBuild.ONEDNN_AVX2).build()).isEqualTo(NativeBuild.PLAIN);
  }

  @Test
  void unknownCpuGetsThePlainBuild() {
    NativeChoice c = NativeChoice.choose(Set.of(), false, null, "IBREID_NATIVE", ALL);
    assertThat(c.build()).isEqualTo(NativeBuild.PLAIN);
    assertThat(c.reason()).contains("CPU flags unknown");
  }

  @Test
  void anExplicitChoiceWins() {
    for (NativeBuild b : NativeBuild.values()) {
      NativeChoice c = NativeChoice.choose(ZEN5_AVX512, true, b.id(), "IBREID_NATIVE", ALL);
      assertThat(c.build()).isEqualTo(b);
      assertThat(c.explicit()).isTrue();
      assertThat(c.reason()).isEqualTo("asked for by IBREID_NATIVE=" + b.id());
    }
    assertThat(NativeChoice.choose(EPYC_AVX2, true, "plain", "-Dibreid.native", ALL).build())
        .isEqualTo(NativeBuild.PLAIN);
    // JavaCPP's own spelling, as a user may have set -Dorg.bytedeco.javacpp.platform.extension
    assertThat(NativeChoice.choose(EPYC_AVX2, true, "-onednn-avx2", "-Dorg.bytedeco.javacpp.platform.extension", ALL)
        .build()).isEqualTo(NativeBuild.ONEDNN_AVX2);
    assertThat(NativeChoice.choose(ZEN5_AVX512, true, " ONEDNN-AVX2 ", "IBREID_NATIVE", ALL).build())
        .isEqualTo(NativeBuild.ONEDNN_AVX2);
    // nothing known about the CPU: taken as asked, and the reason says it was not checked
    NativeChoice blind = NativeChoice.choose(Set.of(), false, "onednn-avx2", "IBREID_NATIVE", ALL);
    assertThat(blind.build()).isEqualTo(NativeBuild.ONEDNN_AVX2);
    assertThat(blind.reason()).contains("not checked");
  }

  @Test
  void aChoiceTheCpuCannotRunIsRefusedNamingTheMissingFlags() {
    assertThatThrownBy(() -> NativeChoice.choose(EPYC_AVX2, true, "onednn-avx512", "IBREID_NATIVE", ALL))
        .isInstanceOf(IbreidException.class)
        .hasMessage("IBREID_NATIVE=onednn-avx512: the onednn-avx512 native build needs CPU flags this CPU lacks: "
            + "avx512f, avx512bw, avx512dq, avx512vl (remove the setting, or use auto, to let ibreid choose)");
    assertThatThrownBy(() -> NativeChoice.choose(KNL, true, "-onednn-avx512", "-Dibreid.native", ALL))
        .hasMessageContaining("lacks: avx512bw, avx512dq, avx512vl");
    assertThatThrownBy(() -> NativeChoice.choose(SANDY_BRIDGE_AVX, true, "onednn-avx2", "IBREID_NATIVE", ALL))
        .hasMessageContaining("lacks: avx2, fma");
    assertThatThrownBy(() -> NativeChoice.choose(SSE_ONLY, true, "onednn-avx2", "IBREID_NATIVE", ALL))
        .hasMessageContaining("lacks: avx, avx2, fma");
  }

  @Test
  void unknownOrMissingBuildsAreRefused() {
    assertThatThrownBy(() -> NativeChoice.choose(ZEN5_AVX512, true, "avx9", "IBREID_NATIVE", ALL))
        .hasMessage("IBREID_NATIVE=avx9: unknown native build, expected one of auto, onednn-avx512, onednn-avx2, plain");
    assertThatThrownBy(() -> NativeChoice.choose(ZEN5_AVX512, true, "onednn-avx2", "IBREID_NATIVE", PLAIN_ONLY))
        .hasMessage("IBREID_NATIVE=onednn-avx2: the onednn-avx2 native build is not on the class path (add "
            + "org.nd4j:nd4j-native:1.0.0-M2.1:linux-x86_64-onednn-avx2, e.g. with io.ibreid:ibreid-backend-cpu-avx2 "
            + "or io.ibreid:ibreid-backend-cpu)");
  }

  @Test
  void everyBuildRunsOnTheCpusItIsChosenFor() {
    // the invariant that prevents SIGILL: whatever auto picks, the CPU has every flag the build needs
    for (Set<String> cpu : java.util.List.of(ZEN5_AVX512, EPYC_AVX2, KNL, SANDY_BRIDGE_AVX, SSE_ONLY, Set.<String>of())) {
      for (EnumSet<NativeBuild> present : java.util.List.of(EnumSet.allOf(NativeBuild.class),
          EnumSet.of(NativeBuild.PLAIN), EnumSet.of(NativeBuild.PLAIN, NativeBuild.ONEDNN_AVX512))) {
        NativeBuild b = auto(cpu, present::contains).build();
        assertThat(b.missing(cpu)).as("%s on %s", b, cpu).isEmpty();
      }
    }
  }

  @Test
  void extensionsAndResources() {
    assertThat(NativeBuild.PLAIN.extension()).isEmpty();
    assertThat(NativeBuild.ONEDNN_AVX2.extension()).isEqualTo("-onednn-avx2");
    assertThat(NativeBuild.ONEDNN_AVX512.jniResource())
        .isEqualTo("org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn-avx512/libjnind4jcpu.so");
    assertThat(NativeRuntime.buildOf("/c/x.jar/org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64/libjnind4jcpu.so"))
        .isEqualTo(NativeBuild.PLAIN);
    assertThat(NativeRuntime.buildOf("/c/b/linux-x86_64-onednn-avx2/libjnind4jcpu.so"))
        .isEqualTo(NativeBuild.ONEDNN_AVX2);
    assertThat(NativeBuild.parse("")).isEqualTo(NativeBuild.PLAIN);
    assertThat(NativeBuild.parse("avx9")).isNull();
  }
}
