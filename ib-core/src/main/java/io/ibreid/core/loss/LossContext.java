package io.ibreid.core.loss;

import java.util.Map;

/**
 * Facts a term may need when it is created: its label in logs, the run seed, the number of identity classes and
 * the column count of the output bound to each slot (so a critic can size itself).
 */
public record LossContext(String label, long seed, int numClasses, Map<String, Integer> slotWidths) {
  public LossContext {
    slotWidths = Map.copyOf(slotWidths);
  }

  public int width(String slot) {
    Integer w = slotWidths.get(slot);
    if (w == null) {
      throw new IllegalArgumentException("no width known for slot " + slot);
    }
    return w;
  }
}
