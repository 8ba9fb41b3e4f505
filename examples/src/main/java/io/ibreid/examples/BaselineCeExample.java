package io.ibreid.examples;

/**
 * Trains {@code configs/baseline-ce.yaml}: the CE + triplet baseline on one shared branch.
 * Prints the training's progress, its best checkpoint and the test-time feature's parts ({@link Examples}: how to
 * run it, its arguments).
 */
public final class BaselineCeExample {
  private BaselineCeExample() {}

  public static void main(String[] args) {
    Examples.trainAndDescribe("baseline-ce", args);
  }
}
