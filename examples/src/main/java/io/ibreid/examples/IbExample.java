package io.ibreid.examples;

/**
 * Trains {@code configs/ib.yaml}: the classic information-bottleneck baseline (CE bound + critic-estimated I(v;z)).
 * Prints the training's progress, its best checkpoint and the test-time feature's parts ({@link Examples}: how to
 * run it, its arguments).
 */
public final class IbExample {
  private IbExample() {}

  public static void main(String[] args) {
    Examples.trainAndDescribe("ib", args);
  }
}
