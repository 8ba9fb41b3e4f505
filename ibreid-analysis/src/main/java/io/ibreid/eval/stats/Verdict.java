package io.ibreid.eval.stats;

import java.util.List;

/**
 * The answer to one of the paper's claims, read off confidence intervals by a rule fixed before any result existed
 * ({@link VerdictRules}): exactly one of holds, does not hold, cannot tell.
 */
public enum Verdict {
  HOLDS("holds"),
  DOES_NOT_HOLD("does not hold"),
  CANNOT_TELL("cannot tell");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** {@code holds}, {@code does not hold} or {@code cannot tell}. */
  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }

  /**
   * One verdict for a claim judged on several comparisons (e.g. R1 and mAP): holds when every part holds; does not
   * hold when at least one part does not hold and none holds; cannot tell otherwise (some parts undecided with none
   * against, or parts that contradict each other). No parts: cannot tell.
   */
  public static Verdict combine(List<Verdict> parts) {
    if (parts.isEmpty()) {
      return CANNOT_TELL;
    }
    if (parts.stream().allMatch(v -> v == HOLDS)) {
      return HOLDS;
    }
    if (parts.contains(DOES_NOT_HOLD) && !parts.contains(HOLDS)) {
      return DOES_NOT_HOLD;
    }
    return CANNOT_TELL;
  }
}
