package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit codes, one-line errors, the train/resume cycle. */
class IbreidCliTest {
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = IbreidCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  static final String CONFIG = """
      name: cli-test
      seed: 5
      data: {type: tiny, root: unused, params: {classes: 6, batches: 3}}
      input: {height: 16, width: 8}
      sampler: {identities: 3, instances: 4}
      branches:
        visible:
          encoder: {type: small-resnet, params: {width: 4, stages: [1], observationSize: 8}}
          bottleneck: {type: mlp, params: {dim: 4, hidden: []}}
      losses:
        - {type: ce, branch: visible}
        - {type: triplet, branch: visible}
      schedule: {epochs: 2}
      """;

  @Test
  void versionAndHelp() {
    Result v = run("--version");
    assertThat(v.code()).isZero();
    assertThat(v.out()).startsWith("ibreid ");
    Result h = run("--help");
    assertThat(h.code()).isZero();
    assertThat(h.out()).contains("plugins", "train");
    for (String sub : new String[] {"demo", "ablation", "train", "synth", "eval", "extract", "eval-features", "tsne",
        "probe", "doctor", "plugins"}) {
      Result s = run(sub, "--help");
      assertThat(s.code()).as(sub + ": " + s.err()).isZero();
      assertThat(s.out()).as(sub).contains("Usage: ibreid " + sub);
    }
  }

  @Test
  void pluginsListsEveryKind() {
    Result r = run("plugins");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("encoders:", "small-resnet", "resnet50", "bottlenecks:", "mlp", "losses:", "ce",
        "triplet", "datasets:");
  }

  @Test
  void trainsThenResumesARun(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, CONFIG);
    Path run = dir.resolve("run");
    Result r = run("train", "--config", cfg.toString(), "--out", run.toString(), "--quiet",
        "--set", "schedule.maxIterations=4");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("trained 4 iterations");
    assertThat(run.resolve("train.log")).exists();
    assertThat(Files.readString(run.resolve("train.log"))).contains("Training cli-test for 4 iterations");
    Result resumed = run("train", "--out", run.toString(), "--resume", "--quiet", "--set", "schedule.maxIterations=0");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.out()).startsWith("trained 2 iterations");
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(6);
  }

  @Test
  void userErrorsAreOneLineWithExitCode2(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, CONFIG);
    Path run = dir.resolve("run");
    assertOneLine(run("train", "--config", cfg.toString(), "--out", run.toString(), "--set", "schedule.epoch=3"),
        "ibreid: config key [schedule.epoch] is not known");
    assertOneLine(run("train", "--config", cfg.toString(), "--out", run.toString(), "--set", "losses.0.type=vsdd"),
        "ibreid: Unknown loss [vsdd], known options [");
    assertOneLine(run("train", "--config", cfg.toString(), "--out", run.toString(), "--set",
        "branches.visible.bottleneck.params.dim=0"), "ibreid: mlp: dim (the z size) must be > 0, got 0");
    assertOneLine(run("train", "--config", dir.resolve("none.yaml").toString(), "--out", run.toString()),
        "ibreid: config file " + dir.resolve("none.yaml") + " does not exist");
    assertOneLine(run("train", "--out", dir.resolve("empty").toString(), "--resume"),
        "ibreid: cannot resume: " + dir.resolve("empty/config.yaml") + " does not exist");
    assertOneLine(run("train", "--config", cfg.toString()), "ibreid: Missing required option: '--out=RUN_DIR'");
    Result debug = run("train", "--config", cfg.toString(), "--out", run.toString(), "--set", "sampler.instances=3",
        "--debug");
    assertThat(debug.code()).isEqualTo(2);
    assertThat(debug.err()).startsWith("ibreid: config key [sampler.instances] = [3]").contains("\tat ");
    assertThat(run).as("a run rejected before it started leaves no directory").doesNotExist();
  }

  private static void assertOneLine(Result r, String prefix) {
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith(prefix);
  }
}
