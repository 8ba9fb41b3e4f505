package io.ibreid.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ibreid.core.IbreidException;
import io.ibreid.core.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics.jsonl}, written as a listener of the training loop: one JSON object per training step and one per
 * validation, appended and flushed as they happen. At the start it drops the lines of steps a resumed run redoes.
 */
public final class MetricsLog implements TrainerListener, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private BufferedWriter out;
  private long lastIteration = -1;

  public MetricsLog(Path file) {
    this.file = file;
  }

  @Override
  public void onStart(long startIteration, long totalIterations, String description) {
    openAfter(startIteration);
  }

  @Override
  public void onIteration(IterationRecord record) {
    write(record);
    lastIteration = record.iteration();
  }

  /** Recorded with the iteration of the step it followed. */
  @Override
  public void onValidation(int epoch, Map<String, Double> scores) {
    writeValidation(lastIteration, epoch, scores);
  }

  /** Drops lines past {@code iteration} (steps redone after a resume), atomically; then opens for appending. */
  void openAfter(long iteration) {
    try {
      if (Files.exists(file)) {
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          try {
            JsonNode n = JSON.readTree(line);
            if (n.path("iteration").asLong(Long.MAX_VALUE) < iteration) {
              kept.add(line);
            }
          } catch (IOException e) {
            // a line cut by a crash: dropped
          }
        }
        AtomicFiles.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
      }
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IbreidException("cannot write metrics file " + file + ": " + e.getMessage());
    }
  }

  void write(IterationRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("iteration", r.iteration());
    m.put("epoch", r.epoch());
    m.put("lr", r.lr());
    m.put("loss", r.loss());
    m.put("terms", r.terms());
    if (!r.diagnostics().isEmpty()) {
      m.put("diagnostics", r.diagnostics());
    }
    m.put("gradNorm", r.gradientNorm());
    m.put("imgPerSec", r.imagesPerSecond());
    m.put("dataWait", r.dataWaitFraction());
    if (r.skipped()) {
      m.put("skipped", true);
    }
    try {
      out.write(JSON.writeValueAsString(m));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new IbreidException("cannot write metrics file " + file + ": " + e.getMessage());
    }
  }

  /** A validation record: {@code {"iteration": i, "epoch": e, "validation": {...}}}. */
  void writeValidation(long iteration, int epoch, Map<String, Double> scores) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("iteration", iteration);
    m.put("epoch", epoch);
    m.put("validation", scores);
    try {
      out.write(JSON.writeValueAsString(m));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new IbreidException("cannot write metrics file " + file + ": " + e.getMessage());
    }
  }

  /** Reads every record of a metrics file as JSON trees (tools, tests). */
  public static List<JsonNode> read(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  @Override
  public void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException ignored) {
        // nothing left to do
      }
    }
  }
}
