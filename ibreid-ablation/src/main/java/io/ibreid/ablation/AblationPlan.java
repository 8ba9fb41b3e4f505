package io.ibreid.ablation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ibreid.core.IbreidException;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.observation.EncoderFactory;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.data.synthetic.FactorFile;
import io.ibreid.data.synthetic.SyntheticGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The ablation's design, fixed before any training: every run (group, variant, seed, RegDB trial or z size) with its
 * exact resolved config, in the order the runs are trained, and {@code plan.json} describing it all. Groups, in
 * order: {@code sysu} (the main table, seed by seed: every variant of seed 1, then of seed 2, ...), {@code regdb}
 * (seed by seed, trial by trial, every variant), {@code zdim} (seed by seed, every size). The probes run on seed
 * {@link AblationDefaults#PROBE_SEED}'s runs of the main table once that table is complete. Made by {@link Ablation}
 * from an {@link AblationDesign}; {@link #summary()} and {@link #estimate()} describe it.
 */
public final class AblationPlan {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Reads a JSON file this tool wrote; a file that is empty, truncated or not JSON (a NaN, for one) fails with one
   * line naming it, where it breaks and {@code remedy}.
   */
  static JsonNode read(Path file, String remedy) {
    try {
      JsonNode n = JSON.readTree(file.toFile());
      if (n == null || n.isMissingNode() || !n.isObject()) {
        throw new IbreidException(file + " does not hold a JSON object; " + remedy);
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      String why = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
      throw new IbreidException(file + " is not valid JSON at line " + (e.getLocation() == null ? "?"
          : e.getLocation().getLineNr()) + " (" + why + "); " + remedy);
    } catch (IOException e) {
      throw new IbreidException("cannot read " + file + ": " + io.ibreid.core.io.AtomicFiles.reason(e), e);
    }
  }
  /** The plan's file in the ablation's folder. */
  public static final String FILE = "plan.json";
  /** Written into each run directory before it is trained: the run's entry of the plan. */
  public static final String RUN_FILE = "plan-run.json";
  static final int VERSION = 2;
  private static final JsonDiff PLAN_DIFF = new JsonDiff("plan", "in plan.json", "now");

  /** What the user asked for ({@link AblationDesign#settings()}, normalised). */
  record Settings(List<String> variants, int seeds, int iterations, int epochs, int sysuTrials, Path sysuData,
      String zdimVariant, List<Integer> zdims, int zdimSeeds, List<String> regdbVariants, int regdbSeeds,
      int regdbTrials, Path regdbData, List<String> overrides, boolean probes, String kernels) {}

  /**
   * One planned run: its group ({@code sysu}, {@code regdb} or {@code zdim}; the third design adds {@code pilot} and
   * {@code corr}), variant, z size (0 outside the sweep), seed, RegDB trial (0 outside RegDB), id (its directory
   * relative to the ablation's folder), directory, the overrides applied to its variant's config, the resolved
   * config, the data set it reads ({@code sysu}, {@code regdb} or {@code corr}: the key of its fingerprint), its
   * phase ({@link AblationV3}; 1 in the second design) and whether it is probed.
   */
  public record Run(String group, String variant, int zdim, int seed, int trial, String id, Path dir,
      List<String> overrides, RunConfig config, String data, int phase, boolean probe) {
    boolean isRegdb() {
      return group.equals("regdb");
    }

    /** E.g. {@code regdb full seed 1 trial 3}. */
    public String describe() {
      return group + " " + variant + (zdim > 0 ? " z=" + zdim : "") + " seed " + seed
          + (trial > 0 ? " trial " + trial : "");
    }
  }

  final Settings settings;
  final List<Run> runs;
  /** The encoder's observation size D of the swept config (0 when there is no sweep). */
  final int observationSize;
  final List<Integer> zdims;
  final Path out;
  /** The third design this plan was built from, or null (the second design). */
  final AblationV3.Design v3;
  /** The correlated lab's folder (third design), or null. */
  final Path corrData;

  private AblationPlan(Settings settings, List<Run> runs, int observationSize, List<Integer> zdims, Path out) {
    this(settings, runs, observationSize, zdims, out, null, null);
  }

  AblationPlan(Settings settings, List<Run> runs, int observationSize, List<Integer> zdims, Path out,
      AblationV3.Design v3, Path corrData) {
    this.settings = settings;
    this.runs = List.copyOf(runs);
    this.observationSize = observationSize;
    this.zdims = List.copyOf(zdims);
    this.out = out;
    this.v3 = v3;
    this.corrData = corrData;
  }

  /** The third design this plan was built from, or null for the second. */
  public AblationV3.Design v3() {
    return v3;
  }

  /** The runs of one group ({@code sysu}, {@code regdb} or {@code zdim}), in training order. */
  public List<Run> group(String group) {
    return runs.stream().filter(r -> r.group().equals(group)).toList();
  }

  /** Every run, in the order the groups and runs are trained. */
  public List<Run> runs() {
    return runs;
  }

  /** The sizes of the z-dim sweep (empty when there is none). */
  public List<Integer> zdims() {
    return zdims;
  }

  /** The encoder's observation size D of the swept config (0 when there is no sweep). */
  public int observationSize() {
    return observationSize;
  }

  /** The ablation's folder. */
  public Path out() {
    return out;
  }

  /**
   * What {@code ibreid ablation} prints first: the budget, each group's design and one line per run, each line
   * ending with a line separator.
   */
  public String summary() {
    if (v3 != null) {
      return AblationPlanV3.summary(this);
    }
    Settings s = settings;
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("ibreid ablation: %d runs of %d iterations (%d epochs of %d batches, validation + "
        + "checkpoint after each); results in %s%n", runs.size(), s.iterations(), s.epochs(),
        s.iterations() / s.epochs(), out));
    sb.append(String.format("  sysu:  %s x %d seeds on %s (%d trials)%n", String.join(",", s.variants()), s.seeds(),
        s.sysuData(), s.sysuTrials()));
    sb.append(String.format("  probe: %s%n", !s.probes() ? "off" : "v and z of each variant's seed-"
        + AblationDefaults.PROBE_SEED + " best checkpoint"));
    sb.append(String.format("  regdb: %s%n", s.regdbVariants().isEmpty() ? "none" : String.join(",",
        s.regdbVariants()) + " x " + s.regdbSeeds() + " seeds x " + s.regdbTrials() + " trials on " + s.regdbData()));
    sb.append(String.format("  zdim:  %s%n", zdims.isEmpty() ? "none" : s.zdimVariant() + " z=" + zdims + " (D = "
        + observationSize + ") x " + s.zdimSeeds() + " seeds"));
    for (Run r : runs) {
      sb.append(String.format("  %-5s %-20s z=%-4s seed %d%s -> %s%n", r.group(), r.variant(),
          r.zdim() > 0 ? r.zdim() : "-", r.seed(), r.trial() > 0 ? " trial " + r.trial() : "", r.dir()));
    }
    return sb.toString();
  }

  /** The overrides every run gets: the budget, the sampler, the validation cadence and the holdout. */
  static List<String> budget(Settings s) {
    List<String> o = new ArrayList<>();
    o.add("schedule.epochs=" + s.epochs());
    o.add("schedule.batchesPerEpoch=" + (s.iterations() / s.epochs()));
    o.add("schedule.maxIterations=" + s.iterations());
    o.add("schedule.milestones=[" + AblationDefaults.milestone(s.epochs()) + "]");
    o.add("validation.everyEpochs=1");
    o.add("sampler.identities=" + AblationDefaults.IDENTITIES);
    o.add("sampler.instances=" + AblationDefaults.INSTANCES);
    o.add("data.params.holdout=" + AblationDefaults.HOLDOUT);
    return o;
  }

  /**
   * Resolves every run's config. {@code configFile} maps a variant to its YAML; a variant without one is an error
   * naming it.
   */
  static AblationPlan build(Settings s, Path out, Function<String, Path> configFile) {
    if (s.seeds() < 1 || s.iterations() < 1 || s.epochs() < 1 || s.iterations() < s.epochs()) {
      throw new IbreidException("--seeds, --iterations and --epochs must be >= 1, and --iterations >= --epochs");
    }
    if (s.regdbSeeds() < 0 || s.zdimSeeds() < 0 || s.regdbTrials() < 0 || s.regdbTrials() > 10) {
      throw new IbreidException("--regdb-seeds and --zdim-seeds must be >= 0, --regdb-trials 0..10");
    }
    Set<String> all = new LinkedHashSet<>(s.variants());
    all.addAll(s.regdbVariants());
    if (!s.zdimVariant().isEmpty()) {
      all.add(s.zdimVariant());
    }
    for (String v : all) {
      if (!Files.isRegularFile(configFile.apply(v))) {
        throw new IbreidException("--variants names [" + v + "], but " + configFile.apply(v) + " does not exist");
      }
    }
    List<String> sysu = new ArrayList<>();
    sysu.add("data.root=" + s.sysuData());
    sysu.addAll(budget(s));
    List<Run> runs = new ArrayList<>();
    for (int seed = 1; seed <= s.seeds(); seed++) {
      for (String v : s.variants()) {
        List<String> o = new ArrayList<>(sysu);
        o.addAll(s.overrides());
        o.add("seed=" + seed);
        String id = "runs/" + v + "/seed-" + seed;
        runs.add(new Run("sysu", v, 0, seed, 0, id, out.resolve(id), List.copyOf(o),
            ConfigLoader.load(configFile.apply(v), o), "sysu", 1, seed == AblationDefaults.PROBE_SEED));
      }
    }
    if (!s.regdbVariants().isEmpty()) {
      List<String> regdb = new ArrayList<>();
      regdb.add("data.type=" + AblationDefaults.REGDB_TYPE);
      regdb.add("data.root=" + s.regdbData());
      regdb.addAll(budget(s));
      for (int seed = 1; seed <= s.regdbSeeds(); seed++) {
        for (int t = 1; t <= s.regdbTrials(); t++) {
          for (String v : s.regdbVariants()) {
            List<String> o = new ArrayList<>(regdb);
            o.add("data.params.trial=" + t);
            o.addAll(s.overrides());
            o.add("seed=" + seed);
            String id = "runs/regdb/" + v + "/seed-" + seed + "/trial-" + t;
            runs.add(new Run("regdb", v, 0, seed, t, id, out.resolve(id), List.copyOf(o),
                ConfigLoader.load(configFile.apply(v), o), "regdb", 1, false));
          }
        }
      }
    }
    int d = 0;
    List<Integer> sizes = List.of();
    if (!s.zdimVariant().isEmpty() && s.zdimSeeds() > 0) {
      List<String> base = new ArrayList<>(sysu);
      base.addAll(s.overrides());
      RunConfig cfg = ConfigLoader.load(configFile.apply(s.zdimVariant()), base);
      String branch = cfg.branches.keySet().iterator().next();
      RunConfig.PluginSpec enc = cfg.branches.get(branch).encoder;
      d = Plugins.discover().get(EncoderFactory.KIND, enc.type).fromConfig(enc.params,
          "branches." + branch + ".encoder.params")
          .observationSize();
      int dd = d;
      sizes = s.zdims() != null ? s.zdims().stream().filter(z -> z > 0).toList()
          : AblationDefaults.ZDIM_DIVISORS.stream().map(f -> dd / f).filter(z -> z > 0).toList();
      for (int seed = 1; seed <= s.zdimSeeds(); seed++) {
        for (int z : sizes) {
          List<String> o = new ArrayList<>(base);
          o.add("seed=" + seed);
          for (String b : cfg.branches.keySet()) {
            o.add("branches." + b + ".bottleneck.params.dim=" + z);
          }
          String id = "runs/" + s.zdimVariant() + "-z" + z + "/seed-" + seed;
          runs.add(new Run("zdim", s.zdimVariant(), z, seed, 0, id, out.resolve(id), List.copyOf(o),
              ConfigLoader.load(configFile.apply(s.zdimVariant()), o), "sysu", 1, false));
        }
      }
    }
    return new AblationPlan(s, runs, d, sizes, out);
  }

  /**
   * A fingerprint of a data set folder: SHA-256 over the generator's parameters file, the factor file and the
   * split lists (SYSU {@code exp/*.txt}, RegDB {@code idx/*.txt}), each preceded by its relative path; with the
   * files hashed and the generator's parameters. {@code {"missing": true}} when the folder does not exist.
   */
  static ObjectNode fingerprint(Path root) {
    ObjectNode f = JSON.createObjectNode();
    if (!Files.isDirectory(root)) {
      f.put("missing", true);
      return f;
    }
    List<Path> files = new ArrayList<>();
    for (String name : List.of(SyntheticGenerator.SPEC_FILE, FactorFile.NAME)) {
      if (Files.isRegularFile(root.resolve(name))) {
        files.add(root.resolve(name));
      }
    }
    for (String dir : List.of("exp", "idx")) {
      if (Files.isDirectory(root.resolve(dir))) {
        try (Stream<Path> s = Files.list(root.resolve(dir))) {
          s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().forEach(files::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ArrayNode names = f.putArray("files");
      for (Path p : files) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        names.add(rel);
        md.update((rel + "\n").getBytes(StandardCharsets.UTF_8));
        md.update(Files.readAllBytes(p));
      }
      f.put("sha256", HexFormat.of().formatHex(md.digest()));
      Path spec = root.resolve(SyntheticGenerator.SPEC_FILE);
      if (Files.isRegularFile(spec)) {
        f.put("generator", Files.readString(spec, StandardCharsets.UTF_8).strip().replace('\n', ' '));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return f;
  }

  /** The run's entry of the plan (also written into its directory as {@link #RUN_FILE}). */
  ObjectNode entry(Run r, Map<String, JsonNode> fingerprints) {
    ObjectNode e = JSON.createObjectNode();
    e.put("id", r.id());
    e.put("group", r.group());
    e.put("variant", r.variant());
    e.put("seed", r.seed());
    if (r.trial() > 0) {
      e.put("trial", r.trial());
    }
    if (r.zdim() > 0) {
      e.put("zdim", r.zdim());
    }
    JsonNode fp = fingerprints.get(r.data());
    e.put("dataSha256", fp == null || !fp.has("sha256") ? "unknown" : fp.get("sha256").asText());
    if (v3 != null) {
      e.put("phase", r.phase());
      e.put("probe", r.probe());
    }
    e.set("config", JSON.valueToTree(r.config()));
    return e;
  }

  /** {@code plan.json}: the design, then every run's entry. {@code fingerprints}: "sysu"/"regdb" → fingerprint. */
  ObjectNode toJson(Map<String, JsonNode> fingerprints) {
    if (v3 != null) {
      return AblationPlanV3.toJson(this, fingerprints);
    }
    Settings s = settings;
    ObjectNode p = JSON.createObjectNode();
    p.put("version", VERSION);
    p.put("order", "sysu main table seed by seed (every variant of seed 1, then seed 2, ...); probes of seed "
        + AblationDefaults.PROBE_SEED + "'s runs; regdb seed by seed, trial by trial; z-dim seed by seed");
    p.set("variants", JSON.valueToTree(s.variants()));
    p.put("seeds", s.seeds());
    p.put("iterations", s.iterations());
    p.put("epochs", s.epochs());
    p.put("batchesPerEpoch", s.iterations() / s.epochs());
    // as resolved (the defaults' P x K unless --set changed it for every run)
    ObjectNode batch = p.putObject("batch");
    batch.put("identities", runs.isEmpty() ? AblationDefaults.IDENTITIES : runs.get(0).config().sampler.identities);
    batch.put("instances", runs.isEmpty() ? AblationDefaults.INSTANCES : runs.get(0).config().sampler.instances);
    p.put("checkpoint", "best validation mAP over the " + s.epochs() + " epoch ends (validation split: "
        + "held-out training identities)");
    p.set("overrides", JSON.valueToTree(s.overrides()));
    ObjectNode sysu = p.putObject("sysu");
    sysu.put("data", s.sysuData().toString());
    sysu.set("fingerprint", fingerprints.getOrDefault("sysu", JSON.createObjectNode().put("missing", true)));
    sysu.put("trials", s.sysuTrials());
    sysu.put("protocol", "SYSU-MM01 single-shot, all-search and indoor, " + s.sysuTrials() + " random galleries");
    ObjectNode probe = p.putObject("probe");
    probe.put("seed", AblationDefaults.PROBE_SEED);
    probe.set("outputs", JSON.valueToTree(AblationDefaults.PROBE_OUTPUTS));
    probe.put("splitSeed", 1);
    ObjectNode regdb = p.putObject("regdb");
    regdb.set("variants", JSON.valueToTree(s.regdbVariants()));
    regdb.put("seeds", s.regdbSeeds());
    regdb.put("trials", s.regdbTrials());
    regdb.put("data", s.regdbData().toString());
    regdb.put("type", AblationDefaults.REGDB_TYPE);
    if (!s.regdbVariants().isEmpty()) {
      regdb.set("fingerprint", fingerprints.getOrDefault("regdb", JSON.createObjectNode().put("missing", true)));
    }
    ObjectNode zdim = p.putObject("zdim");
    zdim.put("variant", s.zdimVariant());
    zdim.put("observationSize", observationSize);
    zdim.set("sizes", JSON.valueToTree(zdims));
    zdim.put("seeds", zdims.isEmpty() ? 0 : s.zdimSeeds());
    ArrayNode list = p.putArray("runs");
    for (Run r : runs) {
      list.add(entry(r, fingerprints));
    }
    p.put("probes", s.probes());
    p.put("kernels", s.kernels());
    return p;
  }

  /**
   * A plan.json written before the {@code kernels} key existed, read as what it ran with: libnd4j's kernels (the
   * only ones then). Returns the same node, completed.
   */
  static JsonNode upgrade(JsonNode written) {
    if (written instanceof ObjectNode o && !o.has("kernels")) {
      o.put("kernels", "libnd4j");
    }
    return written;
  }

  /**
   * {@code was} with each data set's folder moved to the one {@code now} names, for every data set ({@code sysu},
   * {@code regdb}) whose fingerprint is the same in both: the same files read from another place (a copy of a
   * finished ablation's files reported elsewhere). Every text value equal to the old folder, or below it, is
   * rewritten; everything else is left as it was.
   */
  static JsonNode relocated(JsonNode was, JsonNode now) {
    JsonNode out = was.deepCopy();
    for (String group : List.of("sysu", "regdb", "corr")) {
      JsonNode w = was.path(group);
      JsonNode n = now.path(group);
      JsonNode fp = w.path("fingerprint");
      if (w.path("data").isTextual() && n.path("data").isTextual() && fp.isObject()
          && fp.equals(n.path("fingerprint")) && !w.path("data").asText().equals(n.path("data").asText())) {
        out = movePaths(out, w.path("data").asText(), n.path("data").asText());
      }
    }
    return out;
  }

  private static JsonNode movePaths(JsonNode node, String from, String to) {
    if (node.isTextual()) {
      String s = node.asText();
      return s.equals(from) || s.startsWith(from + "/") ? TextNode.valueOf(to + s.substring(from.length())) : node;
    }
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      List<String> keys = new ArrayList<>();
      o.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        o.set(k, movePaths(o.get(k), from, to));
      }
    } else if (node.isArray()) {
      ArrayNode a = (ArrayNode) node;
      for (int i = 0; i < a.size(); i++) {
        a.set(i, movePaths(a.get(i), from, to));
      }
    }
    return node;
  }

  /**
   * The first difference between two plans as {@code key: A in plan.json, B now} (runs named by id), or null when
   * they are equal.
   */
  static String firstDifference(JsonNode was, JsonNode now) {
    return PLAN_DIFF.first(was, now);
  }

  static Iterator<JsonNode> entries(JsonNode plan) {
    return plan.path("runs").elements();
  }

  /**
   * The training time of the runs still to do (no {@code metrics.json} yet), from the steps per second measured in
   * the {@code train.log}s under {@link #out()} by branch count; one line, "unknown" with the reason when nothing
   * was measured yet.
   */
  public String estimate() throws IOException {
    Map<Integer, double[]> byBranches = new TreeMap<>(); // branches -> {steps/s sum, count}
    Map<Integer, String> source = new TreeMap<>();
    if (Files.isDirectory(out)) {
      try (Stream<Path> s = Files.walk(out, 6)) {
        for (Path log : s.filter(p -> p.getFileName().toString().equals("train.log")).sorted().toList()) {
          Path cfg = log.resolveSibling("config.yaml");
          if (!Files.isRegularFile(cfg)) {
            continue;
          }
          double rate = TrainLogTiming.stepsPerSecond(Files.readAllLines(log));
          if (Double.isNaN(rate)) {
            continue;
          }
          int branches = ConfigLoader.load(cfg, List.of()).branches.size();
          double[] acc = byBranches.computeIfAbsent(branches, k -> new double[2]);
          acc[0] += rate;
          acc[1]++;
          source.putIfAbsent(branches, log.toString());
        }
      } catch (RuntimeException e) {
        return "estimated wall time: unknown (could not read the train.logs under " + out + ": " + e.getMessage()
            + ")";
      }
    }
    if (byBranches.isEmpty()) {
      return "estimated wall time: unknown (no train.log under " + out + " yet to measure steps/s from)";
    }
    double seconds = 0;
    int todo = 0;
    int unknown = 0;
    for (Run r : runs) {
      if (Files.isRegularFile(r.dir().resolve("metrics.json"))) {
        continue;
      }
      todo++;
      double[] acc = byBranches.get(r.config().branches.size());
      if (acc == null) {
        unknown++;
      } else {
        seconds += r.config().schedule.maxIterations / (acc[0] / acc[1]);
      }
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "estimated wall time: %.1f h of training for "
        + "%d of the %d runs still to do", seconds / 3600, todo - unknown, todo));
    byBranches.forEach((b, acc) -> sb.append(String.format(Locale.ROOT, "; %d-branch runs at %.2f steps/s "
        + "(mean of %d train.logs, e.g. %s)", b, acc[0] / acc[1], (int) acc[1], source.get(b))));
    if (unknown > 0) {
      sb.append("; ").append(unknown).append(" runs of a branch count with no train.log yet: unknown");
    }
    sb.append("; evaluation and probes not included");
    return sb.toString();
  }
}
