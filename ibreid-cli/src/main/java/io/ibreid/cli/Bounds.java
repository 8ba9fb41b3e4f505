package io.ibreid.cli;

import io.ibreid.core.IbreidException;

/**
 * Upper bounds on the command line's counts, each far above any sensible use and far below what would run for days
 * or exhaust memory: a typo such as {@code --trials 2000000000} fails at once with one line instead.
 */
final class Bounds {
  /** Random galleries of a SYSU-MM01 evaluation (the protocol uses 10). */
  static final int MAX_TRIALS = 1000;
  /** Gallery images per identity and camera (the protocol uses 1 or 10). */
  static final int MAX_SHOTS = 100;
  /** Queries shown in a rank-list report. */
  static final int MAX_REPORT_QUERIES = 1000;
  /** Identities drawn by t-SNE. */
  static final int MAX_IDS = 10_000;
  /** Images per identity and modality drawn by t-SNE. */
  static final int MAX_PER_ID = 1000;
  /** t-SNE iterations. */
  static final int MAX_TSNE_ITERATIONS = 100_000;
  /** Seeds per variant of an ablation. */
  static final int MAX_SEEDS = 100;
  /** Training iterations per ablation run. */
  static final int MAX_ITERATIONS = 100_000_000;
  /** Threads of one command. */
  static final int MAX_THREADS = 256;

  private Bounds() {}

  /** Fails with one line naming {@code option} when {@code value} is outside {@code min..max}. */
  static void check(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IbreidException(option + " " + value + " is out of range; expected " + min + ".." + max);
    }
  }
}
