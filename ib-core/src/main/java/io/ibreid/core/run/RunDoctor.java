package io.ibreid.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ibreid.core.IbreidException;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Examines a run directory and says what is wrong with it: config that no longer loads, damaged checkpoints, a
 * {@code last} pointer or best record that points nowhere (errors), leftover temporary folders, unreadable metrics lines,
 * and whether a process is training in it now. Reads only; changes nothing.
 */
public final class RunDoctor {
  /** One finding: {@code ok}, {@code warning} or {@code error}, and a sentence. */
  public record Finding(String level, String message) {
    @Override
    public String toString() {
      return level + ": " + message;
    }
  }

  private RunDoctor() {}

  public static List<Finding> examine(Path runDir) {
    List<Finding> out = new ArrayList<>();
    RunDirectory run = new RunDirectory(runDir);
    if (!Files.isDirectory(runDir)) {
      out.add(new Finding("error", runDir + " is not a directory"));
      return out;
    }
    RunConfig config = null;
    try {
      config = ConfigLoader.load(run.config(), List.of());
      out.add(new Finding("ok", "config.yaml loads (" + config.name + ", branches " + config.branches.keySet() + ")"));
    } catch (IbreidException e) {
      out.add(new Finding("error", e.getMessage()));
    }
    Checkpoints checkpoints = new Checkpoints(run.checkpoints(), config == null ? 2 : config.checkpoint.keep);
    List<Path> all = checkpoints.list();
    if (all.isEmpty()) {
      out.add(new Finding("warning", "no checkpoint in " + run.checkpoints() + " (nothing to resume or evaluate)"));
    }
    for (Path p : all) {
      Optional<String> problem = Checkpoints.verify(p);
      out.add(problem.map(s -> new Finding("error", p.getFileName() + ": " + s + " (resume skips it)"))
          .orElseGet(() -> new Finding("ok", p.getFileName() + " is sound")));
    }
    Path best = run.checkpoints().resolve("best");
    if (Files.exists(best)) {
      out.add(Checkpoints.verify(best).map(s -> new Finding("error", "best: " + s + " (eval and extract refuse it; "
              + "name another checkpoint with --checkpoint)"))
          .orElseGet(() -> new Finding("ok", "best checkpoint is sound")));
    } else if (Files.exists(run.checkpoints().resolve("best.json"))) {
      out.add(new Finding("error", "checkpoints/best.json records a best checkpoint, but checkpoints/best does not "
          + "exist"));
    }
    Path last = run.checkpoints().resolve("last");
    if (Files.isRegularFile(last)) {
      try {
        String name = Files.readString(last, StandardCharsets.UTF_8).trim();
        if (!name.matches("iter-\\d{8}") || !Files.isDirectory(run.checkpoints().resolve(name))) {
          out.add(new Finding("error", "checkpoints/last names " + name + ", which does not exist"));
        }
      } catch (IOException e) {
        out.add(new Finding("error", "checkpoints/last cannot be read: " + e.getMessage()));
      }
    }
    RunLock.holder(runDir).ifPresent(pid -> out.add(new Finding("ok", "process " + (pid < 0 ? "(unknown)" : pid)
        + " is training in it now")));
    if (Files.isDirectory(run.checkpoints())) {
      try (var s = Files.list(run.checkpoints())) {
        s.filter(p -> p.getFileName().toString().endsWith(".tmp")).forEach(p -> out.add(new Finding("warning",
            p.getFileName() + " is a leftover of an interrupted write (safe to delete)")));
      } catch (IOException e) {
        out.add(new Finding("error", "cannot list " + run.checkpoints() + ": " + e.getMessage()));
      }
    }
    if (Files.isRegularFile(run.metrics())) {
      try {
        ObjectMapper json = new ObjectMapper();
        int bad = 0;
        int n = 0;
        for (String line : Files.readAllLines(run.metrics(), StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          n++;
          try {
            json.readTree(line);
          } catch (IOException e) {
            bad++;
          }
        }
        out.add(bad == 0 ? new Finding("ok", "metrics.jsonl has " + n + " records")
            : new Finding("warning", "metrics.jsonl has " + bad + " unreadable line(s) of " + n
                + " (a crash mid-write; resume drops them)"));
      } catch (IOException e) {
        out.add(new Finding("error", "metrics.jsonl cannot be read: " + e.getMessage()));
      }
    }
    return out;
  }
}
