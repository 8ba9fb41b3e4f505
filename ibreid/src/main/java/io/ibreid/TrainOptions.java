package io.ibreid;

import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.train.TrainerListener;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@link Ibreid#train} runs: resume, start fresh or replace a run already there, who listens, which plug-ins
 * besides the discovered ones, and whether {@code train.log} is written. Immutable; each {@code with...} method
 * returns a changed copy.
 *
 * <pre>{@code
 * TrainOptions.defaults().withListener(myProgress).withPlugins(new MyPlugin())
 * }</pre>
 */
public final class TrainOptions {
  private final boolean resume;
  private final List<TrainerListener> listeners;
  private final List<IbreidPlugin> plugins;
  private final boolean trainLog;
  private final boolean overwrite;

  private TrainOptions(boolean resume, List<TrainerListener> listeners, List<IbreidPlugin> plugins,
      boolean trainLog) {
    this(resume, listeners, plugins, trainLog, false);
  }

  private TrainOptions(boolean resume, List<TrainerListener> listeners, List<IbreidPlugin> plugins,
      boolean trainLog, boolean overwrite) {
    this.resume = resume;
    this.listeners = List.copyOf(listeners);
    this.plugins = List.copyOf(plugins);
    this.trainLog = trainLog;
    this.overwrite = overwrite;
  }

  /** A fresh run, no listeners, only the plug-ins ServiceLoader finds, {@code train.log} written. */
  public static TrainOptions defaults() {
    return new TrainOptions(false, List.of(), List.of(), true);
  }

  /**
   * {@code true}: continue from the newest valid checkpoint of the run directory (failing when there is none);
   * {@code false}: train from the first step.
   */
  public TrainOptions withResume(boolean resume) {
    return new TrainOptions(resume, listeners, plugins, trainLog, overwrite);
  }

  /**
   * {@code true}: when the run directory already holds a run, move it aside to {@code RUN_DIR.replaced-N} (nothing is
   * deleted) and train from the first step. {@code false} (the default): a directory holding another run, or
   * checkpoints of this one, is refused with one line naming the difference. Excludes {@link #withResume resume}.
   */
  public TrainOptions withOverwrite(boolean overwrite) {
    return new TrainOptions(resume, listeners, plugins, trainLog, overwrite);
  }

  /** Adds a listener; listeners are called in the order added, on the thread that called {@link Ibreid#train}. */
  public TrainOptions withListener(TrainerListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is null");
    }
    List<TrainerListener> all = new ArrayList<>(listeners);
    all.add(listener);
    return new TrainOptions(resume, all, plugins, trainLog, overwrite);
  }

  /**
   * Adds plug-ins registered in code, next to the ones ServiceLoader finds; a plug-in registered both ways counts
   * once. The same plug-ins must be passed to {@link Embedder#open(java.nio.file.Path, String, IbreidPlugin...)}
   * when a run uses them.
   */
  public TrainOptions withPlugins(IbreidPlugin... extra) {
    List<IbreidPlugin> all = new ArrayList<>(plugins);
    for (IbreidPlugin p : extra) {
      if (p == null) {
        throw new IllegalArgumentException("plug-in is null");
      }
      all.add(p);
    }
    return new TrainOptions(resume, listeners, all, trainLog, overwrite);
  }

  /** Whether to append the run's narrative to {@code RUN_DIR/train.log} (default {@code true}). */
  public TrainOptions withTrainLog(boolean write) {
    return new TrainOptions(resume, listeners, plugins, write, overwrite);
  }

  public boolean resume() {
    return resume;
  }

  public List<TrainerListener> listeners() {
    return listeners;
  }

  public List<IbreidPlugin> plugins() {
    return plugins;
  }

  public boolean overwrite() {
    return overwrite;
  }

  public boolean trainLog() {
    return trainLog;
  }

  /**
   * One line, e.g. {@code TrainOptions[fresh run, train.log, listeners [MyProgress], plug-ins [MyPlugin]]}; lambdas
   * and anonymous classes show as {@code lambda} and {@code anonymous}.
   */
  @Override
  public String toString() {
    return "TrainOptions[" + (resume ? "resume" : overwrite ? "fresh run, overwrite" : "fresh run") + ", " + (trainLog ? "train.log" : "no train.log")
        + ", listeners " + listeners.stream().map(TrainOptions::name).toList() + ", plug-ins "
        + plugins.stream().map(TrainOptions::name).toList() + "]";
  }

  private static String name(Object o) {
    Class<?> c = o.getClass();
    return c.isSynthetic() || c.getSimpleName().contains("$$Lambda") ? "lambda"
        : c.isAnonymousClass() ? "anonymous" : c.getSimpleName();
  }
}
