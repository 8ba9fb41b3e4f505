package io.ibreid.examples;

/**
 * Trains {@code configs/full.yaml}:
 * the full method: VSD on both modality-specific branches, VCD + VML on the shared branch.
 * Same as
 * {@code bin/ibreid train --config configs/full.yaml --out runs/full}; arguments are passed on
 * (e.g. {@code --set schedule.epochs=2}).
 */
public final class FullExample {
  private FullExample() {}

  public static void main(String[] args) {
    System.exit(ExampleRunner.run("full", args));
  }
}
