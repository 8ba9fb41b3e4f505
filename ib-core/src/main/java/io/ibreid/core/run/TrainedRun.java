package io.ibreid.core.run;

import io.ibreid.core.IbreidException;
import io.ibreid.core.assembly.ModelAssembly;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.plugin.Plugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A finished (or interrupted) run opened for inference: its resolved config and the model's parameters restored from
 * the checkpoint that stands for the run ({@link Checkpoints#resolve resolve("best")}: the best one when validation
 * chose one, otherwise the newest one) or from a named one. A damaged checkpoint is an error, never replaced by
 * another. No optimiser is built.
 */
public record TrainedRun(Path directory, RunConfig config, ReidModel model, Path checkpoint, int numClasses) {
  /**
   * Opens {@code runDir}; {@code which} is {@code best}, {@code last} or a checkpoint folder name
   * ({@link Checkpoints#resolve}).
   */
  public static TrainedRun open(Path runDir, String which) {
    return open(runDir, which, null);
  }

  /** As {@link #open(Path, String)}, assembling the model with {@code plugins} (null: {@link Plugins#discover()}). */
  public static TrainedRun open(Path runDir, String which, Plugins plugins) {
    RunDirectory run = new RunDirectory(runDir);
    if (!Files.isRegularFile(run.config())) {
      throw new IbreidException("run directory " + runDir + " has no config.yaml (expected the --out folder of "
          + "ibreid train)");
    }
    RunConfig config = ConfigLoader.load(run.config(), List.of());
    Checkpoints checkpoints = new Checkpoints(run.checkpoints(), config.checkpoint.keep);
    Path ckpt = checkpoints.resolve(which);
    Map<String, Object> state = Checkpoints.readState(ckpt);
    Object classes = state.get("numClasses");
    if (!(classes instanceof Number)) {
      throw new IbreidException("checkpoint " + ckpt + " does not record numClasses");
    }
    ImageShape shape = ImageShape.rgb(config.input.height, config.input.width);
    ReidModel model = ModelAssembly.model(config, plugins == null ? Plugins.discover() : plugins, shape,
        ((Number) classes).intValue());
    try {
      model.load(Checkpoints.modelFile(ckpt));
    } catch (IOException e) {
      throw new IbreidException("checkpoint " + ckpt + " cannot be read: " + e.getMessage());
    }
    return new TrainedRun(runDir, config, model, ckpt, ((Number) classes).intValue());
  }
}
