package io.ibreid.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.IbreidException;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.testing.LockHolder;
import io.ibreid.core.train.NonFiniteException;
import io.ibreid.core.train.TrainerTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory belongs to one run (issue 29): training into a directory that holds another run, or checkpoints of
 * this one, is refused and changes nothing; --overwrite moves the old run aside; a second process is locked out,
 * the lock of a killed process is not; a run that fails before its first checkpoint leaves nothing behind.
 */
class RunClaimTest {
  static final List<String> SHORT = List.of("schedule.maxIterations=4");

  static RunConfig config(String... more) {
    List<String> o = new java.util.ArrayList<>(SHORT);
    o.addAll(List.of(more));
    return ConfigLoader.parse(TrainerTest.YAML, o);
  }

  @Test
  void aFinishedRunIsRefusedNamingTheFirstDifferenceAndNothingChanges(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    TrainerTest.trainer(config(), run).train(false, new TrainerTest.Recorder());
    String metrics = Files.readString(run.resolve("metrics.jsonl"));
    String yaml = Files.readString(run.resolve("config.yaml"));
    List<Path> checkpoints = new Checkpoints(run.resolve("checkpoints"), 2).list();

    assertThatThrownBy(() -> TrainerTest.trainer(config("seed=5"), run).train(false, new TrainerTest.Recorder()))
        .isInstanceOf(IbreidException.class)
        .hasMessage("run directory " + run + " holds another run ([seed] is 11 there, 5 here); resume it (--resume), "
            + "train into another directory (--out), or move it aside first (--overwrite)");
    assertThatThrownBy(() -> TrainerTest.trainer(config("losses.0.weight=0.5"), run).train(false,
        new TrainerTest.Recorder())).hasMessageContaining("([losses.0.weight] is 1.0 there, 0.5 here)");
    assertThatThrownBy(() -> TrainerTest.trainer(config(), run).train(false, new TrainerTest.Recorder()))
        .hasMessage("run directory " + run + " already holds a run of this config (checkpoints up to iter-00000004); "
            + "resume it (--resume), train into another directory (--out), or move it aside first (--overwrite)");
    assertThatThrownBy(() -> TrainerTest.trainer(config("seed=5"), run).train(true, new TrainerTest.Recorder()))
        .hasMessage("cannot resume " + run + " with another config: [seed] is 11 there, 5 here; resume it with its own "
            + "config.yaml (no --config), or train into another directory (--out)");

    assertThat(Files.readString(run.resolve("metrics.jsonl"))).isEqualTo(metrics);
    assertThat(Files.readString(run.resolve("config.yaml"))).isEqualTo(yaml);
    assertThat(new Checkpoints(run.resolve("checkpoints"), 2).list()).isEqualTo(checkpoints);
    // what may change on resume (the schedule, to train longer) does
    TrainerTest.trainer(config("schedule.maxIterations=6"), run).train(true, new TrainerTest.Recorder());
    assertThat(new Checkpoints(run.resolve("checkpoints"), 2).latestValid()).contains(
        run.resolve("checkpoints/iter-00000006"));
  }

  @Test
  void overwriteMovesTheOldRunAsideWhole(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    TrainerTest.trainer(config(), run).train(false, new TrainerTest.Recorder());
    String metrics = Files.readString(run.resolve("metrics.jsonl"));
    RunConfig other = config("seed=5");
    try (RunClaim claim = RunClaim.claim(run, other, RunClaim.Mode.OVERWRITE)) {
      assertThat(claim.movedAside()).contains(dir.resolve("run.replaced-1").toAbsolutePath());
      TrainerTest.trainer(other, run).train(claim, new TrainerTest.Recorder());
      claim.succeeded();
    }
    Path aside = dir.resolve("run.replaced-1");
    assertThat(Files.readString(aside.resolve("metrics.jsonl"))).isEqualTo(metrics);
    assertThat(ConfigLoader.load(aside.resolve("config.yaml"), List.of()).seed).isEqualTo(11);
    assertThat(Checkpoints.verify(aside.resolve("checkpoints/iter-00000004"))).isEmpty();
    assertThat(ConfigLoader.load(run.resolve("config.yaml"), List.of()).seed).isEqualTo(5);
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(4);
  }

