package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.natives.CpuInfo;
import io.ibreid.core.natives.NativeBuild;
import io.ibreid.core.natives.NativeChoice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The step that crashed with SIGILL on an AVX2-only CPU, run exactly as a user runs it: {@code bin/ibreid} starts the
 * JVM, which chooses the native build for the CPU it is on and trains one step of the {@code fast-resnet} encoder
 * (the oneDNN-accelerated one). Also with the plain build forced, with the AVX2-only choice a machine without
 * AVX-512 makes (simulated through a CPU description without the AVX-512 flags, so an AVX-512 machine tests the AVX2
 * path too), and a choice this CPU cannot run, which must be refused with one line.
 */
class NativeStartupIT {
  @TempDir
  static Path dir;
  static Path config;

  @BeforeAll
  static void data() throws Exception {
    Path data = dir.resolve("sysu");
    Launcher.Run synth = Launcher.run(dir, Map.of(), 300, "synth", "--layout", "sysu", "--out", data.toString(),
        "--ids", "8", "--test-ids", "4", "--size", "64x32", "--images", "2", "--camera-presence", "1");
    assertThat(synth.status()).as(synth.describe()).isZero();
    config = dir.resolve("fast.yaml");
    Files.writeString(config, """
        name: native-step
        seed: 5
        data: {type: sysu, root: %s, workers: 1, params: {holdout: 2}}
        input: {height: 64, width: 32}
        sampler: {identities: 3, instances: 2}
        branches:
          shared:
            encoder: {type: fast-resnet, params: {width: 8, stages: [1, 1], observationSize: 32}}
            bottleneck: {type: mlp, params: {dim: 16}}
        losses:
          - {type: ce, branch: shared}
          - {type: triplet, branch: shared}
        schedule: {epochs: 1, batchesPerEpoch: 1}
        """.formatted(data));
  }

  /** Trains one step in a fresh JVM through the launcher; returns train.log. */
  private static String trainOneStep(String name, Map<String, String> env, String javaOpts) throws Exception {
    Path run = dir.resolve(name);
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("IBREID_JAVA_OPTS", "-Xmx1g " + javaOpts);
    Launcher.Run r = Launcher.run(dir, all, 600, "train", "--config", config.toString(), "--out", run.toString(),
        "--quiet");
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.status()).as(r.describe()).isZero();
    assertThat(r.err()).as(r.describe()).isEmpty();
    assertThat(run.resolve("checkpoints").resolve("iter-00000001")).isDirectory();
    return Files.readString(run.resolve("train.log"));
  }

  private static String nativeLine(String trainLog) {
    return trainLog.lines().filter(l -> l.contains("native build ")).collect(Collectors.joining("\n"));
  }

  @Test
  void aFastResnetStepRunsWithTheBuildChosenForThisCpu() throws Exception {
    CpuInfo cpu = CpuInfo.read();
    NativeBuild expected = NativeChoice.choose(cpu.flags(), !cpu.flags().isEmpty(), null, "-", b -> true).build();
    String line = nativeLine(trainOneStep("auto", Map.of("IBREID_NATIVE", ""), ""));
    assertThat(line).contains("native build " + expected.id() + " (auto: ")
        .contains("/linux-x86_64" + expected.extension() + "/libjnind4jcpu.so");
  }

  @Test
  void theSameStepRunsWithThePlainBuildForced() throws Exception {
    String line = nativeLine(trainOneStep("plain", Map.of("IBREID_NATIVE", "plain"), ""));
    assertThat(line).contains("native build plain (asked for by IBREID_NATIVE=plain)")
        .contains("/linux-x86_64/libjnind4jcpu.so").contains("capped at SSE41 by DNNL_MAX_CPU_ISA");
  }

  @Test
  void theStepRunsWithLibnd4jsOpsWhenDirectOneDnnIsOff() throws Exception {
    String line = nativeLine(trainOneStep("dnnl-off", Map.of("IBREID_NATIVE", "", "IBREID_DNNL", "off"), ""));
    assertThat(line).contains("off (ibreid.dnnl/IBREID_DNNL); libnd4j's ops are used");
  }

  @Test
  void aMachineWithoutAvx512GetsTheAvx2Build() throws Exception {
    CpuInfo cpu = CpuInfo.read();
    org.junit.jupiter.api.Assumptions.assumeTrue(NativeBuild.ONEDNN_AVX2.missing(cpu.flags()).isEmpty(),
        "this CPU cannot run the AVX2 build");
    Path avx2Only = dir.resolve("cpuinfo-avx2");
    Files.writeString(avx2Only, Files.readString(Path.of("/proc/cpuinfo")).replaceAll(" avx512[a-z0-9_]*", ""));
    String line = nativeLine(trainOneStep("avx2", Map.of("IBREID_NATIVE", ""), "-Dibreid.cpuinfo=" + avx2Only));
    assertThat(line).contains("native build onednn-avx2 (auto: CPU has avx, avx2, fma (passed over onednn-avx512: "
        + "CPU lacks avx512f, avx512bw, avx512dq, avx512vl))").contains("/linux-x86_64-onednn-avx2/libjnind4jcpu.so")
        .contains("oneDNN 2.5.2 loaded (the fast encoder's convolutions and batch norm), capped at AVX2");
  }

  @Test
  void aBuildTheCpuCannotRunIsRefusedWithOneLine() throws Exception {
    Path sseOnly = dir.resolve("cpuinfo-sse");
    Files.writeString(sseOnly, "vendor_id\t: GenuineIntel\nmodel name\t: Old CPU\nflags\t\t: fpu sse sse2 sse4_2\n");
    Launcher.Run r = Launcher.run(dir, Map.of("IBREID_NATIVE", "onednn-avx2",
        "IBREID_JAVA_OPTS", "-Xmx256m -Dibreid.cpuinfo=" + sseOnly), 120, "doctor", "--system");
    assertThat(r.status()).as(r.describe()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("ibreid: IBREID_NATIVE=onednn-avx2: the onednn-avx2 native build needs CPU flags "
        + "this CPU lacks: avx, avx2, fma (remove the setting, or use auto, to let ibreid choose)\n");
    assertThat(dir.toFile().list((d, n) -> n.startsWith("hs_err"))).isEmpty();
  }

  @Test
  void doctorSystemSaysWhatWasSeenAndChosen() throws Exception {
    Launcher.Run r = Launcher.run(dir, Map.of("IBREID_NATIVE", "plain", "IBREID_JAVA_OPTS", "-Xmx512m"), 120,
        "doctor", "--system");
    assertThat(r.status()).as(r.describe()).isZero();
    assertThat(r.out()).contains("cpu: ", "native build: plain (asked for by IBREID_NATIVE=plain)",
        "loaded from: ", "/linux-x86_64/libjnind4jcpu.so", "openblas kernels: ", "onednn (direct): oneDNN 2.5.2 loaded",
        "threads: ", "BLAS threads: ",
        "while training 1 (default", "heap: max 0.50 GiB");
  }
}
