package io.ibreid.examples;

import io.ibreid.Embedder;
import io.ibreid.Ibreid;
import io.ibreid.TrainResult;
import io.ibreid.core.branch.View;

/**
 * Trains {@code configs/ib.yaml}: the classic information-bottleneck baseline (CE bound + critic-estimated I(v;z)).
 * Run from the ibreid folder, e.g. {@code java -cp examples/target/ibreid.jar io.ibreid.examples.IbExample
 * schedule.epochs=2}; arguments: {@code [--out RUN_DIR] [--resume] [key.path=value ...]} (default run directory
 * {@code runs/ib}).
 */
public final class IbExample {
  private IbExample() {}

  public static void main(String[] args) {
    Examples.run("ib", args, a -> {
      TrainResult result = Ibreid.train(Ibreid.config(a.config(), a.overrides()), a.run(), a.options());
      System.out.printf("%d steps in %.0f s; checkpoint %s %s%n", result.summary().iterations(),
          result.summary().seconds(), result.checkpoint(), result.bestScores());
      Embedder embedder = Embedder.open(result.runDirectory());
      System.out.printf("test-time feature: %d columns, visible images %s, infrared images %s%n",
          embedder.dimension(), embedder.parts(View.VISIBLE), embedder.parts(View.INFRARED));
    });
  }
}
