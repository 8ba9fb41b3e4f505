package io.ibreid.core.run;

import io.ibreid.core.IbreidException;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run's folder: {@code config.yaml} (the resolved config), {@code train.log}, {@code metrics.jsonl} and
 * {@code checkpoints/}.
 */
public record RunDirectory(Path root) {
  public Path config() {
    return root.resolve("config.yaml");
  }

  public Path metrics() {
    return root.resolve("metrics.jsonl");
  }

  public Path log() {
    return root.resolve("train.log");
  }

  public Path checkpoints() {
    return root.resolve("checkpoints");
  }

  /**
   * Creates the folder (checking it is writable) and writes the resolved config atomically. Training calls it after
   * it has claimed the folder ({@link RunClaim}).
   */
  public void prepare(RunConfig config) {
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new IbreidException("run directory " + root + " is a file; expected a folder");
    }
    try {
      AtomicFiles.createDirectories(root);
    } catch (IOException e) {
      throw new IbreidException("cannot create run directory " + root + ": " + AtomicFiles.reason(e));
    }
    if (!Files.isWritable(root)) {
      throw new IbreidException("run directory " + root + " is not writable");
    }
    try {
      AtomicFiles.writeString(config(), ConfigLoader.toYaml(config));
    } catch (IOException e) {
      throw AtomicFiles.failure(config(), e);
    }
  }
}
