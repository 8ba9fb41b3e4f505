package io.ibreid.ablation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.data.CrossModalSource;
import io.ibreid.data.DataSources;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.synthetic.FactorFile;
import io.ibreid.eval.extract.TrainingImageLoader;
import io.ibreid.eval.probe.FactorTable;
import io.ibreid.eval.probe.LinearProbe;
import io.ibreid.eval.probe.ModelProbe;
import io.ibreid.eval.probe.Probes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ablation's probe of one variant: the linear probes of reid-eval ({@link Probes}, as {@code ibreid probe})
 * on a run's best (validation-chosen) checkpoint, for {@code v} and {@code z} of the branch the variant is evaluated
 * on (the shared branch when the evaluation uses it; otherwise each branch the evaluation names), plus the
 * configured test-time feature when it is not one of those. Written as {@link #FILE} into the run directory, which
 * makes it resumable: an existing file is read, not recomputed.
 */
final class AblationProbe {
  static final String FILE = "ablation-probe.json";

  private AblationProbe() {}

  /** The branches a run is evaluated on, from its {@code evaluation} keys ({@code shared.z} → shared). */
  static List<String> evaluatedBranches(io.ibreid.core.config.RunConfig cfg) {
    Set<String> b = new LinkedHashSet<>();
    for (String k : cfg.evaluation.visible) {
      b.add(k.substring(0, k.indexOf('.') < 0 ? k.length() : k.indexOf('.')));
    }
    for (String k : cfg.evaluation.infrared) {
      b.add(k.substring(0, k.indexOf('.') < 0 ? k.length() : k.indexOf('.')));
    }
    if (b.contains("shared")) {
      return List.of("shared");
    }
    return List.copyOf(b);
  }

  /** The probe of {@code runDir}'s best checkpoint: read from {@link #FILE} when present, else computed and saved. */
  static JsonNode probe(String variant, Path runDir, int threads) throws IOException {
    return probe(variant, runDir, threads, AblationDefaults.PROBE_OUTPUTS);
  }

  /** As {@link #probe(String, Path, int)}, probing only {@code outputs} ({@code v}, {@code z}) of the branches. */
  static JsonNode probe(String variant, Path runDir, int threads, List<String> outputs) throws IOException {
    Path file = runDir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      return AblationPlan.read(file, "delete it to probe the run again");
    }
    TrainedRun trained = TrainedRun.open(runDir, "best");
    CrossModalSource source = DataSources.open(trained.config(), null, null, null);
    List<ImageRecord> images = DataSources.testImages(source);
    boolean factors = FactorFile.exists(source.root());
    FactorTable table = factors ? FactorTable.fromFactorFile(images, source.root(),
        !DataSources.isRegdb(trained.config().data.type)) : FactorTable.fromLayout(images);
    List<String> branches = evaluatedBranches(trained.config());
    List<Probes.Feature> all = ModelProbe.features(trained.model(), trained.config().evaluation, table,
        new TrainingImageLoader(), outputs, false);
    List<Probes.Feature> keep = new ArrayList<>();
    for (Probes.Feature f : all) {
      String name = f.name();
      boolean test = name.startsWith("test ");
      if (test || branches.contains(name.substring(0, name.indexOf('.')))) {
        keep.add(f);
      }
    }
    Probes.Result result = Probes.run(keep, table, 1, new LinearProbe(), threads);
    ObjectNode out = AblationPlan.JSON.createObjectNode();
    out.put("variant", variant);
    out.put("run", runDir.toString());
    out.put("checkpoint", trained.checkpoint().getFileName().toString());
    out.put("factorFile", factors);
    out.set("branches", AblationPlan.JSON.valueToTree(branches));
    int nBranches = trained.config().branches.size();
    String note = "";
    if (nBranches > 1 && branches.equals(List.of("shared"))) {
      note = "the shared branch of " + nBranches + " (the one the variant is evaluated on)";
    } else if (branches.size() > 1) {
      note = "evaluated on " + String.join(" and ", branches) + " (each branch's features of the modality it sees)";
    }
    if (!factors) {
      note = (note.isEmpty() ? "" : note + "; ") + "no factor file: identity, modality and camera only";
    }
    out.put("note", note);
    ArrayNode features = out.putArray("features");
    for (Probes.Feature f : result.features()) {
      ObjectNode fo = features.addObject();
      fo.put("name", f.name());
      fo.put("output", f.name().startsWith("test ") ? "test" : f.name().substring(f.name().indexOf('.') + 1));
      fo.set("modalities", AblationPlan.JSON.valueToTree(f.modalities().stream().map(v -> v.label()).toList()));
      ObjectNode scores = fo.putObject("scores");
      for (Map.Entry<String, LinearProbe.Score> e : result.scores().get(f.name()).entrySet()) {
        LinearProbe.Score s = e.getValue();
        ObjectNode so = scores.putObject(e.getKey());
        so.put("metric", s.metric());
        so.put("value", s.value());
        so.put("chance", s.chance());
        so.put("scored", s.scoredImages());
        so.put("fitted", s.fitImages());
      }
    }
    AtomicFiles.writeString(file, AblationPlan.JSON.writeValueAsString(out) + "\n");
    return out;
  }
}
