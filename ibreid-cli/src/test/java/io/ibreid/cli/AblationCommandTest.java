package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ibreid.ablation.AblationDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command end to end with real tiny trainings (4 iterations of a 4-wide encoder on 32x16 images of a tiny
 * generated lab): plan written before training and enforced on restart, resume, report, plots, probe table.
 */
class AblationCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void home() {
    // configs/ lives in the repository root, the parent of this module's working directory.
    System.setProperty("ibreid.home", Path.of("").toAbsolutePath().getParent().toString());
  }

  @AfterAll
  static void clear() {
    System.clearProperty("ibreid.home");
  }

  static Path tinySysu(Path dir) {
    Path data = dir.resolve("sysu");
    IbreidCliTest.Result r = IbreidCliTest.run("synth", "--layout", "sysu", "--out", data.toString(), "--ids", "8",
        "--test-ids", "8", "--size", "32x16", "--images", "2", "--camera-presence", "1");
    assertThat(r.code()).as(r.err()).isZero();
    return data;
  }

  static Path tinyRegdb(Path dir) {
    Path data = dir.resolve("regdb");
    IbreidCliTest.Result r = IbreidCliTest.run("synth", "--layout", "regdb", "--out", data.toString(), "--ids", "8",
        "--test-ids", "4", "--size", "32x16", "--images", "2");
    assertThat(r.code()).as(r.err()).isZero();
    return data;
  }

  /** The tiny budget and model, applied to every run through --set. */
  static List<String> tiny(Path out, Path sysu, Path regdb) {
    List<String> a = new ArrayList<>(List.of("ablation", "--design", "v2", "--out", out.toString(), "--seeds", "1",
        "--iterations", "4", "--epochs", "2", "--variants", "baseline-ce,vsd-shared", "--zdims", "2,4",
        "--zdim-seeds", "1", "--trials", "2", "--data", sysu.toString(), "--quiet", "--probe-threads", "1"));
    if (regdb == null) {
      a.add("--regdb-variants=none");
    } else {
      a.addAll(List.of("--regdb-variants", "baseline-ce", "--regdb-seeds", "1", "--regdb-trials", "1",
          "--regdb-data", regdb.toString()));
    }
    a.addAll(List.of("--set", "input.height=32", "--set", "input.width=16", "--set", "sampler.identities=3",
        "--set", "sampler.instances=2", "--set", "data.params.holdout=2", "--set", "data.workers=1",
        "--set", "log.everyIterations=1",
        "--set", "branches.shared.encoder.params={width: 4, stages: [1], observationSize: 8}",
        "--set", "branches.shared.bottleneck.params.hidden=[]"));
    return a;
  }

  @Test
  void planFirstThenRunsProbesReportAndResume(@TempDir Path dir) throws Exception {
    Path sysu = tinySysu(dir);
    Path regdb = tinyRegdb(dir);
    Path out = dir.resolve("ablation");
    String[] args = tiny(out, sysu, regdb).toArray(String[]::new);
    IbreidCliTest.Result r = IbreidCliTest.run(args);
    assertThat(r.code()).as(r.err()).isZero();

    JsonNode plan = JSON.readTree(out.resolve("plan.json").toFile());
    assertThat(plan.get("kernels").asText()).isEqualTo("libnd4j");
    assertThat(plan.get("seeds").asInt()).isEqualTo(1);
    assertThat(plan.get("iterations").asInt()).isEqualTo(4);
    assertThat(plan.get("batch").get("identities").asInt()).isEqualTo(3);
    assertThat(plan.get("sysu").get("fingerprint").get("sha256").asText()).hasSize(64);
    assertThat(plan.get("sysu").get("fingerprint").get("files").toString()).contains("exp/test_id.txt");
    assertThat(plan.get("regdb").get("fingerprint").get("files").toString()).contains("idx/train_visible_1.txt");
    assertThat(plan.get("zdim").get("sizes").toString()).isEqualTo("[2,4]");
    List<String> ids = new ArrayList<>();
    plan.get("runs").forEach(e -> ids.add(e.get("id").asText()));
    // the order: the SYSU table seed by seed, then RegDB, then z-dim
    assertThat(ids).containsExactly("runs/baseline-ce/seed-1", "runs/vsd-shared/seed-1",
        "runs/regdb/baseline-ce/seed-1/trial-1", "runs/vsd-shared-z2/seed-1", "runs/vsd-shared-z4/seed-1");
    JsonNode first = plan.get("runs").get(0).get("config");
    assertThat(first.get("schedule").get("maxIterations").asInt()).isEqualTo(4);
    assertThat(first.get("schedule").get("milestones").toString()).isEqualTo("[2]");
    assertThat(plan.get("runs").get(2).get("config").get("data").get("type").asText()).isEqualTo("synthetic-regdb");
    assertThat(plan.get("runs").get(4).get("config").get("branches").get("shared").get("bottleneck").get("params")
        .get("dim").asInt()).isEqualTo(4);

    String md = Files.readString(out.resolve("ablation.md"));
    assertThat(md).contains("| baseline-ce | 1 of 1 seeds |", "| vsd-shared | 1 of 1 seeds |",
        "| baseline-ce | 1 of 1 runs |", "| 2 | 1 of 1 seeds |", "## Verdicts on the paper's claims",
        "Paired = same seed", "Kernels of the fast encoder: libnd4j (`--kernels`).",
        "## Probes of seed 1's best checkpoints", "| baseline-ce | shared.z |");
    // one seed: no interval, so every verdict is "cannot tell"
    assertThat(md).doesNotContain("**holds**", "**does not hold**");
    assertThat(out.resolve("ablation.png")).exists();
    assertThat(out.resolve("zdim.png")).exists();
    JsonNode probe = JSON.readTree(out.resolve("probe.json").toFile());
    assertThat(probe.get("variants").has("baseline-ce")).isTrue();
    JsonNode z = probe.get("variants").get("vsd-shared").get("features").get(1);
    assertThat(z.get("name").asText()).isEqualTo("shared.z");
    assertThat(z.get("scores").get("identity").get("chance").asDouble()).isBetween(0.0, 1.0);
    assertThat(z.get("scores").has("modality")).isTrue();
    JsonNode report = JSON.readTree(out.resolve("ablation.json").toFile());
    assertThat(report.get("verdicts")).hasSize(5);

    // a second start reuses everything
    IbreidCliTest.Result again = IbreidCliTest.run(args);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("resuming the plan", "already evaluated", "already probed");
    assertThat(again.out()).doesNotContain("Training baseline-ce");

    // another design is refused with one line naming the key ...
    List<String> changed = tiny(out, sysu, regdb);
    changed.set(changed.indexOf("--iterations") + 1, "6");
    IbreidCliTest.Result refused = IbreidCliTest.run(changed.toArray(String[]::new));
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err().strip().lines()).hasSize(1);
    assertThat(refused.err()).startsWith("ibreid: ").contains("iterations: 4 in plan.json, 6 now", "--new-plan");
    // ... and --plan-only says so too, with a measured estimate, without touching anything
    changed.add("--plan-only");
    IbreidCliTest.Result planOnly = IbreidCliTest.run(changed.toArray(String[]::new));
    assertThat(planOnly.code()).as(planOnly.err()).isZero();
    assertThat(planOnly.out()).contains("differs: iterations: 4 in plan.json, 6 now", "estimated wall time: ",
        "1-branch runs at ");
    assertThat(JSON.readTree(out.resolve("plan.json").toFile()).get("iterations").asInt()).isEqualTo(4);

    // --report-only rewrites the same report from the runs on disk and trains nothing ...
    Files.delete(out.resolve("ablation.md"));
    List<String> reportOnly = tiny(out, sysu, regdb);
    reportOnly.add("--report-only");
    IbreidCliTest.Result rewritten = IbreidCliTest.run(reportOnly.toArray(String[]::new));
    assertThat(rewritten.code()).as(rewritten.err()).isZero();
    assertThat(rewritten.out()).contains("rewrote the report").doesNotContain("Training ", "[1/");
    // the same report (its first line carries the date)
    assertThat(Files.readString(out.resolve("ablation.md")).lines().skip(1)).containsExactlyElementsOf(
        md.lines().skip(1).toList());
    // a truncated or NaN metrics.json and a plan.json that is not one are one line naming the file (issue 29)
    Path metrics;
    try (var files = Files.walk(out)) {
      metrics = files.filter(f -> f.getFileName().toString().equals("metrics.json")).sorted().findFirst()
          .orElseThrow();
    }
    String whole = Files.readString(metrics);
    for (String bad : List.of(whole.substring(0, whole.length() / 2), whole.replaceFirst("\"rank1\": [0-9.]+",
        "\"rank1\": NaN"), "")) {
      Files.writeString(metrics, bad);
      IbreidCliTest.Result broken = IbreidCliTest.run(reportOnly.toArray(String[]::new));
      assertThat(broken.code()).as(broken.err()).isEqualTo(2);
      assertThat(broken.err().strip().lines()).as(broken.err()).hasSize(1);
      assertThat(broken.err()).startsWith("ibreid: " + metrics + " ").contains("delete it to evaluate the run again");
    }
    Files.writeString(metrics, whole);
    String planText = Files.readString(out.resolve("plan.json"));
    for (String bad : List.of(planText.substring(0, planText.length() / 3), "{\"iterations\": []}")) {
      Files.writeString(out.resolve("plan.json"), bad);
      IbreidCliTest.Result broken = IbreidCliTest.run(reportOnly.toArray(String[]::new));
      assertThat(broken.code()).as(broken.err()).isEqualTo(2);
      assertThat(broken.err().strip().lines()).as(broken.err()).hasSize(1);
      assertThat(broken.err()).startsWith("ibreid: " + out.resolve("plan.json") + " ");
    }
    Files.writeString(out.resolve("plan.json"), planText);
    // ... and refuses another plan or an empty directory with one line
    changed.set(changed.size() - 1, "--report-only");
    IbreidCliTest.Result other = IbreidCliTest.run(changed.toArray(String[]::new));
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err().strip().lines()).hasSize(1);
    assertThat(other.err()).contains("iterations: 4 in plan.json, 6 now", "--report-only");
    List<String> empty = tiny(dir.resolve("nothing"), sysu, regdb);
    empty.add("--report-only");
    IbreidCliTest.Result none = IbreidCliTest.run(empty.toArray(String[]::new));
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err().strip().lines()).hasSize(1);
    assertThat(none.err()).contains("--report-only: no ").contains("nothing has run");
    assertThat(dir.resolve("nothing").resolve("ablation.md")).doesNotExist();
  }

  @Test
  void unknownVariantsAreNamed(@TempDir Path dir) {
    IbreidCliTest.Result bad = IbreidCliTest.run("ablation", "--design", "v2", "--out",
        dir.resolve("a").toString(), "--variants", "nope", "--plan-only");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("ibreid: --variants names [nope], but ");
  }

  @Test
  void aNewFolderMeansTheThirdDesignAndAPlanKeepsItsOwn(@TempDir Path dir) throws Exception {
    assertThat(parse("ablation", "--out", dir.resolve("new").toString()).design().v3()).isNotNull();
    Path v2 = Files.createDirectories(dir.resolve("v2"));
    Files.writeString(v2.resolve("plan.json"), "{\"version\": 2}");
    assertThat(parse("ablation", "--out", v2.toString()).design().v3()).isNull();
    assertThat(parse("ablation", "--design", "v2", "--out", dir.resolve("new").toString()).design().v3()).isNull();
  }

  @Test
  void secondDesignFlagsAreRefusedByTheThirdInOneLine(@TempDir Path dir) {
    for (String flag : AblationCommand.V2_ONLY) {
      String value = flag.equals("--variants") || flag.equals("--regdb-variants") ? "baseline-ce"
          : flag.equals("--zdim-variant") ? "vsd-shared" : "2";
      IbreidCliTest.Result bad = IbreidCliTest.run("ablation", "--out", dir.resolve("a").toString(), flag, value,
          "--plan-only");
      assertThat(bad.code()).as(flag).isEqualTo(2);
      assertThat(bad.err()).isEqualTo("ibreid: " + flag + " applies to --design v2 only; the third design's blocks, "
          + "seeds and trials are fixed (docs/ablation-v3/design.md)\n");
    }
    assertThat(dir.resolve("a")).doesNotExist();
  }

  @Test
  void theCommittedThirdReportIsWhatReportOnlyWritesFromItsFiles(@TempDir Path dir) throws Exception {
    // a fresh clone: the committed run's files, no lab data (the report reads the runs' files, never the images)
    Path committed = Path.of("").toAbsolutePath().getParent().resolve("docs").resolve("ablation-v3");
    Path copy = dir.resolve("ablation-v3");
    try (var files = Files.walk(committed)) {
      for (Path p : files.toList()) {
        Files.copy(p, copy.resolve(committed.relativize(p).toString()));
      }
    }
    IbreidCliTest.Result r = IbreidCliTest.run("ablation", "--out", copy.toString(), "--report-only", "--quiet");
    assertThat(r.code()).as(r.err()).isZero();
    for (String name : List.of("ablation.md", "ablation.json", "probe.json", "ablation.png", "zdim.png")) {
      assertThat(Files.readAllBytes(copy.resolve(name))).as(name)
          .isEqualTo(Files.readAllBytes(committed.resolve(name)));
    }
  }

  private static AblationCommand parse(String... args) {
    CommandLine line = new CommandLine(new AblationCommand());
    line.parseArgs(Arrays.copyOfRange(args, 1, args.length));
    return line.getCommand();
  }

  @Test
  void flagDefaultsAreTheLibrarysDefaults() {
    AblationCommand c = new AblationCommand();
    assertThat(c.seeds).isEqualTo(AblationDefaults.SEEDS);
    assertThat(c.iterations).isEqualTo(AblationDefaults.ITERATIONS);
    assertThat(c.epochs).isEqualTo(AblationDefaults.EPOCHS);
    assertThat(c.variants).isEqualTo(AblationDefaults.VARIANTS);
    assertThat(c.regdbVariants).isEqualTo(AblationDefaults.REGDB_VARIANTS);
    assertThat(c.regdbSeeds).isEqualTo(AblationDefaults.REGDB_SEEDS);
    assertThat(c.regdbTrials).isEqualTo(AblationDefaults.REGDB_TRIALS);
    assertThat(c.zdimVariant).isEqualTo(AblationDefaults.ZDIM_VARIANT);
    assertThat(c.zdimSeeds).isEqualTo(AblationDefaults.ZDIM_SEEDS);
    assertThat(c.trials).isEqualTo(AblationDefaults.SYSU_TRIALS);
    assertThat(c.probeThreads).isEqualTo(AblationDefaults.PROBE_THREADS);
    assertThat(c.kernels).isEqualTo(AblationDefaults.KERNELS);
  }

  @Test
  void kernelsOtherThanTheTwoAreRefusedInOneLine(@TempDir Path dir) {
    IbreidCliTest.Result bad = IbreidCliTest.run("ablation", "--out", dir.resolve("a").toString(), "--kernels",
        "fast", "--plan-only");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("ibreid: --kernels fast: expected libnd4j or onednn\n");
    assertThat(dir.resolve("a")).doesNotExist();
  }
}
