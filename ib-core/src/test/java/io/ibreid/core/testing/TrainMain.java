package io.ibreid.core.testing;

import com.google.inject.Guice;
import io.ibreid.core.IbreidException;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.train.Trainer;
import io.ibreid.core.train.TrainingModule;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A child-process entry point for reliability tests: {@code TrainMain CONFIG RUN_DIR resume|fresh [key=value...]}.
 * Exit 0 on success, 3 with the message on stderr for an IbreidException.
 */
public final class TrainMain {
  private TrainMain() {}

  public static void main(String[] args) {
    try {
      io.ibreid.core.natives.NativeRuntime.load();
      List<String> overrides = Arrays.asList(args).subList(3, args.length);
      var config = ConfigLoader.load(Path.of(args[0]), overrides);
      Trainer trainer = Guice.createInjector(new TrainingModule(config, Path.of(args[1]))).getInstance(Trainer.class);
      trainer.train("resume".equals(args[2]), new io.ibreid.core.train.TrainerListener() { });
      System.exit(0);
    } catch (RuntimeException e) {
      Throwable t = e;
      while (!(t instanceof IbreidException) && t.getCause() != null) {
        t = t.getCause();
      }
      System.err.println("ERROR " + t.getMessage());
      System.exit(3);
    }
  }
}
