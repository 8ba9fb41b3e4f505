package io.ibreid.examples;

/**
 * Trains {@code configs/crossview.yaml}: the shared branch alone with variational cross-distillation (VCD) and
 * variational mutual learning (VML).
 * Prints the training's progress, its best checkpoint and the test-time feature's parts ({@link Examples}: how to
 * run it, its arguments).
 */
public final class CrossviewExample {
  private CrossviewExample() {}

  public static void main(String[] args) {
    Examples.trainAndDescribe("crossview", args);
  }
}
