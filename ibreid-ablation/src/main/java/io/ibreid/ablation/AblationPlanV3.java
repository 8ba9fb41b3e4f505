package io.ibreid.ablation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ibreid.core.IbreidException;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.observation.EncoderFactory;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.eval.stats.BetaRule;
import io.ibreid.eval.stats.SequentialRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The third design's plan ({@link AblationV3}): every run of the pilot and of the blocks with its resolved config, in
 * training order (phase by phase; within a phase seed by seed, every block of the seed), and its {@code plan.json}.
 * Run ids follow the second design's where the runs are the same ({@code runs/VARIANT/seed-N},
 * {@code runs/regdb/VARIANT/seed-N/trial-T}, {@code runs/vsd-shared-zZ/seed-N}), so that its runs can be imported;
 * new ones: {@code runs/pilot/LABEL/seed-S}, {@code runs/corr/VARIANT/seed-N}.
 */
final class AblationPlanV3 {
  private AblationPlanV3() {}

  /** The overrides every run gets: the budget, the validation cadence and the holdout (the sampler is the config's). */
  static List<String> budget(AblationPlan.Settings s) {
    List<String> o = new ArrayList<>();
    o.add("schedule.epochs=" + s.epochs());
    o.add("schedule.batchesPerEpoch=" + (s.iterations() / s.epochs()));
    o.add("schedule.maxIterations=" + s.iterations());
    o.add("schedule.milestones=[" + AblationDefaults.milestone(s.epochs()) + "]");
    o.add("validation.everyEpochs=1");
    o.add("data.params.holdout=" + AblationDefaults.HOLDOUT);
    return o;
  }

  /** The label of a pilot run of {@code tuned} at {@code beta}: {@code vib-b0.01}. */
  static String pilotLabel(AblationV3.Tuned tuned, double beta) {
    return tuned.pilotVariant() + "-b" + AblationV3.beta(beta);
  }

  /** The index of the first loss of {@code type} in {@code config}, or an error naming the config. */
  static int lossIndex(RunConfig config, String type, Path file) {
    for (int i = 0; i < config.losses.size(); i++) {
      if (config.losses.get(i).type.equals(type)) {
        return i;
      }
    }
    throw new IbreidException(file + " has no loss of type [" + type + "], whose beta the pilot sets");
  }

