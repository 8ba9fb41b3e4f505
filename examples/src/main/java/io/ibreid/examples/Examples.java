package io.ibreid.examples;

import io.ibreid.Embedder;
import io.ibreid.Ibreid;
import io.ibreid.TrainOptions;
import io.ibreid.TrainResult;
import io.ibreid.core.branch.View;
import io.ibreid.core.IbreidException;
import io.ibreid.core.train.IterationRecord;
import io.ibreid.core.train.TrainerListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the example mains share: their command line ({@code [--out RUN_DIR] [--resume] [key.path=value ...]}, default
 * run directory {@code runs/NAME}), a progress listener that prints one line per epoch, one-line errors, and the
 * training and description of a run that most of them are ({@link #trainAndDescribe}). Everything they do is the
 * library's public API ({@link io.ibreid.Ibreid}, {@link io.ibreid.Embedder}).
 *
 * <p>Run them from the ibreid folder, on the command line's jar (which holds the library and the ND4J backend), e.g.
 * {@code mvn -B -q -DskipTests package -pl ibreid-cli,examples -am}, then
 * {@code java -cp ibreid-cli/target/ibreid.jar:examples/target/classes io.ibreid.examples.VsdExample
 * schedule.epochs=2}.
 */
final class Examples {
  private Examples() {}

  /**
   * A parsed example command line.
   *
   * @param config {@code configs/NAME.yaml} under the working directory, or under the folder named by the system
   *     property {@code ibreid.configs}
   * @param run {@code --out}, default {@code runs/NAME}
   * @param resume {@code --resume}: continue the run from its newest checkpoint
   * @param overrides every {@code key.path=value} argument, e.g. {@code schedule.epochs=2}
   */
  record Args(Path config, Path run, boolean resume, List<String> overrides) {
    static Args parse(String name, String[] args) {
      Path config = Path.of(System.getProperty("ibreid.configs", "configs")).resolve(name + ".yaml");
      Path run = Path.of("runs", name);
      boolean resume = false;
      List<String> overrides = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--out") && i + 1 < args.length) {
          run = Path.of(args[++i]);
        } else if (args[i].equals("--resume")) {
          resume = true;
        } else if (args[i].contains("=") && !args[i].startsWith("-")) {
          overrides.add(args[i]);
        } else {
          throw new IbreidException("unexpected argument [" + args[i] + "]; usage: [--out RUN_DIR] [--resume] "
              + "[key.path=value ...]");
        }
      }
      return new Args(config, run, resume, List.copyOf(overrides));
    }

    /** Training options: resume as asked, progress printed. */
    TrainOptions options() {
      return TrainOptions.defaults().withResume(resume).withListener(progress());
    }
  }

  /** Runs an example's body; an error the user can act on is one line on stderr and exit status 2. */
  static void run(String name, String[] args, Consumer<Args> body) {
    try {
      body.accept(Args.parse(name, args));
    } catch (IbreidException e) {
      System.err.println(name + ": " + e.getMessage());
      System.exit(2);
    }
  }

  /**
   * Trains {@code configs/NAME.yaml} with the arguments' overrides into their run directory, prints the steps, time,
   * best checkpoint and its scores, then opens the run and prints its test-time feature's width and parts.
   */
  static void trainAndDescribe(String name, String[] args) {
    run(name, args, a -> {
      TrainResult result = train(a);
      Embedder embedder = Embedder.open(result.runDirectory());
      System.out.printf("test-time feature: %d columns, visible images %s, infrared images %s%n",
          embedder.dimension(), embedder.parts(View.VISIBLE), embedder.parts(View.INFRARED));
    });
  }

  /** Trains the arguments' config with their overrides; prints the steps, time, best checkpoint and its scores. */
  static TrainResult train(Args a) {
    TrainResult result = Ibreid.train(Ibreid.config(a.config(), a.overrides()), a.run(), a.options());
    System.out.printf("%d steps in %.0f s; checkpoint %s %s%n", result.summary().iterations(),
        result.summary().seconds(), result.checkpoint(), result.bestScores());
    return result;
  }

  /** Prints the run's start, each epoch's last losses and the validation scores, one line each. */
  static TrainerListener progress() {
    return new TrainerListener() {
      @Override
      public void onStart(long startIteration, long totalIterations, String description) {
        System.out.printf("training %s: steps %d..%d%n", description, startIteration, totalIterations);
      }

      @Override
      public void onEpochEnd(int epoch, IterationRecord last) {
        System.out.printf("epoch %d: step %d, loss %.3f, %.0f img/s%n", epoch + 1, last.iteration() + 1, last.loss(),
            last.imagesPerSecond());
      }

      @Override
      public void onValidation(int epoch, Map<String, Double> scores) {
        System.out.printf("epoch %d: holdout %s%n", epoch + 1, scores);
      }
    };
  }
}
