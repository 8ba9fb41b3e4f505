package io.ibreid.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ibreid.core.IbreidException;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.run.Checkpoints;
import io.ibreid.core.testing.TrainMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Non-finite guards, damaged checkpoints, unwritable run folders, and a run killed with SIGKILL then resumed. */
class ReliabilityTest {
  static final String NAN_TERM = "losses.4={type: nan-at, branch: visible, weight: 0.0, params: {iterations: [5]}}";

  @Test
  void aNonFiniteLossStopsNamingTheTermAndIterationAndKeepsTheLastCheckpoint(@TempDir Path dir) {
    RunConfig c = ConfigLoader.parse(TrainerTest.YAML, List.of(NAN_TERM, "checkpoint.everyIterations=2"));
    assertThatThrownBy(() -> TrainerTest.trainer(c, dir).train(false, new TrainerTest.Recorder()))
        .isInstanceOf(NonFiniteException.class)
        .hasMessage("the value or gradient of loss term [nan-at_visible] is not finite at iteration 5; training "
            + "stopped, the last good checkpoint is " + dir.resolve("checkpoints/iter-00000004"));
    assertThat(Checkpoints.verify(dir.resolve("checkpoints/iter-00000004"))).isEmpty();
    assertThat(new Checkpoints(dir.resolve("checkpoints"), 2).latestValid()).contains(
        dir.resolve("checkpoints/iter-00000004"));
  }

  @Test
  void aNonFiniteGradientIsCaughtToo(@TempDir Path dir) {
    RunConfig c = ConfigLoader.parse(TrainerTest.YAML, List.of(NAN_TERM.replace("iterations: [5]",
        "iterations: [1], gradientOnly: true").replace("weight: 0.0", "weight: 1.0")));
    assertThatThrownBy(() -> TrainerTest.trainer(c, dir).train(false, new TrainerTest.Recorder()))
        .hasMessage("the value or gradient of loss term [nan-at_visible] is not finite at iteration 1; training "
            + "stopped, no checkpoint was written yet");
  }

  @Test
  void skipModeDropsTheBatchAndCarriesOn(@TempDir Path dir) throws IOException {
    RunConfig c = ConfigLoader.parse(TrainerTest.YAML, List.of(NAN_TERM, "onNonFinite=skip"));
    TrainingSummary s = TrainerTest.trainer(c, dir).train(false, new TrainerTest.Recorder());
    assertThat(s.iterations()).isEqualTo(16);
    assertThat(s.skippedBatches()).isEqualTo(1);
    List<JsonNode> m = MetricsLog.read(dir.resolve("metrics.jsonl"));
    assertThat(m.get(5).path("skipped").asBoolean()).isTrue();
    assertThat(m.get(4).has("skipped")).isFalse();
  }

  @Test
  void aTruncatedNewestCheckpointIsIgnoredOnResume(@TempDir Path dir) throws IOException {
    RunConfig full = ConfigLoader.parse(TrainerTest.YAML, List.of("checkpoint.everyIterations=2", "checkpoint.keep=3"));
    Trainer whole = TrainerTest.trainer(full, dir.resolve("whole"));
    whole.train(false, new TrainerTest.Recorder());

    Path split = dir.resolve("split");
    TrainerTest.trainer(ConfigLoader.parse(TrainerTest.YAML, List.of("checkpoint.everyIterations=2",
        "checkpoint.keep=3", "schedule.maxIterations=6")), split).train(false, new TrainerTest.Recorder());
    Path newest = split.resolve("checkpoints/iter-00000006/model.zip");
    byte[] bytes = Files.readAllBytes(newest);
    Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThat(Checkpoints.verify(newest.getParent())).hasValueSatisfying(v -> assertThat(v).contains("checksum"));

    Trainer resumed = TrainerTest.trainer(full, split);
    TrainingSummary s = resumed.train(true, new TrainerTest.Recorder());
    assertThat(s.startIteration()).isEqualTo(4);
    assertThat(maxDiff(resumed.model().graph().params(), whole.model().graph().params())).isLessThan(1e-6);
  }

