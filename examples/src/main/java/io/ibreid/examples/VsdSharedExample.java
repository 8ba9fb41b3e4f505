package io.ibreid.examples;

/**
 * Trains {@code configs/vsd-shared.yaml}: one branch for both modalities with variational self-distillation (the
 * paper's single-branch ablation).
 * Prints the training's progress, its best checkpoint and the test-time feature's parts ({@link Examples}: how to
 * run it, its arguments).
 */
public final class VsdSharedExample {
  private VsdSharedExample() {}

  public static void main(String[] args) {
    Examples.trainAndDescribe("vsd-shared", args);
  }
}
