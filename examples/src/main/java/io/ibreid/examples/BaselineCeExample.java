package io.ibreid.examples;

/**
 * Trains {@code configs/baseline-ce.yaml}:
 * the CE + triplet baseline on one shared branch.
 * Same as
 * {@code bin/ibreid train --config configs/baseline-ce.yaml --out runs/baseline-ce}; arguments are passed on
 * (e.g. {@code --set schedule.epochs=2}).
 */
public final class BaselineCeExample {
  private BaselineCeExample() {}

  public static void main(String[] args) {
    System.exit(ExampleRunner.run("baseline-ce", args));
  }
}