  @Test
  void anUnusableCheckpointFolderFailsWithOneLine(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("checkpoints"), "a file where the checkpoint folder should be");
    RunConfig c = ConfigLoader.parse(TrainerTest.YAML, List.of("schedule.maxIterations=2"));
    assertThatThrownBy(() -> TrainerTest.trainer(c, dir).train(false, new TrainerTest.Recorder()))
        .isInstanceOf(IbreidException.class)
        .hasMessageStartingWith("cannot write checkpoint " + dir.resolve("checkpoints/iter-00000002") + ": "
            + dir.resolve("checkpoints") + " is a file, not a folder");
  }

  @Test
  void aFullDiskLeavesThePreviousCheckpointIntact(@TempDir Path dir) throws Exception {
    Path config = writeConfig(dir);
    Path run = dir.resolve("run");
    Process first = child(config, run, "fresh", "", "schedule.maxIterations=4");
    assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).as(stderr(run, "fresh")).isZero();
    // Files may grow to 16 KiB: metrics lines fit, the next checkpoint's model.zip does not.
    Process full = child(config, run, "resume", "ulimit -f 16; ", "schedule.maxIterations=8");
    assertThat(full.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String err = stderr(run, "resume");
    assertThat(full.exitValue()).as(err).isEqualTo(3);
    assertThat(err.lines().filter(l -> l.startsWith("ERROR")).findFirst().orElse(err))
        .startsWith("ERROR cannot write checkpoint " + run.resolve("checkpoints/iter-00000008"))
        .contains("File too large")
        .endsWith("the previous checkpoint " + run.resolve("checkpoints/iter-00000004") + " is intact");
    assertThat(Checkpoints.verify(run.resolve("checkpoints/iter-00000004"))).isEmpty();
    assertThat(Files.readString(run.resolve("checkpoints/last")).trim()).isEqualTo("iter-00000004");
    assertThat(Files.list(run.resolve("checkpoints")).map(p -> p.getFileName().toString()))
        .noneMatch(n -> n.endsWith(".tmp"));
  }

  @Test
  void aRunKilledWithSigkillResumesToTheSameParameters(@TempDir Path dir) throws Exception {
    Path config = writeConfig(dir);
    List<String> slow = List.of("checkpoint.everyIterations=1",
        "losses.4={type: nan-at, branch: visible, weight: 0.0, params: {sleepMillis: 150}}");
    RunConfig cfg = ConfigLoader.load(config, slow);
    Trainer whole = TrainerTest.trainer(cfg, dir.resolve("whole"));
    whole.train(false, new TrainerTest.Recorder());

    Path run = dir.resolve("killed");
    Process p = child(config, run, "fresh", "", slow.toArray(String[]::new));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    java.util.Random random = new java.util.Random();
    int killAfter = 4 + random.nextInt(7);
    while (System.nanoTime() < deadline && lines(run.resolve("metrics.jsonl")) < killAfter && p.isAlive()) {
      Thread.sleep(20);
    }
    Thread.sleep(random.nextInt(150));
    assertThat(p.isAlive()).as("child still training when killed").isTrue();
    p.destroyForcibly(); // SIGKILL
    p.waitFor(30, TimeUnit.SECONDS);

    Process resumed = child(config, run, "resume", "", slow.toArray(String[]::new));
    assertThat(resumed.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(resumed.exitValue()).as(stderr(run, "resume")).isZero();

    Trainer check = TrainerTest.trainer(cfg, dir.resolve("check"));
    check.model().load(run.resolve("checkpoints/iter-00000016/model.zip"));
    assertThat(maxDiff(check.model().graph().params(), whole.model().graph().params()))
        .as("killed after about %d iterations", killAfter).isLessThan(1e-6);
    List<JsonNode> a = MetricsLog.read(dir.resolve("whole/metrics.jsonl"));
    List<JsonNode> b = MetricsLog.read(run.resolve("metrics.jsonl"));
    assertThat(b).hasSize(16);
    for (int i = 0; i < 16; i++) {
      assertThat(b.get(i).get("iteration").asLong()).isEqualTo(i);
      assertThat(b.get(i).get("loss").asDouble()).isCloseTo(a.get(i).get("loss").asDouble(),
          org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  static double maxDiff(INDArray a, INDArray b) {
    return a.sub(b).amaxNumber().doubleValue();
  }

  private static Path writeConfig(Path dir) throws IOException {
    Path f = dir.resolve("config.yaml");
    Files.writeString(f, TrainerTest.YAML);
    return f;
  }

  private static long lines(Path f) throws IOException {
    if (!Files.exists(f)) {
      return 0;
    }
    return Files.readAllLines(f).stream().filter(l -> l.endsWith("}")).count();
  }

  private static Process child(Path config, Path run, String mode, String shellPrefix, String... overrides)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    // the child loads the build this test JVM chose (NativeTestSession), whatever IBREID_NATIVE says
    cmd.add("-D" + io.ibreid.core.natives.NativeRuntime.PROPERTY + "="
        + io.ibreid.core.natives.NativeRuntime.select().build().id());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(TrainMain.class.getName());
    cmd.add(config.toString());
    cmd.add(run.toString());
    cmd.add(mode);
    cmd.addAll(List.of(overrides));
    String line = shellPrefix + "exec " + String.join(" ", cmd.stream().map(ReliabilityTest::quote).toList());
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", line);
    pb.redirectError(run.resolveSibling(run.getFileName() + "-" + mode + ".err").toFile());
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Files.createDirectories(run.getParent());
    return pb.start();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String stderr(Path run, String mode) throws IOException {
    Path f = run.resolveSibling(run.getFileName() + "-" + mode + ".err");
    return Files.exists(f) ? Files.readString(f) : "";
  }
}
