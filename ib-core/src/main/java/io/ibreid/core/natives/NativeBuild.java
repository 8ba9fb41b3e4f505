package io.ibreid.core.natives;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The builds of ND4J's native CPU library that ibreid knows, from the most demanding to the plain one. Each build
 * runs only on CPUs with its {@link #requiredFlags}: a oneDNN AVX-512 binary dies with SIGILL at its first
 * instruction on an AVX2-only CPU.
 */
public enum NativeBuild {
  /** {@code nd4j-native:linux-x86_64-onednn-avx512}: needs AVX-512 F, BW, DQ and VL (plus AVX2 and FMA). */
  ONEDNN_AVX512("onednn-avx512", List.of("avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl")),
  /** {@code nd4j-native:linux-x86_64-onednn-avx2}: needs AVX, AVX2 and FMA. */
  ONEDNN_AVX2("onednn-avx2", List.of("avx", "avx2", "fma")),
  /** {@code nd4j-native:linux-x86_64}: the plain build, for any x86-64 CPU. */
  PLAIN("plain", List.of());

  /** The flags that decide the choice, in the order {@link CpuInfo#describe} prints them. */
  public static final List<String> DECIDING_FLAGS =
      List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl");

  private final String id;
  private final List<String> requiredFlags;

  NativeBuild(String id, List<String> requiredFlags) {
    this.id = id;
    this.requiredFlags = requiredFlags;
  }

  /** The name users write ({@code onednn-avx512}, {@code onednn-avx2}, {@code plain}). */
  public String id() {
    return id;
  }

  /** CPU flags (as in {@code /proc/cpuinfo}) the build's binaries use. */
  public List<String> requiredFlags() {
    return requiredFlags;
  }

  /**
   * JavaCPP's {@code org.bytedeco.javacpp.platform.extension} for this build: {@code -onednn-avx512},
   * {@code -onednn-avx2}, or empty for the plain build (empty, not absent: absent lets JavaCPP try every extension
   * it finds on the class path).
   */
  public String extension() {
    return this == PLAIN ? "" : "-" + id;
  }

  /** The class-path resource of the build's JNI library, present when its jar is on the class path. */
  public String jniResource() {
    return "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64" + extension() + "/libjnind4jcpu.so";
  }

  /** The Maven coordinates of the build's jar. */
  public String artifact() {
    return "org.nd4j:nd4j-native:1.0.0-M2.1:linux-x86_64" + extension();
  }

  /** The smallest ibreid backend (type pom) that brings this build: {@code io.ibreid:ibreid-backend-cpu-avx2}, ... */
  public String backend() {
    return "io.ibreid:ibreid-backend-cpu-" + (this == PLAIN ? "plain" : this == ONEDNN_AVX2 ? "avx2" : "avx512");
  }

  /** The required flags the CPU lacks (empty when it can run this build). */
  public List<String> missing(Set<String> cpuFlags) {
    List<String> out = new ArrayList<>();
    for (String f : requiredFlags) {
      if (!cpuFlags.contains(f)) {
        out.add(f);
      }
    }
    return out;
  }

  /** The build with this id, or of this JavaCPP extension ({@code -onednn-avx2}); null when unknown. */
  public static NativeBuild parse(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("-")) {
      t = t.substring(1);
    }
    if (t.isEmpty() || t.equals("default")) {
      return PLAIN;
    }
    for (NativeBuild b : values()) {
      if (b.id.equals(t)) {
        return b;
      }
    }
    return null;
  }

  /** The ids users can write, for messages. */
  public static String choices() {
    StringBuilder sb = new StringBuilder("auto");
    for (NativeBuild b : values()) {
      sb.append(", ").append(b.id);
    }
    return sb.toString();
  }
}
