package io.ibreid.ablation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.eval.stats.SequentialRule;
import io.ibreid.eval.stats.Verdict;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed third design is what docs/ablation-v3/design.md says: runs per phase, ids, costs, the walk. */
class AblationV3DesignTest {
  private static final Path CONFIGS = Path.of("").toAbsolutePath().getParent().resolve("configs");

  static AblationPlan plan(Path dir) throws Exception {
    AblationDesign d = AblationDesign.third(CONFIGS, dir.resolve("s"), dir.resolve("r"), dir.resolve("c"), List.of());
    return Ablation.plan(d, dir.resolve("out")).plan();
  }

  @Test
  void phasesIdsAndSeeds(@TempDir Path dir) throws Exception {
    AblationPlan p = plan(dir);
    // pilot: baseline-ce, ib and two variants x four betas; first look: 12 SYSU variants x 5 + 2 correlated x 5;
    // second look: 8 blocks x 5; tail: 4 controls x 3 + correlated ib-upper x 3 + RegDB 2 x 5 + z-dim 6 sizes x 3
    assertThat(List.of(0, 1, 2, 3).stream().map(ph -> p.runs().stream().filter(r -> r.phase() == ph).count())
        .toList()).containsExactly(10L, 70L, 40L, 43L);
    assertThat(p.runs()).extracting(AblationPlan.Run::id).contains("runs/pilot/vib-b0.001/seed-101",
        "runs/pilot/ib-upper-b1/seed-101", "runs/pilot/ib/seed-101", "runs/full-release/seed-5",
        "runs/corr/vsd-shared/seed-10", "runs/regdb/full/seed-4/trial-4", "runs/vsd-shared-z512/seed-3",
        "runs/vsd-shared-z8/seed-1");
    // z = 256 is the main table's vsd-shared, not a run of its own
    assertThat(p.runs()).extracting(AblationPlan.Run::id).doesNotContain("runs/vsd-shared-z256/seed-1");
    AblationPlan.Run corr = p.runs().stream().filter(r -> r.group().equals("corr")).findFirst().orElseThrow();
    assertThat(corr.config().data.params).containsEntry("correlation", 0.8);
    assertThat(corr.data()).isEqualTo("corr");
    AblationPlan.Run regdb = p.runs().stream().filter(r -> r.id().endsWith("trial-4")).findFirst().orElseThrow();
    assertThat(regdb.seed()).isEqualTo(4);
    assertThat(regdb.config().seed).isEqualTo(4);
    assertThat(regdb.config().data.params).containsEntry("trial", 4);
    AblationPlan.Run pilot = p.runs().stream().filter(r -> r.id().equals("runs/pilot/vib-b0.1/seed-101")).findFirst()
        .orElseThrow();
    assertThat(pilot.config().losses.get(4).params.get("beta")).isEqualTo(0.1);
    // the 2x controls keep their sampler (no budget override of it); everything runs 1500 iterations, milestone 8
    AblationPlan.Run twice = p.runs().stream().filter(r -> r.variant().equals("crossview-2x")).findFirst()
        .orElseThrow();
    assertThat(twice.config().sampler.instances).isEqualTo(8);
    assertThat(p.runs()).allSatisfy(r -> {
      assertThat(r.config().schedule.maxIterations).isEqualTo(1500);
      assertThat(r.config().schedule.milestones).containsExactly(8);
    });
  }

  @Test
  void theSequentialWalkHasTheDesignsCosts(@TempDir Path dir) throws Exception {
    AblationPlan p = plan(dir);
    // design section 8: C3 32, C1 12.5 after C3, C2 12.5, C7 32, C5 62.5; everything undecided: C3 and C1 (44.5)
    SequentialRule.Decision all = AblationThird.decide(p, Map.of());
    assertThat(all.extended()).containsExactly("C3", "C1", "C4");
    assertThat(all.cost()).isCloseTo(44.5, within(1e-9));
    SequentialRule.Decision c5 = AblationThird.decide(p, Map.of("C3", Verdict.HOLDS, "C1", Verdict.HOLDS,
        "C2", Verdict.HOLDS, "C7", Verdict.HOLDS, "C4", Verdict.HOLDS));
    assertThat(c5.extended()).as("C5 alone costs more than the cap").isEmpty();
    assertThat(c5.skipped()).containsExactly("C5");
    SequentialRule.Decision c7 = AblationThird.decide(p, Map.of("C3", Verdict.HOLDS, "C1", Verdict.HOLDS,
        "C2", Verdict.HOLDS, "C5", Verdict.HOLDS, "C4", Verdict.HOLDS));
    assertThat(c7.extended()).containsExactly("C7");
    assertThat(c7.cost()).isCloseTo(32, within(1e-9));
  }
}
