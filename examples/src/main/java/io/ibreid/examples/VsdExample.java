package io.ibreid.examples;

/**
 * Trains {@code configs/vsd.yaml}:
 * two modality-specific branches with variational self-distillation.
 * Same as
 * {@code bin/ibreid train --config configs/vsd.yaml --out runs/vsd}; arguments are passed on
 * (e.g. {@code --set schedule.epochs=2}).
 */
public final class VsdExample {
  private VsdExample() {}

  public static void main(String[] args) {
    System.exit(ExampleRunner.run("vsd", args));
  }
}
