package io.ibreid;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.ibreid.core.IbreidException;
import io.ibreid.core.UserFacing;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.core.run.Checkpoints;
import io.ibreid.core.run.RunClaim;
import io.ibreid.core.run.RunDirectory;
import io.ibreid.core.assembly.ModelAssembly;
import io.ibreid.core.train.Trainer;
import io.ibreid.core.train.TrainerListener;
import io.ibreid.core.train.TrainingModule;
import io.ibreid.core.train.TrainingSummary;
import io.ibreid.eval.run.ValidationModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * ibreid as a library: what {@code ibreid train} and {@code ibreid plugins} do, as calls.
 *
 * <pre>{@code
 * RunConfig config = Ibreid.config("demo", "schedule.epochs=2");   // a shipped config; or Ibreid.config(Path.of(...))
 * TrainResult result = Ibreid.train(config, Path.of("runs/mine"), TrainOptions.defaults());
 * Embedder embedder = Embedder.open(result.runDirectory());
 * float[] feature = embedder.embed(Path.of("query.jpg"), View.INFRARED);
 * }</pre>
 *
 * <p>Every entry point first chooses and loads ND4J's native build on the calling thread
 * ({@link NativeRuntime#load()}): call them from your main thread before your program starts threads of its own, or
 * call {@code NativeRuntime.load()} yourself first. Errors the user can act on (a config key, a plug-in name, a file)
 * are {@link IbreidException}s whose message is one line; no dependency-injection wrapper reaches the caller.
 */
public final class Ibreid {
  private Ibreid() {}

  /**
   * Reads a YAML config, applies {@code key.path=value} overrides in order and validates it (unknown keys, types,
   * ranges); plug-in names are checked when training starts.
   *
   * @throws io.ibreid.core.ConfigException naming the key at fault
   */
  public static RunConfig config(Path yaml, String... overrides) {
    return ConfigLoader.load(yaml, Arrays.asList(overrides));
  }

  /** As {@link #config(Path, String...)} with a list of overrides. */
  public static RunConfig config(Path yaml, List<String> overrides) {
    return ConfigLoader.load(yaml, overrides);
  }

  /**
   * A config that ships in this library's jar, by name ({@code demo}, {@code tiny}, {@code full}, ...: the
   * repository's {@code configs/NAME.yaml}, see {@link #configs()}), with {@code key.path=value} overrides applied in
   * order, validated like a file. Relative paths in it ({@code data.root}) are resolved against the working
   * directory.
   *
   * @throws io.ibreid.core.ConfigException for an unknown name (its one line lists the known ones) or a bad key
   */
  public static RunConfig config(String name, String... overrides) {
    return ShippedConfigs.load(name, Arrays.asList(overrides));
  }

  /** As {@link #config(String, String...)} with a list of overrides. */
  public static RunConfig config(String name, List<String> overrides) {
    return ShippedConfigs.load(name, overrides);
  }

  /** The names of the configs that ship in this library's jar, sorted. */
  public static SortedSet<String> configs() {
    return ShippedConfigs.names();
  }

  /** {@link #config(Path, String...)}, then {@link #train(RunConfig, Path, TrainOptions)}. */
  public static TrainResult train(Path yaml, Path runDir, TrainOptions options) {
    return train(config(yaml), runDir, options);
  }

  /**
   * Continues the run in {@code runDir} from its newest valid checkpoint, with the config it saved
   * ({@code RUN_DIR/config.yaml}); {@code options.resume()} is taken as true.
   */
  public static TrainResult resume(Path runDir, TrainOptions options) {
    Path saved = new RunDirectory(runDir).config();
    if (!Files.isRegularFile(saved)) {
      throw new IbreidException("cannot resume: " + saved + " does not exist (is " + runDir + " a run directory?)");
    }
    return train(ConfigLoader.load(saved, List.of()), runDir, options.withResume(true));
  }

  /**
   * Trains {@code config} into {@code runDir}, as {@code ibreid train} does: validates the config (also one built in
   * code) and every plug-in it names before any work; opens the data set; when the config keeps identities aside
   * ({@code data.params.holdout > 0}) scores them after every {@code validation.everyEpochs} epochs and keeps the
   * best checkpoint in {@code checkpoints/best}; writes {@code config.yaml}, {@code metrics.jsonl}, checkpoints and
   * (unless turned off) {@code train.log}; calls the options' listeners on this thread. The run directory belongs to
   * one run: it is locked while training (a second process is refused), and a directory that holds another run (its
   * config differs) or checkpoints of this one is refused with one line naming the first differing key, unless the
   * options resume it or overwrite it ({@link TrainOptions#withOverwrite}: the old run is moved aside, never deleted).
   * A run rejected or failed before its first checkpoint leaves no run directory behind.
   *
   * @throws IbreidException (or its subclass {@link io.ibreid.core.ConfigException}) with a one-line message
   */
  public static TrainResult train(RunConfig config, Path runDir, TrainOptions options) {
    NativeRuntime.load();
    if (config == null || runDir == null || options == null) {
      throw new IllegalArgumentException("config, runDir and options must not be null");
    }
    if (options.resume() && options.overwrite()) {
      throw new IbreidException("resume and overwrite exclude each other: resume continues the run in " + runDir
          + ", overwrite moves it aside and starts a new one");
    }
    RunLog log = options.trainLog() ? new RunLog(new RunDirectory(runDir).log()) : null;
    TrainingSummary summary;
    try {
      List<TrainerListener> listeners = new ArrayList<>();
      if (log != null) {
        listeners.add(log);
      }
      listeners.addAll(options.listeners());
      TrainerListener listener = TrainerListener.all(listeners);
      // the data set's lines (generating the lab, its progress) reach the listeners before training starts
      TrainingModule training = new TrainingModule(config, runDir, Plugins.discover(options.plugins()),
          listener::onLog); // validates
      RunClaim.Mode mode = options.overwrite() ? RunClaim.Mode.OVERWRITE : RunClaim.Mode.of(options.resume());
      try (RunClaim claim = RunClaim.claim(runDir, config, mode)) {
        summary = train(config, runDir, training, claim, log, listener);
        claim.succeeded();
      }
    } finally {
      if (log != null) {
        log.close();
      }
    }
    return result(config, runDir, summary);
  }

  /**
   * Opens the data set and trains in the claimed directory; {@code train.log} is closed before the claim is (which
   * removes the directory of a run that failed before its first checkpoint).
   */
  private static TrainingSummary train(RunConfig config, Path runDir, TrainingModule training, RunClaim claim,
      RunLog log, TrainerListener listener) {
    try {
      if (log != null && claim.movedAside().isPresent()) {
        log.onLog(java.lang.System.Logger.Level.INFO, "the run that was in " + runDir + " was moved aside to "
            + claim.movedAside().get() + " (overwrite)");
      }
      Injector injector;
      Trainer trainer;
      TrainingSet data;
      try {
        injector = Guice.createInjector(training, new ValidationModule(config));
        data = injector.getInstance(TrainingSet.class);
        trainer = injector.getInstance(Trainer.class);
      } catch (RuntimeException e) {
        throw UserFacing.exception(e);
      }
      try (TrainingSet closing = data) {
        return trainer.train(claim, listener);
      } catch (RuntimeException e) {
        RuntimeException shown = UserFacing.exception(e);
        if (log != null) {
          log.failed("training stopped: " + shown.getMessage());
        }
        throw shown;
      }
    } finally {
      if (log != null) {
        log.close();
      }
    }
  }

  private static TrainResult result(RunConfig config, Path runDir, TrainingSummary summary) {
    RunDirectory run = new RunDirectory(runDir);
    Checkpoints checkpoints = new Checkpoints(run.checkpoints(), config.checkpoint.keep);
    Path chosen = checkpoints.chosen().orElse(summary.checkpoint());
    Optional<Map<String, Object>> best = checkpoints.best();
    Map<String, Double> scores = new LinkedHashMap<>();
    if (run.checkpoints().resolve("best").equals(chosen) && best.isPresent()
        && best.get().get("scores") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        if (v instanceof Number n) {
          scores.put(String.valueOf(k), n.doubleValue());
        }
      });
    }
    return new TrainResult(runDir, summary, chosen, scores);
  }

  /**
   * The plug-in registry: every encoder, bottleneck, loss and data set ServiceLoader finds, plus {@code extra} ones
   * registered in code. {@link Plugins#all(io.ibreid.core.plugin.PluginKind)} lists a kind by name, e.g.
   * {@code plugins().all(LossFactory.KIND)}.
   */
  public static Plugins plugins(IbreidPlugin... extra) {
    return Plugins.discover(extra);
  }
}
