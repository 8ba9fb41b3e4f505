package io.ibreid.examples;

/**
 * Trains {@code configs/crossview.yaml}:
 * the shared branch alone with variational cross-distillation (VCD) and variational mutual learning (VML).
 * Same as
 * {@code bin/ibreid train --config configs/crossview.yaml --out runs/crossview}; arguments are passed on.
 */
public final class CrossviewExample {
  private CrossviewExample() {}

  public static void main(String[] args) {
    System.exit(ExampleRunner.run("crossview", args));
  }
}