  static AblationPlan build(AblationPlan.Settings s, AblationV3.Design d, Path corrData, Path out,
      Function<String, Path> configFile) {
    if (s.iterations() < 1 || s.epochs() < 1 || s.iterations() < s.epochs()) {
      throw new IbreidException("--iterations and --epochs must be >= 1, and --iterations >= --epochs");
    }
    Set<String> all = new LinkedHashSet<>(List.of("baseline-ce"));
    d.tuned().forEach(t -> all.add(t.pilotVariant()));
    all.addAll(d.pilotExtras());
    d.blocks().forEach(b -> all.add(b.variant()));
    for (String v : all) {
      if (!Files.isRegularFile(configFile.apply(v))) {
        throw new IbreidException("the third design names [" + v + "], but " + configFile.apply(v)
            + " does not exist");
      }
    }
    List<AblationPlan.Run> runs = new ArrayList<>();
    // phase 0: the pilot
    int seed = d.pilotSeed();
    for (String v : new LinkedHashSet<>(concat(List.of("baseline-ce"), d.pilotExtras()))) {
      runs.add(run("pilot", v, 0, seed, 0, "runs/pilot/" + v + "/seed-" + seed, configFile.apply(v),
          sysu(s), s, List.of(), out, AblationV3.PILOT, false, "sysu"));
    }
    for (AblationV3.Tuned t : d.tuned()) {
      Path file = configFile.apply(t.pilotVariant());
      int k = lossIndex(ConfigLoader.load(file, List.of()), t.lossType(), file);
      for (double beta : d.betaGrid()) {
        String label = pilotLabel(t, beta);
        runs.add(run("pilot", label, 0, seed, 0, "runs/pilot/" + label + "/seed-" + seed, file, sysu(s), s,
            List.of("losses." + k + ".params.beta=" + beta), out, AblationV3.PILOT, false, "sysu"));
      }
    }
    int observationSize = 0;
    List<Integer> sizes = List.of();
    for (int phase = AblationV3.FIRST; phase <= AblationV3.TAIL; phase++) {
      List<AblationV3.Block> blocks = d.phase(phase);
      TreeSet<Integer> seeds = new TreeSet<>();
      blocks.forEach(b -> seeds.addAll(b.seeds()));
      for (int sd : seeds) {
        for (AblationV3.Block b : blocks) {
          if (!b.seeds().contains(sd)) {
            continue;
          }
          Path file = configFile.apply(b.variant());
          boolean probe = b.probeSeeds().contains(sd);
          switch (b.group()) {
            case "sysu" -> runs.add(run("sysu", b.variant(), 0, sd, 0, "runs/" + b.variant() + "/seed-" + sd, file,
                sysu(s), s, List.of(), out, phase, probe, "sysu"));
            case "corr" -> {
              List<String> base = new ArrayList<>();
              base.add("data.root=" + corrData);
              base.add("data.params.correlation=" + AblationV3.CORRELATION);
              base.addAll(budget(s));
              runs.add(run("corr", b.variant(), 0, sd, 0, "runs/corr/" + b.variant() + "/seed-" + sd, file, base, s,
                  List.of(), out, phase, probe, "corr"));
            }
            case "regdb" -> {
              if (sd < 1 || sd > 10) {
                throw new IbreidException("RegDB has trials 1..10; the design asks for trial " + sd);
              }
              List<String> base = new ArrayList<>();
              base.add("data.type=" + AblationDefaults.REGDB_TYPE);
              base.add("data.root=" + s.regdbData());
              base.addAll(budget(s));
              base.add("data.params.trial=" + sd);
              runs.add(run("regdb", b.variant(), 0, sd, sd, "runs/regdb/" + b.variant() + "/seed-" + sd + "/trial-"
                  + sd, file, base, s, List.of(), out, phase, probe, "regdb"));
            }
            case "zdim" -> {
              RunConfig cfg = ConfigLoader.load(file, concat(sysu(s), s.overrides()));
              String branch = cfg.branches.keySet().iterator().next();
              RunConfig.PluginSpec enc = cfg.branches.get(branch).encoder;
              observationSize = Plugins.discover().get(EncoderFactory.KIND, enc.type).fromConfig(enc.params,
                  "branches." + branch + ".encoder.params").observationSize();
              Object own = cfg.branches.get(branch).bottleneck.params.get("dim");
              sizes = d.zdims();
              for (int z : d.zdims()) {
                if (own instanceof Number n && n.intValue() == z) {
                  continue; // the variant's own size: its sysu runs
                }
                List<String> extra = new ArrayList<>();
                for (String br : cfg.branches.keySet()) {
                  extra.add("branches." + br + ".bottleneck.params.dim=" + z);
                }
                runs.add(run("zdim", b.variant(), z, sd, 0, "runs/" + b.variant() + "-z" + z + "/seed-" + sd, file,
                    sysu(s), s, extra, out, phase, probe, "sysu"));
              }
            }
            default -> throw new IbreidException("unknown group [" + b.group() + "] in the third design");
          }
        }
      }
    }
    return new AblationPlan(s, runs, observationSize, sizes, out, d, corrData);
  }

