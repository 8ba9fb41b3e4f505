package io.ibreid.ablation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ibreid.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports finished runs of earlier ablations (the third design reuses the second's seeds 1–5 and its own pilot): a
 * planned run without {@code metrics.json} whose id a source folder's {@code plan.json} also plans, with the same
 * resolved config and data fingerprint (data folders that moved are compared by fingerprint, as
 * {@link AblationPlan#relocated} does), gets the source run's {@code metrics.json}, probe and {@code terms.json}, its
 * own {@code plan-run.json} and {@value #FILE} naming where it came from. Nothing is trained; the runner then treats
 * the run as finished. A run folder that already holds a started run is left alone.
 */
final class RunImport {
  static final String FILE = "imported.json";
  /** Copied in this order: metrics.json last, so a half-done import is not taken for a finished run. */
  static final List<String> FILES = List.of(AblationProbe.FILE, RunTerms.FILE, "metrics.json");

  private RunImport() {}

  /** Imports what it can; returns the ids imported, in plan order. */
  static List<String> run(AblationPlan plan, JsonNode planJson, Map<String, JsonNode> fingerprints, List<Path> sources)
      throws IOException {
    List<Source> srcs = new ArrayList<>();
    for (Path dir : sources) {
      Path file = dir.resolve(AblationPlan.FILE);
      if (!Files.isRegularFile(file) || dir.toAbsolutePath().normalize().equals(plan.out.toAbsolutePath()
          .normalize())) {
        continue;
      }
      JsonNode was = AblationPlan.relocated(AblationPlan.upgrade(AblationPlan.JSON.readTree(file.toFile())), planJson);
      Map<String, JsonNode> byId = new LinkedHashMap<>();
      for (Iterator<JsonNode> it = AblationPlan.entries(was); it.hasNext(); ) {
        JsonNode e = it.next();
        byId.put(e.path("id").asText(), e);
      }
      srcs.add(new Source(dir, byId));
    }
    List<String> imported = new ArrayList<>();
    for (AblationPlan.Run r : plan.runs) {
      Path dir = r.dir();
      if (Files.exists(dir.resolve("metrics.json")) || Files.exists(dir.resolve("config.yaml"))
          || Files.exists(dir.resolve("checkpoints"))) {
        continue;
      }
      ObjectNode entry = plan.entry(r, fingerprints);
      for (Source s : srcs) {
        JsonNode e = s.byId().get(r.id());
        Path from = s.dir().resolve(r.id());
        if (e == null || !Files.isRegularFile(from.resolve("metrics.json"))
            || !e.path("dataSha256").asText().equals(entry.path("dataSha256").asText())
            || AblationPlan.firstDifference(e.path("config"), entry.path("config")) != null) {
          continue;
        }
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(AblationPlan.RUN_FILE), AblationPlan.JSON.writeValueAsString(entry) + "\n");
        ObjectNode why = AblationPlan.JSON.createObjectNode();
        why.put("from", from.toString());
        why.put("entry", r.id());
        AtomicFiles.writeString(dir.resolve(FILE), AblationPlan.JSON.writeValueAsString(why) + "\n");
        for (String f : FILES) {
          if (Files.isRegularFile(from.resolve(f))) {
            Path tmp = dir.resolve(f + ".importing");
            Files.copy(from.resolve(f), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          }
        }
        imported.add(r.id());
        break;
      }
    }
    return imported;
  }

  private record Source(Path dir, Map<String, JsonNode> byId) {}
}
