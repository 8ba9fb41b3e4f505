package io.ibreid.ablation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ibreid.data.synthetic.Difficulty;
import io.ibreid.data.synthetic.SyntheticGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third design end to end on a tiny lab (4 iterations of a 4-wide encoder at 32x16): a second-design run is
 * imported into it and retrained for its probe (reproducing the imported metrics exactly), the pilot records the
 * validation scores the β rule reads, the first look is probed, the sequential rule is applied once and extends only
 * what it decided, every trained run leaves its terms.json (with the per-term gradient norms), and the report, the
 * curves and a rerun that trains nothing follow.
 */
class AblationThirdTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static AblationV3.Design tinyDesign() {
    List<AblationV3.Block> b = new ArrayList<>();
    b.add(new AblationV3.Block("sysu", "baseline-ce", List.of(1, 2), List.of(1, 2), AblationV3.FIRST));
    b.add(new AblationV3.Block("sysu", "vsd-shared", List.of(1, 2), List.of(1, 2), AblationV3.FIRST));
    b.add(new AblationV3.Block("sysu", "crossview", List.of(1, 2), List.of(1, 2), AblationV3.FIRST));
    b.add(new AblationV3.Block("sysu", "vib-tuned", List.of(1), List.of(), AblationV3.FIRST));
    b.add(new AblationV3.Block("corr", "baseline-ce", List.of(1), List.of(1), AblationV3.FIRST));
    b.add(new AblationV3.Block("sysu", "crossview", List.of(3), List.of(3), AblationV3.SECOND));
    b.add(new AblationV3.Block("sysu", "vsd-shared", List.of(3), List.of(3), AblationV3.SECOND));
    b.add(new AblationV3.Block("sysu", "vib-tuned", List.of(3), List.of(), AblationV3.SECOND));
    b.add(new AblationV3.Block("sysu", "baseline-ce-gray", List.of(1), List.of(), AblationV3.TAIL));
    // a 6-minute cap: C3 needs 2 x (2.5 + 0.7) = 6.4 and does not fit; C2 needs 2.5 + 0.7 + 2.5 = 5.7 and does
    List<AblationV3.Claim> claims = List.of(
        new AblationV3.Claim("C3", List.of("sysu/crossview", "sysu/vsd-shared")),
        new AblationV3.Claim("C2", List.of("sysu/vsd-shared", "sysu/vib-tuned")));
    // a one-value grid: the rule can only choose configs/vib-tuned.yaml's own β, so the run goes on past the pilot
    return new AblationV3.Design(b, List.of(new AblationV3.Tuned("vib", "vib", "vib-tuned")), List.of(), 101,
        List.of(1e-2), List.of(), claims, 6.0);
  }

  static AblationDesign tinyThird(Path dir, Path sysu, List<Path> reuse) {
    Path corr = dir.resolve("corr");
    if (!Files.exists(corr)) {
      SyntheticGenerator.generate(SyntheticGenerator.Spec.of(SyntheticGenerator.Layout.SYSU, 8, 8, 32, 16, 2, 1.0, 1)
          .withDifficulty(new Difficulty(0.25, 1.0, 0.2, 8, 0.8)), corr, 1);
    }
    AblationDesign tiny = AblationTest.tinyOn(sysu, dir);
    return AblationDesign.third(tiny.configs(), sysu, dir.resolve("no-regdb"), corr, reuse).withThird(tinyDesign())
        .withBudget(4, 2).withSysuTrials(2).withProbes(true, 1).withOverrides(tiny.overrides());
  }

  @Test
  void importPilotLooksSequentialRuleReportAndRerun(@TempDir Path dir) throws Exception {
    // a second-design ablation: baseline-ce seed 1, not probed (so the third design must retrain it for its probe)
    Path previous = dir.resolve("v2");
    AblationDesign v2 = AblationTest.tiny(dir).withProbes(false, 1);
    Ablation.run(v2, previous, false, new AblationListener() {});
    Path sysu = dir.resolve("sysu");

    Path out = dir.resolve("v3");
    AblationDesign design = tinyThird(dir, sysu, List.of(previous));
    AblationTest.Recorder rec = new AblationTest.Recorder();
    Ablation.run(design, out, false, rec);

    JsonNode plan = JSON.readTree(out.resolve(AblationPlan.FILE).toFile());
    assertThat(plan.get("version").asInt()).isEqualTo(3);
    assertThat(plan.get("corr").get("fingerprint").get("generator").asText()).contains("correlation=0.8");

    // imported, retrained for its probe, reproduced exactly
    Path imported = out.resolve("runs/baseline-ce/seed-1");
    assertThat(imported.resolve(RunImport.FILE)).exists();
    JsonNode repro = JSON.readTree(imported.resolve(AblationThird.REPRODUCTION).toFile());
    assertThat(repro.get("equal").asBoolean()).as(repro.toString()).isTrue();
    assertThat(repro.get("maxAbsDifference").asDouble()).isZero();
    // new probes are of z only
    assertThat(JSON.readTree(imported.resolve(AblationProbe.FILE).toFile()).get("features")).hasSize(1);
    JsonNode p2 = JSON.readTree(out.resolve("runs/baseline-ce/seed-2").resolve(AblationProbe.FILE).toFile());
    assertThat(p2.get("features")).hasSize(1);
    assertThat(p2.get("features").get(0).get("output").asText()).isEqualTo("z");

    // the pilot: validation scores in metrics.json, curves' data in terms.json with per-term gradient norms
    for (String label : List.of("baseline-ce", "vib-b0.01")) {
      Path run = out.resolve("runs/pilot/" + label + "/seed-101");
      assertThat(JSON.readTree(run.resolve("metrics.json").toFile()).get("validation").get("score").isNumber())
          .as(label).isTrue();
      JsonNode terms = JSON.readTree(run.resolve(RunTerms.FILE).toFile());
      assertThat(terms.get("series").get("iteration")).isNotEmpty();
      assertThat(terms.get("series").has("diagnostics/ce_shared_z.gradNorm")).isTrue();
    }
    JsonNode vibTerms = JSON.readTree(out.resolve("runs/pilot/vib-b0.01/seed-101").resolve(RunTerms.FILE)
        .toFile());
    assertThat(vibTerms.get("series").has("diagnostics/vib_shared.kl")).isTrue();
    assertThat(vibTerms.get("types").get("vib_shared").asText()).isEqualTo("vib");

    // the sequential rule ran once, after the first look; it extended exactly the runs of the claims it chose
    JsonNode seq = JSON.readTree(out.resolve(AblationThird.SEQUENTIAL).toFile());
    assertThat(seq.get("firstLook").has("C3")).isTrue();
    List<String> units = new ArrayList<>();
    seq.get("units").forEach(u -> units.add(u.asText()));
    for (String v : List.of("crossview", "vsd-shared", "vib-tuned")) {
      assertThat(Files.exists(out.resolve("runs/" + v + "/seed-3/metrics.json"))).as(v)
          .isEqualTo(units.contains("sysu/" + v));
    }
    // with both claims undecided: C3 is skipped, C2 extended
    assertThat(AblationThird.decide(Ablation.plan(design, out).plan(), java.util.Map.of()).extended())
        .containsExactly("C2");
    assertThat(out.resolve("runs/baseline-ce-gray/seed-1/metrics.json")).exists();
    assertThat(out.resolve("runs/corr/baseline-ce/seed-1").resolve(AblationProbe.FILE)).exists();

    String md = Files.readString(out.resolve("ablation.md"));
    assertThat(md).contains("## Verdicts on the paper's claims", "## Pilot: β by the pre-declared rule",
        "| vib | ", "## Where the release's gain comes from", "## Probes of z over seeds",
        "## Regularisers shown to act", "## Correlated lab", "retrained runs gave the imported metrics.json exactly");
    assertThat(out.resolve("curves/pilot_vib-b0.01.png")).exists();
    assertThat(JSON.readTree(out.resolve(AblationThird.PILOT).toFile()).get("vib-tuned").get("beta").asDouble())
        .isEqualTo(1e-2);
    assertThat(out.resolve("curves/sysu_vsd-shared.png")).exists();

    // a rerun trains nothing and gives the same report
    AblationTest.Recorder again = new AblationTest.Recorder();
    Ablation.run(design, out, false, again);
    assertThat(again.trainings).isEmpty();
    assertThat(Files.readString(out.resolve("ablation.md"))).isEqualTo(md);
    // and report-only too
    Ablation.report(design, out, new AblationListener() {});
    assertThat(Files.readString(out.resolve("ablation.md"))).isEqualTo(md);

    // the trajectory test's two files: float fails the bound, double keeps it: the report reads it as rounding
    assertThat(md).doesNotContain("trajectory test");
    Files.writeString(out.resolve(ThirdResults.TRAJECTORY), "{\"summary\": \"float: NOT the same to rounding\", "
        + "\"sameToRounding\": false}");
    Ablation.report(design, out, new AblationListener() {});
    String floatOnly = Files.readString(out.resolve("ablation.md"));
    assertThat(floatOnly).contains("## full − crossview: the trajectory test (design §9)", "float: NOT the same")
        .doesNotContain("In double precision");
    Files.writeString(out.resolve(ThirdResults.TRAJECTORY_DOUBLE), "{\"summary\": \"double: the same to "
        + "rounding\", \"sameToRounding\": true}");
    Ablation.report(design, out, new AblationListener() {});
    assertThat(Files.readString(out.resolve("ablation.md")))
        .contains("In double precision (design.md, Deviations 4): double: the same to rounding")
        .contains("not a term or optimiser state coupling the branches");
  }

  @Test
  void aTunedConfigWhoseBetaIsNotThePilotsStopsTheRunAfterThePilot(@TempDir Path dir) throws Exception {
    Path sysu = dir.resolve("sysu");
    SyntheticGenerator.generate(SyntheticGenerator.Spec.of(SyntheticGenerator.Layout.SYSU, 8, 8, 32, 16, 2, 1.0, 1),
        sysu, 1);
    // the grid holds only 0.5: the rule must choose it, and configs/vib-tuned.yaml says 1e-2 (the pilot's choice)
    AblationV3.Design d = new AblationV3.Design(List.of(new AblationV3.Block("sysu", "vib-tuned", List.of(1),
        List.of(), AblationV3.FIRST)), List.of(new AblationV3.Tuned("vib", "vib", "vib-tuned")), List.of(), 101,
        List.of(0.5), List.of(), List.of(), 0);
    AblationDesign design = tinyThird(dir, sysu, List.of()).withThird(d);
    Path out = dir.resolve("v3");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Ablation.run(design, out, false,
        new AblationListener() {})).isInstanceOf(io.ibreid.core.IbreidException.class)
        .hasMessageContaining("configs/vib-tuned.yaml: losses.4.params.beta is 0.01, the pilot's rule chose 0.5")
        .hasMessageContaining("--new-plan");
    assertThat(out.resolve("runs/vib-tuned/seed-1")).doesNotExist();
    assertThat(JSON.readTree(out.resolve(AblationThird.PILOT).toFile()).get("vib-tuned").get("beta").asDouble())
        .isEqualTo(0.5);
  }
}
