package io.ibreid.ablation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ibreid.core.IbreidException;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.train.IterationRecord;
import io.ibreid.core.train.TrainerListener;
import io.ibreid.data.synthetic.SyntheticGenerator;
import io.ibreid.eval.run.RunEvaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ablation through its public API only, as a Java user runs it without the command line: a tiny design (one
 * variant, one seed, 4 iterations of a 4-wide encoder on a generated 32x16 lab, no RegDB table, no z-dim sweep)
 * planned, run with a listener, resumed, refused when the design changes, and reported again.
 */
class AblationTest {
  private static final Path CONFIGS = Path.of("").toAbsolutePath().getParent().resolve("configs");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every event, as one line each; the training listeners it handed out, and whether each was closed. */
  static final class Recorder implements AblationListener {
    final List<String> events = new ArrayList<>();
    final List<Training> trainings = new ArrayList<>();

    @Override
    public void onPlan(AblationPlan plan) {
      events.add("plan " + plan.runs().size());
    }

    @Override
    public void onPlanFile(Path planFile, PlanFile state) {
      events.add("planFile " + state + " " + planFile.getFileName());
    }

    @Override
    public void onRunStart(AblationPlan.Run run, int index, int count, Duration elapsed) {
      events.add("start " + index + "/" + count + " " + run.describe());
    }

    @Override
    public void onRunReused(AblationPlan.Run run, Path metrics) {
      events.add("reused " + run.id());
    }

    @Override
    public TrainerListener training(AblationPlan.Run run) {
      Training t = new Training();
      trainings.add(t);
      return t;
    }

    @Override
    public void onRunEvaluated(AblationPlan.Run run, List<RunEvaluation.SetResults> results) {
      events.add("evaluated " + run.id() + " " + results.get(0).results().stream().map(RunEvaluation.Result::key)
          .toList());
    }

    @Override
    public void onProbe(AblationPlan.Run run, boolean reused) {
      events.add("probe " + run.variant() + (reused ? " reused" : ""));
    }

    @Override
    public void onReport(Path markdown) {
      events.add("report");
    }

    @Override
    public void onFinish(Duration elapsed, Path markdown) {
      events.add("finish " + markdown.getFileName());
    }
  }

  static final class Training implements TrainerListener, AutoCloseable {
    int iterations;
    boolean directKernels = true;
    boolean closed;