  private static List<String> sysu(AblationPlan.Settings s) {
    List<String> o = new ArrayList<>();
    o.add("data.root=" + s.sysuData());
    o.addAll(budget(s));
    return o;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** A run: base overrides, then the design's overrides, then the seed, then the run's own. */
  private static AblationPlan.Run run(String group, String variant, int zdim, int seed, int trial, String id,
      Path file, List<String> base, AblationPlan.Settings s, List<String> own, Path out, int phase, boolean probe,
      String data) {
    List<String> o = new ArrayList<>(base);
    o.addAll(s.overrides());
    o.add("seed=" + seed);
    o.addAll(own);
    return new AblationPlan.Run(group, variant, zdim, seed, trial, id, out.resolve(id), List.copyOf(o),
        ConfigLoader.load(file, o), data, phase, probe);
  }

  /** {@code plan.json} of a third-design plan. */
  static ObjectNode toJson(AblationPlan plan, Map<String, JsonNode> fingerprints) {
    AblationPlan.Settings s = plan.settings;
    AblationV3.Design d = plan.v3;
    ObjectNode p = AblationPlan.JSON.createObjectNode();
    p.put("version", AblationV3.VERSION);
    p.put("order", "phase 0 the pilot; phase 1 the first look (seed by seed); its probes; the sequential rule; "
        + "phase 2 the second look's runs of the extended claims and their probes; phase 3 the descriptive blocks");
    p.put("iterations", s.iterations());
    p.put("epochs", s.epochs());
    p.put("batchesPerEpoch", s.iterations() / s.epochs());
    p.put("checkpoint", "best validation mAP over the " + s.epochs() + " epoch ends (validation split: "
        + "held-out training identities)");
    p.set("overrides", AblationPlan.JSON.valueToTree(s.overrides()));
    for (String key : List.of("sysu", "regdb", "corr")) {
      ObjectNode data = p.putObject(key);
      Path root = key.equals("sysu") ? s.sysuData() : key.equals("regdb") ? s.regdbData() : plan.corrData;
      data.put("data", root.toString());
      data.set("fingerprint", fingerprints.getOrDefault(key, AblationPlan.JSON.createObjectNode()
          .put("missing", true)));
    }
    ((ObjectNode) p.get("sysu")).put("trials", s.sysuTrials());
    ((ObjectNode) p.get("corr")).put("correlation", AblationV3.CORRELATION);
    ArrayNode blocks = p.putArray("blocks");
    for (AblationV3.Block b : d.blocks()) {
      ObjectNode o = blocks.addObject();
      o.put("group", b.group());
      o.put("variant", b.variant());
      o.set("seeds", AblationPlan.JSON.valueToTree(b.seeds()));
      o.set("probeSeeds", AblationPlan.JSON.valueToTree(b.probeSeeds()));
      o.put("phase", b.phase());
    }
    ObjectNode pilot = p.putObject("pilot");
    pilot.put("seed", d.pilotSeed());
    pilot.set("grid", AblationPlan.JSON.valueToTree(d.betaGrid()));
    pilot.set("tuned", AblationPlan.JSON.valueToTree(d.tuned()));
    pilot.set("extras", AblationPlan.JSON.valueToTree(d.pilotExtras()));
    pilot.put("rule", BetaRule.RULE);
    ObjectNode seq = p.putObject("sequential");
    seq.set("claims", AblationPlan.JSON.valueToTree(d.claims()));
    seq.put("capMinutes", d.stage2Cap());
    seq.put("level", AblationV3.claimLevel());
    seq.put("rule", SequentialRule.RULE);
    ObjectNode zdim = p.putObject("zdim");
    zdim.put("observationSize", plan.observationSize);
    zdim.set("sizes", AblationPlan.JSON.valueToTree(d.zdims()));
    p.put("probeOutputs", String.join(",", AblationV3.PROBE_OUTPUTS));
    ArrayNode list = p.putArray("runs");
    for (AblationPlan.Run r : plan.runs) {
      list.add(plan.entry(r, fingerprints));
    }
    p.put("probes", s.probes());
    p.put("kernels", s.kernels());
    return p;
  }

  /** What {@code ibreid ablation} prints first for a third-design plan. */
  static String summary(AblationPlan plan) {
    StringBuilder sb = new StringBuilder();
    AblationPlan.Settings s = plan.settings;
    sb.append(String.format(Locale.ROOT, "ibreid ablation (third design): %d planned runs of %d iterations; results "
        + "in %s%n", plan.runs.size(), s.iterations(), plan.out));
    String[] names = {"pilot", "first look", "second look (only the extended claims)", "descriptive blocks"};
    for (int phase = AblationV3.PILOT; phase <= AblationV3.TAIL; phase++) {
      int fp = phase;
      List<AblationPlan.Run> in = plan.runs.stream().filter(r -> r.phase() == fp).toList();
      double minutes = in.stream().mapToDouble(r -> AblationV3.minutes(r.config())).sum();
      long probes = in.stream().filter(AblationPlan.Run::probe).count();
      sb.append(String.format(Locale.ROOT, "  phase %d, %s: %d runs (%.0f min if all trained), %d probed%n", phase,
          names[phase], in.size(), minutes, probes));
    }
    for (AblationPlan.Run r : plan.runs) {
      sb.append(String.format("  %d %-5s %-22s z=%-4s seed %d%s%s -> %s%n", r.phase(), r.group(), r.variant(),
          r.zdim() > 0 ? r.zdim() : "-", r.seed(), r.trial() > 0 ? " trial " + r.trial() : "",
          r.probe() ? " probe" : "", r.dir()));
    }
    return sb.toString();
  }
}
