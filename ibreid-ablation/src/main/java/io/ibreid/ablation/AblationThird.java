package io.ibreid.ablation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ibreid.core.IbreidException;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.run.Checkpoints;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.eval.run.RunEvaluation;
import io.ibreid.eval.run.TrainedRunEvaluation;
import io.ibreid.eval.stats.SequentialRule;
import io.ibreid.eval.stats.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs a third-design ablation ({@link AblationV3}) in its folder: imports the finished runs of earlier ablations
 * ({@link RunImport}), trains the pilot, the first look, probes it (retraining an imported run whose checkpoint is not
 * on disk, and checking that it reproduces the imported {@code metrics.json}), applies the sequential rule once
 * (recorded in {@value #SEQUENTIAL}, reused on resume), trains the extended claims' second look and the descriptive
 * blocks, probing as it goes, and rewrites the report after every run and probe.
 */
final class AblationThird {
  static final String SEQUENTIAL = "sequential.json";
  /** Written beside an imported run that was retrained for its probe: did it reproduce the imported metrics? */
  static final String REPRODUCTION = "reproduction.json";

  private final Ablation a;
  private final AblationPlan plan;
  private long t0;
  private int index;
  private int count;

  AblationThird(Ablation a) {
    this.a = a;
    this.plan = a.plan;
  }

  Path run(boolean replacePlan) throws IOException {
    a.settle(replacePlan);
    a.writePlanFile();
    List<Path> sources = new ArrayList<>();
    for (Path p : a.design.reuse()) {
      sources.add(p.toAbsolutePath().normalize());
    }
    RunImport.run(plan, a.planJson, a.fingerprints, sources);
    t0 = System.nanoTime();
    count = plan.runs.size();
    for (int phase = AblationV3.PILOT; phase <= AblationV3.TAIL; phase++) {
      List<AblationPlan.Run> runs = phaseRuns(phase);
      if (phase == AblationV3.SECOND) {
        Set<String> units = decision().units();
        count -= (int) runs.stream().filter(r -> !units.contains(r.group() + "/" + r.variant())).count();
        runs = runs.stream().filter(r -> units.contains(r.group() + "/" + r.variant())).toList();
      }
      for (AblationPlan.Run r : runs) {
        index++;
        a.listener.onRunStart(r, index, count, Duration.ofNanos(System.nanoTime() - t0));
        a.runOne(r, plan.entry(r, a.fingerprints), replacePlan);
        a.report();
        System.gc();
      }
      for (AblationPlan.Run r : runs) {
        if (r.probe()) {
          probe(r);
        }
      }
      if (phase == AblationV3.PILOT) {
        checkPilot(phase == a.design.stopAfter());
      }
      if (phase == a.design.stopAfter()) {
        break;
      }
    }
    Path md = a.report();
    a.listener.onFinish(Duration.ofNanos(System.nanoTime() - t0), md);
    return md;
  }

  /**
   * After the pilot: the β rule ({@link io.ibreid.eval.stats.BetaRule}) on its validation scores, recorded in
   * {@value #PILOT}; when a tuned config's β is not the rule's, the run stops here (unless it was to stop anyway) with
   * the line that says what to set, so that no run of a tuned variant trains with another β.
   */
  private void checkPilot(boolean stopping) throws IOException {
    ThirdResults r = ThirdResults.load(plan, a.fingerprints);
    java.util.SortedMap<Integer, JsonNode> base = r.units("pilot", "baseline-ce", null);
    ObjectNode out = AblationPlan.JSON.createObjectNode();
    out.put("rule", io.ibreid.eval.stats.BetaRule.RULE);
    List<String> wrong = new ArrayList<>();
    for (AblationV3.Tuned t : plan.v3.tuned()) {
      Map<Double, Double> scores = new LinkedHashMap<>();
      for (double b : plan.v3.betaGrid()) {
        java.util.SortedMap<Integer, JsonNode> u = r.units("pilot", AblationPlanV3.pilotLabel(t, b), null);
        JsonNode v = u.isEmpty() ? null : u.values().iterator().next().path("validation").path("score");
        if (v != null && v.isNumber()) {
          scores.put(b, v.asDouble());
        }
      }
      JsonNode ref = base.isEmpty() ? null : base.values().iterator().next().path("validation").path("score");
      if (scores.size() < plan.v3.betaGrid().size() || ref == null || !ref.isNumber()) {
        return; // the pilot is not complete
      }
      io.ibreid.eval.stats.BetaRule.Choice c = io.ibreid.eval.stats.BetaRule.choose(scores, ref.asDouble());
      ObjectNode o = out.putObject(t.tunedVariant());
      o.put("beta", c.beta());
      o.put("fallback", c.fallback());
      o.set("scores", AblationPlan.JSON.valueToTree(scores));
      o.put("baselineScore", ref.asDouble());
      for (AblationPlan.Run run : plan.runs) {
        if (run.variant().equals(t.tunedVariant()) && run.phase() > AblationV3.PILOT) {
          for (int k = 0; k < run.config().losses.size(); k++) {
            var l = run.config().losses.get(k);
            if (l.type.equals(t.lossType()) && l.params.get("beta") instanceof Number n
                && n.doubleValue() != c.beta()) {
              wrong.add("configs/" + t.tunedVariant() + ".yaml: losses." + k + ".params.beta is " + n + ", the "
                  + "pilot's rule chose " + AblationV3.beta(c.beta()));
            }
          }
          break;
        }
      }
    }
    AtomicFiles.writeString(a.out.resolve(PILOT), AblationPlan.JSON.writeValueAsString(out) + "\n");
    if (!wrong.isEmpty() && !stopping) {
      a.report();
      throw new IbreidException(String.join("; ", wrong) + ": set it and run again with --new-plan (the pilot's runs "
          + "are kept)");
    }
  }

  static final String PILOT = "pilot.json";

  private List<AblationPlan.Run> phaseRuns(int phase) {
    return plan.runs.stream().filter(r -> r.phase() == phase).toList();
  }

  /** The probe of a run (z only), retraining an imported run whose checkpoint is not on disk first. */
  private void probe(AblationPlan.Run r) throws IOException {
    if (!a.design.probes()) {
      return;
    }
    Path dir = r.dir();
    boolean done = Files.isRegularFile(dir.resolve(AblationProbe.FILE));
    if (!done && !Files.isRegularFile(dir.resolve("metrics.json"))) {
      return; // not trained (an interrupted run is resumed by runOne, never here)
    }
    if (!done && Checkpoints.verify(dir.resolve("checkpoints").resolve("best")).isPresent()) {
      reproduce(r);
    }
    a.listener.onProbe(r, done);
    AblationProbe.probe(r.variant(), dir, Math.max(1, a.design.probeThreads()), AblationV3.PROBE_OUTPUTS);
    a.report();
  }

  /**
   * Retrains an imported run (resuming its own partial retraining) for its checkpoint, evaluates it into
   * {@code metrics.reproduced.json} and records in {@value #REPRODUCTION} whether every number equals the imported
   * {@code metrics.json}'s.
   */
  private void reproduce(AblationPlan.Run r) throws IOException {
    Path dir = r.dir();
    boolean resume = !new Checkpoints(dir.resolve("checkpoints"), r.config().checkpoint.keep).list().isEmpty();
    a.train(r, r.config(), dir, resume);
    TrainedRun trained = TrainedRun.open(dir, "best");
    List<RunEvaluation.SetResults> sets = TrainedRunEvaluation.sets(trained, null, null, null, "both", 1,
        plan.settings.sysuTrials(), false, null);
    Path again = dir.resolve("metrics.reproduced.json");
    AtomicFiles.writeString(again, RunEvaluation.setsJson(sets, Map.of("run", dir.toString(), "checkpoint",
        trained.checkpoint().getFileName().toString())));
    RunTerms.write(dir, r.config());
    JsonNode want = AblationPlan.JSON.readTree(dir.resolve("metrics.json").toFile());
    JsonNode got = AblationPlan.JSON.readTree(again.toFile());
    double[] max = {0};
    String diff = compare(want, got, "", max);
    ObjectNode out = AblationPlan.JSON.createObjectNode();
    out.put("equal", diff == null);
    out.put("maxAbsDifference", max[0]);
    if (diff != null) {
      out.put("firstDifference", diff);
    }
    AtomicFiles.writeString(dir.resolve(REPRODUCTION), AblationPlan.JSON.writeValueAsString(out) + "\n");
  }

  /**
   * The first difference between two metrics.json trees (ignoring where the run was: {@code run},
   * {@code checkpoint}, {@code validation}), or null; {@code max[0]} gets the largest absolute numeric difference.
   */
  static String compare(JsonNode want, JsonNode got, String path, double[] max) {
    String first = null;
    if (want.isNumber() && got.isNumber()) {
      double d = Math.abs(want.asDouble() - got.asDouble());
      max[0] = Math.max(max[0], d);
      return d == 0 ? null : path + ": " + want.asText() + " imported, " + got.asText() + " retrained";
    }
    if (want.isObject() && got.isObject()) {
      Set<String> keys = new TreeSet<>();
      want.fieldNames().forEachRemaining(keys::add);
      got.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        if (path.isEmpty() && (k.equals("run") || k.equals("checkpoint") || k.equals("validation"))) {
          continue;
        }
        JsonNode w = want.get(k);
        JsonNode g = got.get(k);
        String d = w == null || g == null ? path + "." + k + ": present on one side only"
            : compare(w, g, path + "." + k, max);
        if (first == null) {
          first = d;
        }
      }
      return first;
    }
    if (want.isArray() && got.isArray()) {
      if (want.size() != got.size()) {
        return path + ": " + want.size() + " entries imported, " + got.size() + " retrained";
      }
      for (int i = 0; i < want.size(); i++) {
        String d = compare(want.get(i), got.get(i), path + "[" + i + "]", max);
        if (first == null) {
          first = d;
        }
      }
      return first;
    }
    return want.equals(got) ? null : path + ": " + want + " imported, " + got + " retrained";
  }

  /** The sequential rule's decision: read from {@value #SEQUENTIAL} when made before, else made now and saved. */
  private SequentialRule.Decision decision() throws IOException {
    Path file = a.out.resolve(SEQUENTIAL);
    if (Files.isRegularFile(file)) {
      return read(AblationPlan.JSON.readTree(file.toFile()));
    }
    // the verdicts only: no report is written, so it needs no date
    Map<String, Verdict> first = AblationReportV3.of(plan, a.fingerprints, "").firstLook();
    SequentialRule.Decision d = decide(plan, first);
    ObjectNode out = AblationPlan.JSON.createObjectNode();
    ObjectNode looks = out.putObject("firstLook");
    first.forEach((k, v) -> looks.put(k, v.label()));
    out.set("extended", AblationPlan.JSON.valueToTree(d.extended()));
    out.set("skipped", AblationPlan.JSON.valueToTree(d.skipped()));
    out.set("units", AblationPlan.JSON.valueToTree(new TreeSet<>(d.units())));
    out.put("costMinutes", d.cost());
    out.put("capMinutes", plan.v3.stage2Cap());
    out.put("rule", SequentialRule.RULE);
    AtomicFiles.writeString(file, AblationPlan.JSON.writeValueAsString(out) + "\n");
    return d;
  }

  /** The rule applied to the first look's verdicts with the design's claims, units and cost table. */
  static SequentialRule.Decision decide(AblationPlan plan, Map<String, Verdict> first) {
    Map<String, Double> cost = new LinkedHashMap<>();
    for (AblationPlan.Run r : plan.runs) {
      if (r.phase() == AblationV3.SECOND) {
        cost.merge(r.group() + "/" + r.variant(), AblationV3.minutes(r.config())
            + (r.probe() ? AblationV3.PROBE_MINUTES : 0), Double::sum);
      }
    }
    List<SequentialRule.Claim> claims = new ArrayList<>();
    for (AblationV3.Claim c : plan.v3.claims()) {
      Map<String, Double> needs = new LinkedHashMap<>();
      for (String u : c.units()) {
        needs.put(u, cost.getOrDefault(u, 0.0));
      }
      claims.add(new SequentialRule.Claim(c.id(), first.getOrDefault(c.id(), Verdict.CANNOT_TELL), needs));
    }
    return SequentialRule.decide(claims, plan.v3.stage2Cap());
  }

  static SequentialRule.Decision read(JsonNode n) {
    List<String> ext = new ArrayList<>();
    n.path("extended").forEach(x -> ext.add(x.asText()));
    List<String> skip = new ArrayList<>();
    n.path("skipped").forEach(x -> skip.add(x.asText()));
    Set<String> units = new TreeSet<>();
    for (Iterator<JsonNode> it = n.path("units").elements(); it.hasNext(); ) {
      units.add(it.next().asText());
    }
    if (!n.has("units")) {
      throw new IbreidException(SEQUENTIAL + " has no [units]; delete it to apply the rule again");
    }
    return new SequentialRule.Decision(ext, skip, units, n.path("costMinutes").asDouble());
  }
}
