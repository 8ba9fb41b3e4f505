package io.ibreid.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.ibreid.core.IbreidException;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A training process's hold on its run directory: the directory belongs to one run. Claiming it locks it
 * ({@link RunLock}) and applies the rule of {@link Mode}: a fresh run refuses a directory that holds another run (a
 * config that differs, named by its first differing key) or checkpoints of this one; a resumed run refuses a config
 * that differs in what the model learns from ({@link #LEARNING_KEYS}); {@link Mode#OVERWRITE} first moves whatever run
 * is there aside to {@code RUN.replaced-N}, never deleting it. Closing the claim without {@link #succeeded()} (training
 * failed) removes what this claim created when no checkpoint was written, so a failed start leaves nothing behind.
 */
public final class RunClaim implements AutoCloseable {
  /** How training starts in the directory. */
  public enum Mode {
    /** From the first step; the directory must be new, empty, or hold this config without checkpoints. */
    FRESH,
    /** From the newest valid checkpoint of the run already there, whose config must match in {@link #LEARNING_KEYS}. */
    RESUME,
    /** From the first step, after moving a run already there aside to {@code RUN.replaced-N}. */
    OVERWRITE;

    public static Mode of(boolean resume) {
      return resume ? RESUME : FRESH;
    }
  }

  /**
   * The top-level config keys a resumed run must keep: what the checkpointed model and its optimiser state were made
   * from. The others (name, data.root and data.workers, schedule, checkpoint, log, onNonFinite, validation, evaluation)
   * may change on resume, e.g. to train longer.
   */
  public static final List<String> LEARNING_KEYS = List.of("seed", "precision", "data.type", "data.params", "input",
      "sampler", "wiring", "branches", "losses", "optimizer");

  private static final String WAYS_OUT = "resume it (--resume), train into another directory (--out), or move it "
      + "aside first (--overwrite)";

  private final Path root;
  private final Mode mode;
  private final boolean created;
  private final Path movedAside;
  private final RunLock lock;
  private boolean succeeded;
  private boolean closed;

  private RunClaim(Path root, Mode mode, boolean created, Path movedAside, RunLock lock) {
    this.root = root;
    this.mode = mode;
    this.created = created;
    this.movedAside = movedAside;
    this.lock = lock;
  }

  /**
   * Claims {@code runDir} for training {@code config}: creates it if needed, locks it and applies the rule of
   * {@code mode}; recovers what an interrupted checkpoint write left in {@code checkpoints/}.
   *
   * @throws IbreidException one line naming the directory and, for a run already there, the first differing config
   *     key and the ways out
   */
  public static RunClaim claim(Path runDir, RunConfig config, Mode mode) {
    if (Files.exists(runDir) && !Files.isDirectory(runDir)) {
      throw new IbreidException("run directory " + runDir + " is a file; expected a folder (a new one, or a run to "
          + "resume)");
    }
    boolean created = !Files.exists(runDir, LinkOption.NOFOLLOW_LINKS);
    createDirectory(runDir);
    RunLock lock;
    try {
      lock = RunLock.acquire(runDir);
    } catch (IbreidException e) {
      if (created) {
        deleteQuietly(runDir);
      }
      throw e;
    }
    Path aside = null;
    try {
      String refusal = refusal(runDir, config, mode);
      if (refusal != null) {
        throw new IbreidException(refusal);
      }
      if (mode == Mode.OVERWRITE && holdsRun(runDir)) {
        aside = moveAside(runDir);
        lock.close();
        createDirectory(runDir);
        created = true;
        lock = RunLock.acquire(runDir);
      }
      new Checkpoints(new RunDirectory(runDir).checkpoints(), config.checkpoint.keep).recover();
      AtomicFiles.removeStaleTemporaries(runDir, null);
      return new RunClaim(runDir, mode, created, aside, lock);
    } catch (RuntimeException e) {
      lock.close();
      if (created && aside == null) {
        deleteQuietly(runDir);
      }
      throw e;
    }
  }

  /** Why {@code mode} may not train {@code config} in {@code runDir}, or null when it may. */
  static String refusal(Path runDir, RunConfig config, Mode mode) {
    RunDirectory run = new RunDirectory(runDir);
    boolean hasConfig = Files.exists(run.config());
    if (mode == Mode.OVERWRITE) {
      return null;
    }
    if (mode == Mode.RESUME) {
      if (!hasConfig) {
        return "cannot resume: " + run.config() + " does not exist (is " + runDir + " a run directory?)";
      }
      RunConfig there = savedConfig(run);
      if (there == null) {
        return "cannot resume " + runDir + ": its config.yaml cannot be read; train into another directory (--out), "
            + "or move it aside first (--overwrite)";
      }
      return firstDifference(there, config, RunClaim::learningKey).map(d -> "cannot resume " + runDir
          + " with another config: " + d + "; resume it with its own config.yaml (no --config), or train into "
          + "another directory (--out)").orElse(null);
    }
    if (hasConfig) {
      RunConfig there = savedConfig(run);
      if (there == null) {
        return "run directory " + runDir + " holds a run whose config.yaml cannot be read; train into another "
            + "directory (--out), or move it aside first (--overwrite)";
      }
      Optional<String> d = firstDifference(there, config, key -> true);
      if (d.isPresent()) {
        return "run directory " + runDir + " holds another run (" + d.get() + "); " + WAYS_OUT;
      }
    }
    Optional<String> newest = newestCheckpoint(run);
    if (newest.isPresent()) {
      return "run directory " + runDir + " already holds " + (hasConfig ? "a run of this config" : "checkpoints")
          + " (checkpoints up to " + newest.get() + "); " + WAYS_OUT;
    }
    return null;
  }

  private static boolean learningKey(String key) {
    for (String k : LEARNING_KEYS) {
      if (key.equals(k) || key.startsWith(k + ".")) {
        return true;
      }
    }
    return false;
  }

  private static RunConfig savedConfig(RunDirectory run) {
    try {
      return ConfigLoader.load(run.config(), List.of());
    } catch (IbreidException e) {
      return null;
    }
  }

  /** The newest checkpoint folder's name (periodic, else {@code best}), if any. */
  private static Optional<String> newestCheckpoint(RunDirectory run) {
    List<Path> all = new Checkpoints(run.checkpoints(), 1).list();
    if (!all.isEmpty()) {
      return Optional.of(all.get(all.size() - 1).getFileName().toString());
    }
    return Files.exists(run.checkpoints().resolve("best")) ? Optional.of("best") : Optional.empty();
  }

  /** Whether anything of a run is in {@code runDir}. */
  private static boolean holdsRun(Path runDir) {
    RunDirectory run = new RunDirectory(runDir);
    return Files.exists(run.config()) || Files.exists(run.checkpoints()) || Files.exists(run.metrics())
        || Files.exists(run.log());
  }

  /**
   * The first key (in the config's order) whose value differs between the saved config {@code there} and
   * {@code here}, among the keys {@code considered} accepts, as {@code [key] is A there, B here}.
   */
  public static Optional<String> firstDifference(RunConfig there, RunConfig here, Predicate<String> considered) {
    return Optional.ofNullable(difference(ConfigLoader.tree(there), ConfigLoader.tree(here), "", considered));
  }

  private static String difference(JsonNode a, JsonNode b, String key, Predicate<String> considered) {
    boolean aMissing = a == null || a.isMissingNode() || a.isNull();
    boolean bMissing = b == null || b.isMissingNode() || b.isNull();
    if (aMissing || bMissing) {
      return aMissing && bMissing || !considered.test(key) ? null
          : "[" + key + "] is " + (aMissing ? "not set" : show(a)) + " there, " + (bMissing ? "not set" : show(b))
              + " here";
    }
    if (a.isObject() && b.isObject()) {
      Set<String> names = new LinkedHashSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String n : names) {
        String d = difference(a.get(n), b.get(n), key.isEmpty() ? n : key + "." + n, considered);
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (a.isArray() && b.isArray()) {
      for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
        String d = difference(a.get(i), b.get(i), key + "." + i, considered);
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    return a.equals(b) || !considered.test(key) ? null : "[" + key + "] is " + show(a) + " there, " + show(b) + " here";
  }

  private static String show(JsonNode n) {
    String s = n.isValueNode() ? n.asText() : n.toString();
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  private static Path moveAside(Path runDir) {
    Path abs = runDir.toAbsolutePath().normalize();
    for (int n = 1; ; n++) {
      Path aside = abs.resolveSibling(abs.getFileName() + ".replaced-" + n);
      if (Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        Files.move(abs, aside);
        return aside;
      } catch (IOException e) {
        throw new IbreidException("cannot move the run in " + runDir + " aside to " + aside + ": "
            + AtomicFiles.reason(e), e);
      }
    }
  }

  private static void createDirectory(Path runDir) {
    try {
      AtomicFiles.createDirectories(runDir);
    } catch (IOException e) {
      throw new IbreidException("cannot create run directory " + runDir + ": " + AtomicFiles.reason(e), e);
    }
    if (!Files.isWritable(runDir)) {
      throw new IbreidException("run directory " + runDir + " is not writable");
    }
  }

  public Path directory() {
    return root;
  }

  public Mode mode() {
    return mode;
  }

  /** Where {@link Mode#OVERWRITE} moved the run that was there, if it moved one. */
  public Optional<Path> movedAside() {
    return Optional.ofNullable(movedAside);
  }

  /** Marks the training as finished (or stopped with checkpoints worth keeping): closing keeps everything. */
  public void succeeded() {
    succeeded = true;
  }

  /**
   * Releases the lock. Without {@link #succeeded()} and with no checkpoint written, removes what this claim created:
   * the whole directory when it made it (and moves a run it moved aside back), else the run's files in a directory
   * that held none (a resumed run's directory is never touched).
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    lock.close();
    RunDirectory run = new RunDirectory(root);
    if (succeeded || mode == Mode.RESUME || newestCheckpoint(run).isPresent()) {
      return;
    }
    if (created) {
      deleteQuietly(root);
      if (movedAside != null && !Files.exists(root)) {
        try {
          Files.move(movedAside, root);
        } catch (IOException ignored) {
          // it stays where it was moved, whole
        }
      }
      return;
    }
    for (Path p : List.of(run.config(), run.metrics(), run.log(), run.checkpoints(), root.resolve(RunLock.FILE))) {
      deleteQuietly(p);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      AtomicFiles.deleteTree(p);
    } catch (IOException ignored) {
      // best effort: the failure being reported matters more
    }
  }
}
