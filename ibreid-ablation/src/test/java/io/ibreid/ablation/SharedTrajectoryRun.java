package io.ibreid.ablation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.natives.NativeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-off trajectory test of docs/ablation-v3/design.md §9, not part of CI: {@code crossview} and {@code full} as
 * the third design's RegDB block trains them (RegDB lab, trial 1, seed 1, the ablation's budget overrides), for
 * {@code -Dibreid.trajectory.steps=N} steps from the same initial shared branch, recording steps 1–10 and every tenth
 * (and, as a control, crossview against itself from the same weights); {@code -Dibreid.trajectory.precision=double}
 * trains both in double precision (rounding then ~1e-16: a coupling would stay as large as in float);
 * writes {@code -Dibreid.trajectory.out=FILE} (docs/ablation-v3/trajectory.json). The RegDB lab must exist at
 * {@code -Dibreid.trajectory.regdb=DIR}. Run with
 * {@code mvn -B -o -pl ibreid-ablation -am verify -Dtest=SharedTrajectoryRun -Dsurefire.failIfNoSpecifiedTests=false
 * -Dibreid.trajectory.steps=300 -Dibreid.trajectory.out=$PWD/docs/ablation-v3/trajectory.json
 * -Dibreid.trajectory.regdb=$PWD/data/lab-regdb}.
 */
@EnabledIfSystemProperty(named = "ibreid.trajectory.steps", matches = "\\d+")
class SharedTrajectoryRun {
  private static final Path CONFIGS = Path.of("").toAbsolutePath().getParent().resolve("configs");

  @Test
  void regdbTrialOne(@TempDir Path dir) throws Exception {
    int steps = Integer.parseInt(System.getProperty("ibreid.trajectory.steps"));
    Path regdb = Path.of(System.getProperty("ibreid.trajectory.regdb"));
    Path out = Path.of(System.getProperty("ibreid.trajectory.out"));
    assertThat(regdb).isDirectory();
    List<String> o = new ArrayList<>(List.of("data.type=" + AblationDefaults.REGDB_TYPE, "data.root=" + regdb));
    o.addAll(AblationPlanV3.budget(new AblationPlan.Settings(List.of(), 5, AblationDefaults.ITERATIONS,
        AblationDefaults.EPOCHS, 10, regdb, "", null, 0, List.of(), 0, 0, regdb, List.of(), true, "libnd4j")));
    o.add("data.params.trial=1");
    o.add("seed=1");
    String precision = System.getProperty("ibreid.trajectory.precision", "float");
    o.add("precision=" + precision);
    RunConfig crossview = ConfigLoader.load(CONFIGS.resolve("crossview.yaml"), o);
    RunConfig full = ConfigLoader.load(CONFIGS.resolve("full.yaml"), o);
    long t0 = System.nanoTime();
    boolean before = NativeRuntime.directKernelsAllowed();
    NativeRuntime.allowDirectKernels(false); // the ablation's kernels (libnd4j)
    SharedTrajectory.Result r;
    SharedTrajectory.Result control;
    try {
      r = SharedTrajectory.run(crossview, full, steps, dir.resolve("full"), s -> s <= 10 || s % 10 == 0);
      // the control: crossview against itself from the same weights, to show the training is deterministic
      control = SharedTrajectory.run(crossview, crossview, steps, dir.resolve("control"), s -> s <= 10 || s % 10 == 0);
    } finally {
      NativeRuntime.allowDirectKernels(before);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("what", "docs/ablation-v3/design.md section 9: crossview and full (RegDB lab, trial 1, seed 1, the "
        + "ablation's budget overrides, libnd4j kernels), the same initial shared-branch parameters, " + steps
        + " steps, " + precision + " precision");
    json.put("summary", r.summary());
    json.put("sameToRounding", r.sameToRounding());
    json.put("bound", SharedTrajectory.SAME_TO_ROUNDING);
    json.put("parameters", r.parameters());
    json.put("gradient", r.gradient());
    json.put("trace", r.trace());
    json.put("control", Map.of("summary", control.summary(), "gradient", control.gradient(), "last",
        control.trace().get(control.trace().size() - 1)));
    json.put("seconds", (System.nanoTime() - t0) / 1e9);
    Files.createDirectories(out.getParent());
    AtomicFiles.writeString(out, AblationPlan.JSON.writeValueAsString(json) + "\n");
  }
}
