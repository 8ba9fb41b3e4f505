package io.ibreid.eval.run;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.data.CrossModalSource;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.regdb.RegDb;
import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.protocol.EvalProtocol;
import io.ibreid.eval.protocol.ProtocolSummary;
import io.ibreid.eval.protocol.RegdbProtocol;
import io.ibreid.eval.protocol.SysuProtocol;
import io.ibreid.eval.ranking.CmcConvention;
import io.ibreid.eval.ranking.RankingEvaluator;
import io.ibreid.eval.rerank.KReciprocalReranking;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a trained model on a data set's test split with the published protocols: SYSU-MM01 (infrared queries
 * of cameras 3 and 6 against a visible gallery drawn per trial; all-search and/or indoor, single- or multi-shot) or
 * RegDB (the run's trial, both directions). Features come from {@link ModelFeatures}; distances are cosine.
 */
public final class RunEvaluation {
  /** One protocol's result, with a label such as {@code sysu all-search single-shot}. */
  public record Result(String key, String title, ProtocolSummary summary) {}

  /** One feature set's results: its name ({@code ""} for the primary feature), its parts per modality. */
  public record SetResults(String name, List<String> visible, List<String> infrared, List<Result> results) {
    public boolean primary() {
      return name.isEmpty();
    }
  }

  private final Map<String, ModelFeatures> sets;
  private final ModelFeatures features;
  private final Distance distance;
  private final KReciprocalReranking rerank;

  public RunEvaluation(ModelFeatures features, Distance distance, KReciprocalReranking rerank) {
    this(Map.of("", features), distance, rerank);
  }

  /**
   * Evaluates several feature sets of one model on the same test images, queries, galleries and trials; the first
   * entry is the primary feature (its name is ignored; see {@link ModelFeatures#sets}).
   */
  public RunEvaluation(Map<String, ModelFeatures> sets, Distance distance, KReciprocalReranking rerank) {
    if (sets.isEmpty()) {
      throw new IllegalArgumentException("no feature set");
    }
    // ND4J and the OpenBLAS binding, on the caller's thread before extraction starts its readers
    NativeRuntime.load();
    this.sets = new LinkedHashMap<>(sets);
    this.features = sets.values().iterator().next();
    this.distance = distance;
    this.rerank = rerank;
  }

  private List<String> names() {
    List<String> out = new ArrayList<>(sets.keySet());
    out.set(0, "");
    return out;
  }

  private SetResults set(String name, ModelFeatures f, List<Result> results) {
    return new SetResults(name, f.parts(View.VISIBLE).stream().map(Object::toString).toList(),
        f.parts(View.INFRARED).stream().map(Object::toString).toList(), results);
  }

  static List<ImageMeta> meta(List<ImageRecord> records) {
    List<ImageMeta> out = new ArrayList<>(records.size());
    for (ImageRecord r : records) {
      out.add(new ImageMeta(r.path().toString(), r.pid(), r.camera()));
    }
    return out;
  }

  /** SYSU-MM01 with its own CMC convention (identity-wise). */
  public List<Result> sysu(CrossModalSource source, List<SysuProtocol.Mode> modes, int shots, int trials) {
    return sysu(source, modes, shots, trials, EvalProtocol.SYSU.defaultCmc());
  }

  /**
   * SYSU-MM01 on {@code source.testRecords()}, for each mode, CMC counted by {@code cmc}; features extracted once;
   * the primary feature's results.
   */
  public List<Result> sysu(CrossModalSource source, List<SysuProtocol.Mode> modes, int shots, int trials,
      CmcConvention cmc) {
    return sysuSets(source, modes, shots, trials, cmc).get(0).results();
  }

  /**
   * SYSU-MM01 for every feature set, primary first: one extraction for all sets (each output once per image), then
   * each set through the same protocol code on the same test images, so every set has the same queries and, trial
   * by trial, the same gallery ({@link io.ibreid.eval.protocol.TrialSampler} draws galleries from the metadata alone).
   */
  public List<SetResults> sysuSets(CrossModalSource source, List<SysuProtocol.Mode> modes, int shots, int trials,
      CmcConvention cmc) {
    List<ImageRecord> test = source.testRecords();
    if (test.isEmpty()) {
      throw new IbreidException("data set " + source.root() + " has no test images");
    }
    List<ModelFeatures> all = new ArrayList<>(sets.values());
    List<FeatureMatrix> fs = ModelFeatures.extractAll(all, test);
    List<ImageMeta> meta = meta(test);
    List<String> names = names();
    List<SetResults> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      List<Result> results = new ArrayList<>();
      for (SysuProtocol.Mode mode : modes) {
        SysuProtocol protocol = new SysuProtocol(mode, shots, trials, cmc);
        ProtocolSummary s = protocol.evaluate(fs.get(i), meta, distance, KernelFactory.BLAS, rerank,
            new RankingEvaluator());
        String shot = shots == 1 ? "single-shot" : shots + "-shot";
        results.add(new Result("sysu-" + mode.label() + "-" + shots + "shot",
            "SYSU-MM01 " + mode.label() + "-search " + shot + ", " + trials + " trials", s));
      }
      out.add(set(names.get(i), all.get(i), results));
    }
    return out;
  }

  /** RegDB with its own CMC convention (image-wise). */
  public List<Result> regdb(CrossModalSource source) {
    return regdb(source, EvalProtocol.REGDB.defaultCmc());
  }

  /** RegDB: the source's trial, visible→thermal and thermal→visible, CMC counted by {@code cmc}; primary feature. */
  public List<Result> regdb(CrossModalSource source, CmcConvention cmc) {
    return regdbSets(source, cmc).get(0).results();
  }

  /** RegDB for every feature set, primary first, on the same test images (one extraction for all sets). */
  public List<SetResults> regdbSets(CrossModalSource source, CmcConvention cmc) {
    if (!(source instanceof RegDb regdb)) {
      throw new IbreidException("RegDB evaluation needs a RegDB data set, got " + source.describe());
    }
    List<ImageRecord> vis = regdb.testVisible();
    List<ImageRecord> th = regdb.testThermal();
    List<ModelFeatures> all = new ArrayList<>(sets.values());
    List<ImageRecord> both = new ArrayList<>(vis);
    both.addAll(th);
    List<FeatureMatrix> fs = ModelFeatures.extractAll(all, both);
    int[] visRows = java.util.stream.IntStream.range(0, vis.size()).toArray();
    int[] thRows = java.util.stream.IntStream.range(vis.size(), both.size()).toArray();
    List<String> names = names();
    List<SetResults> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      RegdbProtocol.TrialResult t = RegdbProtocol.evaluateTrial(fs.get(i).select(visRows), meta(vis),
          fs.get(i).select(thRows), meta(th), distance, KernelFactory.BLAS, rerank, new RankingEvaluator(), cmc);
      out.add(set(names.get(i), all.get(i), List.of(
          new Result("regdb-v2t", "RegDB visible to thermal", ProtocolSummary.of(List.of(t.visibleToThermal()))),
          new Result("regdb-t2v", "RegDB thermal to visible", ProtocolSummary.of(List.of(t.thermalToVisible()))))));
    }
    return out;
  }

  /** {@code {"key": {...summary...}, ...}} for metrics.json. */
  public static String json(List<Result> results, Map<String, Object> extra) {
    StringBuilder sb = new StringBuilder("{");
    // a LinkedHashMap keeps its order; any other map (Map.of iterates in a per-JVM random order) is sorted by key, so
    // that the same evaluation writes the same bytes in every process
    Map<String, Object> all = extra instanceof LinkedHashMap<String, Object> ordered ? ordered
        : new java.util.TreeMap<>(extra);
    for (Map.Entry<String, Object> e : all.entrySet()) {
      sb.append('"').append(e.getKey()).append("\": ").append(jsonValue(e.getValue())).append(", ");
    }
    for (int i = 0; i < results.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append('"').append(results.get(i).key()).append("\": ")
          .append(results.get(i).summary().toJson());
    }
    return sb.append("}\n").toString();
  }

  /**
   * metrics.json for several feature sets: {@code extra}, then {@code "features": {"visible": [...], "infrared":
   * [...]}} naming the primary set, the primary set's protocol objects at the top level (exactly as
   * {@link #json(List, Map)} writes them), then, when there are named sets, {@code "featureSets": {"NAME":
   * {"features": {...}, <the same protocol keys>}}}.
   */
  public static String setsJson(List<SetResults> sets, Map<String, Object> extra) {
    SetResults primary = sets.get(0);
    StringBuilder sb = new StringBuilder("{");
    Map<String, Object> all = extra instanceof LinkedHashMap<String, Object> ordered ? ordered
        : new java.util.TreeMap<>(extra);
    for (Map.Entry<String, Object> e : all.entrySet()) {
      sb.append('"').append(e.getKey()).append("\": ").append(jsonValue(e.getValue())).append(", ");
    }
    sb.append("\"features\": ").append(features(primary));
    for (Result r : primary.results()) {
      sb.append(", \"").append(r.key()).append("\": ").append(r.summary().toJson());
    }
    if (sets.size() > 1) {
      sb.append(", \"featureSets\": {");
      for (int i = 1; i < sets.size(); i++) {
        SetResults s = sets.get(i);
        sb.append(i == 1 ? "" : ", ").append(jsonValue(s.name())).append(": {\"features\": ").append(features(s));
        for (Result r : s.results()) {
          sb.append(", \"").append(r.key()).append("\": ").append(r.summary().toJson());
        }
        sb.append('}');
      }
      sb.append('}');
    }
    return sb.append("}\n").toString();
  }

  private static String features(SetResults s) {
    return "{\"visible\": " + strings(s.visible()) + ", \"infrared\": " + strings(s.infrared()) + "}";
  }

  private static String strings(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(jsonValue(values.get(i)));
    }
    return sb.append(']').toString();
  }

  /** One block per feature set: a line naming the set and its parts, then {@link #table(List)} of its results. */
  public static String tables(List<SetResults> sets) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < sets.size(); i++) {
      SetResults s = sets.get(i);
      sb.append(i == 0 ? "" : "\n").append(s.primary() ? "primary feature" : "feature set " + s.name())
          .append(": visible ").append(s.visible()).append(", infrared ").append(s.infrared()).append('\n');
      sb.append(table(s.results()));
    }
    return sb.toString();
  }

  private static String jsonValue(Object v) {
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return '"' + String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /**
   * Compact table: a header naming the CMC convention, then one line per protocol with mean R1, R10, R20, mAP, mINP
   * (percent) and the counts: queries, gallery images (mean over trials), valid and skipped queries. When the rows
   * count CMC differently, each row names its convention instead of the header.
   */
  public static String table(List<Result> results) {
    Set<CmcConvention> conventions = EnumSet.noneOf(CmcConvention.class);
    results.forEach(r -> conventions.add(r.summary().cmcConvention()));
    boolean one = conventions.size() == 1;
    String first = one ? "protocol, CMC " + conventions.iterator().next().description() : "protocol";
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-48s %6s %6s %6s %6s %6s %8s %8s %6s %8s%n",
        first, "R1", "R10", "R20", "mAP", "mINP", "queries", "gallery", "valid", "skipped"));
    for (Result r : results) {
      ProtocolSummary s = r.summary();
      double[] cmc = s.meanCmc();
      String title = one ? r.title() : r.title() + ", CMC " + s.cmcConvention().description();
      sb.append(String.format(Locale.ROOT, "%-48s %6.2f %6.2f %6.2f %6.2f %6.2f %8s %8s %6s %8s%n", title,
          100 * cmc[0], 100 * cmc[9], 100 * cmc[19], 100 * s.meanMAP(), 100 * s.meanMINP(),
          ProtocolSummary.count(s.meanQueries()), ProtocolSummary.count(s.meanGalleryImages()),
          ProtocolSummary.count(s.meanValidQueries()), ProtocolSummary.count(s.meanSkippedQueries())));
    }
    return sb.toString();
  }

  /** One line for each result that skipped more than a tenth of its queries (see {@link ProtocolSummary#skipWarning}). */
  public static List<String> warnings(List<Result> results) {
    List<String> out = new ArrayList<>();
    for (Result r : results) {
      r.summary().skipWarning(r.title()).ifPresent(out::add);
    }
    return out;
  }
}
