package io.ibreid.examples;

/**
 * Trains {@code configs/vsd-shared.yaml}:
 * one branch for both modalities with variational self-distillation (the paper's single-branch ablation).
 * Same as
 * {@code bin/ibreid train --config configs/vsd-shared.yaml --out runs/vsd-shared}; arguments are passed on.
 */
public final class VsdSharedExample {
  private VsdSharedExample() {}

  public static void main(String[] args) {
    System.exit(ExampleRunner.run("vsd-shared", args));
  }
}
