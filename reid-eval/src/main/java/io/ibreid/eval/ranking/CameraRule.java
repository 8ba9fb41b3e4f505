package io.ibreid.eval.ranking;

/**
 * Which gallery images are removed from a query's ranked list because of where they were taken. Removal ignores
 * identity: a removed image neither counts as a match nor pushes matches down.
 */
@FunctionalInterface
public interface CameraRule {
  /** Nothing is removed (RegDB, and any cross-modality protocol without shared camera locations). */
  CameraRule NONE = (q, g) -> false;

  boolean removes(int queryCamid, int galleryCamid);

  /** True when the rule never removes anything (lets the evaluator skip the masks). */
  default boolean isNone() {
    return this == NONE;
  }
}
