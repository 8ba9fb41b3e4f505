package io.ibreid.ablation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.data.synthetic.SyntheticGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26, item 2, at test size: from the same initial shared branch and batches, full's shared branch follows
 * crossview's to rounding (no term of the paper's full method couples the specific branches to the shared one),
 * while a term that does couple them (the Sinkhorn term between the visible and the shared branch's predictions)
 * moves it apart within a few steps.
 */
class SharedTrajectoryTest {
  private static final Path CONFIGS = Path.of("").toAbsolutePath().getParent().resolve("configs");

  static List<String> tiny(Path sysu, String... branches) {
    List<String> o = new ArrayList<>(List.of("data.root=" + sysu, "input.height=32", "input.width=16",
        "sampler.identities=3", "sampler.instances=2", "data.params.holdout=0", "data.workers=1",
        "log.everyIterations=1", "schedule.epochs=1", "seed=3"));
    for (String b : branches) {
      o.add("branches." + b + ".encoder.params={width: 4, stages: [1], observationSize: 8}");
      o.add("branches." + b + ".bottleneck.params.hidden=[]");
      o.add("branches." + b + ".bottleneck.params.dim=6");
    }
    return o;
  }

  @Test
  void fullsSharedBranchIsCrossviewsAndACouplingTermIsSeen(@TempDir Path dir) {
    Path sysu = dir.resolve("sysu");
    SyntheticGenerator.generate(SyntheticGenerator.Spec.of(SyntheticGenerator.Layout.SYSU, 8, 8, 32, 16, 2, 1.0, 1),
        sysu, 1);
    RunConfig crossview = ConfigLoader.load(CONFIGS.resolve("crossview.yaml"), tiny(sysu, "shared"));
    List<String> three = tiny(sysu, "visible", "infrared", "shared");
    RunConfig full = ConfigLoader.load(CONFIGS.resolve("full.yaml"), three);

    SharedTrajectory.Result same = SharedTrajectory.run(crossview, full, 6, dir.resolve("a"), s -> true);
    assertThat(same.trace()).hasSize(6);
    assertThat(same.parameters()).isGreaterThan(100);
    assertThat(same.sameToRounding()).as(same.summary()).isTrue();
    assertThat(same.trace().get(0).maxRel()).as(same.summary()).isLessThan(1e-6);
    assertThat(same.gradient().step()).isZero();
    assertThat(same.gradient().maxRel()).as(same.summary()).isLessThan(1e-5);

    List<String> coupled = new ArrayList<>(three);
    coupled.add("losses.16={type: sinkhorn, name: coupling, weight: 8.0, params: {epsilon: 0.5}, "
        + "inputs: {p: visible.v_logits, q: shared.visible.v_logits}}");
    RunConfig tied = ConfigLoader.load(CONFIGS.resolve("full.yaml"), coupled);
    // at initialisation the predictions are near uniform and the coupling's gradient is small (and the first step's
    // learning rate is the warm-up's tenth): the difference shows from the second step on
    SharedTrajectory.Result apart = SharedTrajectory.run(crossview, tied, 3, dir.resolve("b"), s -> true);
    assertThat(apart.sameToRounding()).as(apart.summary()).isFalse();
    assertThat(apart.trace().get(2).maxRel()).as(apart.summary()).isGreaterThan(1e-4);
    assertThat(apart.summary()).contains("NOT the same to rounding", "gradients of the shared parameters");
  }
}
