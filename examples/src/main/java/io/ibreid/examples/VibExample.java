package io.ibreid.examples;

/**
 * Trains {@code configs/vib.yaml}:
 * the variational information bottleneck baseline.
 * Same as
 * {@code bin/ibreid train --config configs/vib.yaml --out runs/vib}; arguments are passed on
 * (e.g. {@code --set schedule.epochs=2}).
 */
public final class VibExample {
  private VibExample() {}

  public static void main(String[] args) {
    System.exit(ExampleRunner.run("vib", args));
  }
}
