package io.ibreid.examples;

/**
 * Trains {@code configs/vib.yaml}: the variational information bottleneck baseline.
 * Prints the training's progress, its best checkpoint and the test-time feature's parts ({@link Examples}: how to
 * run it, its arguments).
 */
public final class VibExample {
  private VibExample() {}

  public static void main(String[] args) {
    Examples.trainAndDescribe("vib", args);
  }
}
