package io.ibreid.examples;

/**
 * Trains {@code configs/ib.yaml}:
 * the classic information-bottleneck baseline (CE bound + critic-estimated I(v;z)).
 * Same as
 * {@code bin/ibreid train --config configs/ib.yaml --out runs/ib}; arguments are passed on
 * (e.g. {@code --set schedule.epochs=2}).
 */
public final class IbExample {
  private IbExample() {}

  public static void main(String[] args) {
    System.exit(ExampleRunner.run("ib", args));
  }
}