  @Test
  void aSecondClaimIsLockedOutAndTheLockOfAKilledProcessIsNot(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    Files.createDirectories(run);
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), LockHolder.class.getName(), run.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).startsWith("locked");
      assertThat(RunLock.holder(run)).contains(holder.pid());
      assertThatThrownBy(() -> RunClaim.claim(run, config(), RunClaim.Mode.FRESH))
          .hasMessage("run directory " + run + " is in use: process " + holder.pid() + " is training in it; wait for "
              + "it to finish, or train into another --out");
      holder.destroyForcibly(); // SIGKILL: no chance to release anything
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(RunLock.holder(run)).isEmpty();
      try (RunClaim claim = RunClaim.claim(run, config(), RunClaim.Mode.FRESH)) {
        // and in one process, a second claim of the same directory is refused too
        assertThatThrownBy(() -> RunClaim.claim(run, config(), RunClaim.Mode.FRESH))
            .hasMessageStartingWith("run directory " + run + " is in use: process " + ProcessHandle.current().pid());
        claim.succeeded();
      }
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void aRunThatFailsBeforeItsFirstCheckpointLeavesNothingBehind(@TempDir Path dir) throws Exception {
    RunConfig nan = config("losses.4={type: nan-at, branch: visible, weight: 1.0, params: {iterations: [1]}}");
    Path fresh = dir.resolve("fresh");
    assertThatThrownBy(() -> TrainerTest.trainer(nan, fresh).train(false, new TrainerTest.Recorder()))
        .isInstanceOf(NonFiniteException.class);
    assertThat(fresh).doesNotExist();
    Path existing = Files.createDirectories(dir.resolve("existing"));
    Files.writeString(existing.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> TrainerTest.trainer(nan, existing).train(false, new TrainerTest.Recorder()))
        .isInstanceOf(NonFiniteException.class);
    try (var s = Files.list(existing)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
    }
    // once a checkpoint exists, a failure keeps the run (it can be resumed)
    RunConfig late = config("checkpoint.everyIterations=2",
        "losses.4={type: nan-at, branch: visible, weight: 1.0, params: {iterations: [3]}}");
    Path kept = dir.resolve("kept");
    assertThatThrownBy(() -> TrainerTest.trainer(late, kept).train(false, new TrainerTest.Recorder()))
        .isInstanceOf(NonFiniteException.class);
    assertThat(Checkpoints.verify(kept.resolve("checkpoints/iter-00000002"))).isEmpty();
  }

  @Test
  void aFileWhereTheRunDirectoryShouldBeIsOneLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("run"), "x");
    assertThatThrownBy(() -> RunClaim.claim(file, config(), RunClaim.Mode.FRESH))
        .hasMessage("run directory " + file + " is a file; expected a folder (a new one, or a run to resume)");
  }

  @Test
  void anInterruptedBestCheckpointWriteIsRepairedAndTemporariesRemoved(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    TrainerTest.trainer(config("checkpoint.everyIterations=2"), run).train(false, new TrainerTest.Recorder());
    Path ckpts = run.resolve("checkpoints");
    Checkpoints c = new Checkpoints(ckpts, 2);
    c.saveBest(ckpts.resolve("iter-00000004"), java.util.Map.of("score", 1.0));
    // a crash between "best -> .best.old" and ".best.tmp -> best"; and leftovers of a killed checkpoint write
    Files.move(ckpts.resolve("best"), ckpts.resolve(".best.old"));
    Files.createDirectories(ckpts.resolve(".best.tmp"));
    Files.createDirectories(ckpts.resolve(".iter-00000006.tmp"));
    Files.writeString(ckpts.resolve(".last.999999999-1.tmp"), "iter-0000000");
    try (RunClaim claim = RunClaim.claim(run, config("checkpoint.everyIterations=2"), RunClaim.Mode.RESUME)) {
      claim.succeeded();
    }
    assertThat(Checkpoints.verify(ckpts.resolve("best"))).isEmpty();
    try (var s = Files.list(ckpts)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("iter-00000002",
          "iter-00000004", "best", "best.json", "last");
    }
  }
}
