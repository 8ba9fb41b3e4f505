package io.ibreid.examples;

/**
 * Trains {@code configs/vsd.yaml}: two modality-specific branches with variational self-distillation.
 * Prints the training's progress, its best checkpoint and the test-time feature's parts ({@link Examples}: how to
 * run it, its arguments).
 */
public final class VsdExample {
  private VsdExample() {}

  public static void main(String[] args) {
    Examples.trainAndDescribe("vsd", args);
  }
}