    @Override
    public void onIteration(IterationRecord r) {
      iterations++;
      directKernels &= NativeRuntime.directKernelsAllowed();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** A generated 32x16 SYSU-layout lab under {@code dir} (8 training, 8 test identities) and the tiny design on it. */
  static AblationDesign tiny(Path dir) {
    Path sysu = dir.resolve("sysu");
    SyntheticGenerator.generate(SyntheticGenerator.Spec.of(SyntheticGenerator.Layout.SYSU, 8, 8, 32, 16, 2, 1.0, 1),
        sysu, 1);
    return tinyOn(sysu, dir);
  }

  /** The tiny design on the SYSU-layout lab at {@code sysu}. */
  static AblationDesign tinyOn(Path sysu, Path dir) {
    return AblationDesign.defaults(CONFIGS, sysu, dir.resolve("no-regdb")).withVariants(List.of("baseline-ce"))
        .withSeeds(1).withBudget(4, 2).withSysuTrials(2).withZdimSweep("vsd-shared", null, 0)
        .withRegdb(List.of(), 1, 1, dir.resolve("no-regdb")).withProbes(true, 1)
        .withOverrides(List.of("input.height=32", "input.width=16", "sampler.identities=3", "sampler.instances=2",
            "data.params.holdout=2", "data.workers=1", "log.everyIterations=1",
            "branches.shared.encoder.params={width: 4, stages: [1], observationSize: 8}",
            "branches.shared.bottleneck.params.hidden=[]"));
  }

  @Test
  void planRunResumeRefuseAndReport(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("ablation");
    AblationDesign design = tiny(dir);

    Ablation.PlanCheck before = Ablation.plan(design, out);
    assertThat(before.exists()).isFalse();
    assertThat(before.matches()).isFalse();
    assertThat(before.plan().runs()).extracting(AblationPlan.Run::id).containsExactly("runs/baseline-ce/seed-1");
    assertThat(before.plan().zdims()).isEmpty();
    assertThat(before.estimate()).startsWith("estimated wall time: unknown (no train.log under ");
    assertThat(before.plan().summary()).contains("1 runs of 4 iterations", "  regdb: none", "  zdim:  none");
    assertThat(out).doesNotExist();

    // the caller's kernel setting is restored; the runs use the design's (libnd4j: no direct oneDNN kernels)
    NativeRuntime.allowDirectKernels(true);
    Recorder first = new Recorder();
    Path md = Ablation.run(design, out, false, first);
    assertThat(NativeRuntime.directKernelsAllowed()).isTrue();
    assertThat(md).isEqualTo(out.resolve("ablation.md"));
    assertThat(first.events).containsExactly("plan 1", "planFile WRITTEN plan.json",
        "start 1/1 sysu baseline-ce seed 1", "evaluated runs/baseline-ce/seed-1 [sysu-all-1shot, sysu-indoor-1shot]",
        "report", "probe baseline-ce", "report", "report", "finish ablation.md");
    assertThat(first.trainings).hasSize(1);
    assertThat(first.trainings.get(0).iterations).isEqualTo(4);
    assertThat(first.trainings.get(0).directKernels).isFalse();
    assertThat(first.trainings.get(0).closed).isTrue();
    Path run = out.resolve("runs/baseline-ce/seed-1");
    for (String f : List.of("metrics.json", AblationPlan.RUN_FILE, AblationProbe.FILE, "train.log")) {
      assertThat(run.resolve(f)).exists();
    }
    for (String f : List.of(AblationPlan.FILE, "ablation.md", "ablation.json", "ablation.png", "probe.json")) {
      assertThat(out.resolve(f)).exists();
    }
    String report = Files.readString(md);
    assertThat(report).contains("| baseline-ce | 1 of 1 seeds |", "Kernels of the fast encoder: libnd4j",
        "## Probes of seed 1's best checkpoints", "| baseline-ce | shared.z |");
    JsonNode plan = JSON.readTree(out.resolve(AblationPlan.FILE).toFile());
    assertThat(plan.get("iterations").asInt()).isEqualTo(4);
    assertThat(plan.get("probes").asBoolean()).isTrue();
    assertThat(plan.get("kernels").asText()).isEqualTo("libnd4j");
    assertThat(JSON.readTree(run.resolve("metrics.json").toFile()).get("sysu-all-1shot").get("mAP").isNumber())
        .isTrue();

    // a second run reuses the run and the probe and trains nothing
    Recorder second = new Recorder();
    Ablation.run(design, out, false, second);
    assertThat(second.events).containsExactly("plan 1", "planFile RESUMED plan.json",
        "start 1/1 sysu baseline-ce seed 1", "reused runs/baseline-ce/seed-1", "report", "probe baseline-ce reused",
        "report", "report", "finish ablation.md");
    assertThat(second.trainings).isEmpty();
    Ablation.PlanCheck same = Ablation.plan(design, out);
    assertThat(same.matches()).isTrue();
    assertThat(same.estimate()).contains("for 0 of the 0 runs still to do", "1-branch runs at ");

    // another design: refused with one line naming the first difference, by run and by report alike
    AblationDesign longer = design.withBudget(6, 2);
    assertThat(Ablation.plan(longer, out).difference()).isEqualTo("iterations: 4 in plan.json, 6 now");
    assertThatThrownBy(() -> Ablation.run(longer, out, false, new AblationListener() {}))
        .isInstanceOf(IbreidException.class).hasMessageContaining("iterations: 4 in plan.json, 6 now")
        .hasMessageContaining("--new-plan");
    assertThatThrownBy(() -> Ablation.report(longer, out, new AblationListener() {}))
        .isInstanceOf(IbreidException.class).hasMessageContaining("--report-only needs the options it was run with");
    assertThatThrownBy(() -> Ablation.run(design.withKernels("fast"), out, false, new AblationListener() {}))
        .isInstanceOf(IbreidException.class).hasMessage("--kernels fast: expected libnd4j or onednn");
    assertThat(NativeRuntime.directKernelsAllowed()).isTrue();

    // report-only: the same report from the files on disk, dated as the report it replaces (so that the rewrite
    // is the same file on any day)
    Files.delete(md);
    Path json = out.resolve("ablation.json");
    Files.writeString(json,
        Files.readString(json).replaceFirst("\"date\" : \"[0-9-]+\"", "\"date\" : \"2020-01-02\""));
    Recorder third = new Recorder();
    assertThat(Ablation.report(design, out, third)).isEqualTo(md);
    assertThat(third.events).containsExactly("plan 1", "report");
    assertThat(Files.readString(md).lines().findFirst()).hasValue("# Ablation, 2020-01-02");
    assertThat(Files.readString(md).lines().skip(1)).containsExactlyElementsOf(report.lines().skip(1).toList());
    assertThat(Files.readString(json)).contains("\"date\" : \"2020-01-02\"");

    // the same lab at another path (same fingerprint): report-only reads the runs; training there is still refused
    Path moved = dir.resolve("moved").resolve("sysu");
    Files.createDirectories(moved.getParent());
    try (var files = Files.walk(dir.resolve("sysu"))) {
      for (Path p : files.toList()) {
        Files.copy(p, moved.resolve(dir.resolve("sysu").relativize(p).toString()));
      }
    }
    AblationDesign elsewhere = tinyOn(moved, dir);
    assertThat(Ablation.plan(elsewhere, out).difference()).startsWith("sysu.data: ");
    assertThat(Ablation.report(elsewhere, out, new AblationListener() {})).isEqualTo(md);
    assertThat(Files.readString(md)).contains("`" + moved + "`", "| baseline-ce | 1 of 1 seeds |");
    assertThatThrownBy(() -> Ablation.run(elsewhere, out, false, new AblationListener() {}))
        .isInstanceOf(IbreidException.class).hasMessageContaining("sysu.data: ");
    // other data there: refused by report-only too
    Files.writeString(moved.resolve("exp/test_id.txt"), "1,2,3\n");
    assertThatThrownBy(() -> Ablation.report(tinyOn(moved, dir), out, new AblationListener() {}))
        .isInstanceOf(IbreidException.class).hasMessageContaining("sysu.data: ")
        .hasMessageContaining("--report-only needs the options it was run with");
    // no lab there at all (a copy of a finished ablation on another machine): report-only reads the runs only and
    // stands the plan's fingerprint for the absent lab; training there is still refused
    Path absent = dir.resolve("elsewhere").resolve("sysu");
    String reported = Files.readString(out.resolve("ablation.json"));
    assertThat(Ablation.report(tinyOn(absent, dir), out, new AblationListener() {})).isEqualTo(md);
    assertThat(Files.readString(md)).contains("`" + absent + "`", "| baseline-ce | 1 of 1 seeds |");
    assertThat(Files.readString(out.resolve("ablation.json")).replace(absent.toString(), moved.toString()))
        .isEqualTo(reported);
    assertThat(absent).doesNotExist();
    assertThatThrownBy(() -> Ablation.run(tinyOn(absent, dir), out, false, new AblationListener() {}))
        .isInstanceOf(IbreidException.class).hasMessageContaining("sysu.data: ");
  }

  @Test
  void replacingThePlanMovesChangedRunsAsideAndKeepsTheOthers(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("ablation");
    AblationDesign one = tiny(dir).withProbes(false, 1);
    Ablation.run(one, out, false, new AblationListener() {});
    // a second seed: the plan changes (seeds), seed 1's run is unchanged and reused
    AblationDesign two = one.withSeeds(2);
    assertThatThrownBy(() -> Ablation.run(two, out, false, new AblationListener() {}))
        .isInstanceOf(IbreidException.class).hasMessageContaining("seeds: 1 in plan.json, 2 now");
    Recorder more = new Recorder();
    Ablation.run(two, out, true, more);
    assertThat(more.events).contains("planFile REPLACED plan.json", "reused runs/baseline-ce/seed-1");
    assertThat(more.trainings).hasSize(1);
    assertThat(Files.readString(out.resolve("ablation.md"))).contains("| baseline-ce | 2 of 2 seeds |");
    // a changed config for existing runs: moved aside, retrained
    List<String> moved = new ArrayList<>();
    List<String> overrides = new ArrayList<>(two.overrides());
    overrides.add("optimizer.lr=0.001");
    AblationDesign lr = two.withOverrides(overrides);
    Ablation.run(lr, out, true, new AblationListener() {
      @Override
      public void onRunMovedAside(AblationPlan.Run run, String why, Path aside) {
        moved.add(run.id() + ": " + why + " -> " + out.relativize(aside));
      }
    });
    assertThat(moved).containsExactly("runs/baseline-ce/seed-1: its run was planned differently "
        + "(config.optimizer.lr: 0.002 there, 0.001 now) -> runs/baseline-ce/seed-1.superseded-1",
        "runs/baseline-ce/seed-2: its run was planned differently (config.optimizer.lr: 0.002 there, 0.001 now) "
        + "-> runs/baseline-ce/seed-2.superseded-1");
    assertThat(out.resolve("runs/baseline-ce/seed-1.superseded-1/metrics.json")).exists();
    assertThat(out.resolve("runs/baseline-ce/seed-1/metrics.json")).exists();
  }

  @Test
  void defaultsAreTheCommittedDesign() {
    assertThat(AblationDefaults.VARIANTS).containsExactly("baseline-ce", "ib", "vib", "vsd-shared", "vsd",
        "crossview", "full", "full-release", "full-release-terms");
    assertThat(AblationDefaults.SEEDS).isEqualTo(5);
    assertThat(AblationDefaults.ITERATIONS).isEqualTo(1500);
    assertThat(AblationDefaults.EPOCHS).isEqualTo(10);
    assertThat(AblationDefaults.IDENTITIES * AblationDefaults.INSTANCES).isEqualTo(32);
    assertThat(AblationDefaults.ZDIM_DIVISORS.stream().map(f -> 512 / f).toList()).containsExactly(8, 16, 32, 64,
        128);
    assertThat(AblationDefaults.REGDB_VARIANTS).containsExactly("baseline-ce", "vsd-shared", "crossview", "full");
    AblationDesign d = AblationDesign.defaults(CONFIGS, Path.of("s"), Path.of("r"));
    assertThat(d.variants()).isEqualTo(AblationDefaults.VARIANTS);
    assertThat(List.of(d.seeds(), d.iterations(), d.epochs(), d.sysuTrials(), d.zdimSeeds(), d.regdbSeeds(),
        d.regdbTrials(), d.probeThreads())).containsExactly(5, 1500, 10, 10, 3, 1, 10, 2);
    assertThat(d.regdbVariants()).isEqualTo(AblationDefaults.REGDB_VARIANTS);
    assertThat(d.zdimVariant()).isEqualTo("vsd-shared");
    assertThat(d.zdims()).isNull();
    assertThat(d.probes()).isTrue();
    assertThat(d.overrides()).isEmpty();
    assertThat(d.kernels()).as("the committed run trained with libnd4j's kernels").isEqualTo("libnd4j");
  }
}
