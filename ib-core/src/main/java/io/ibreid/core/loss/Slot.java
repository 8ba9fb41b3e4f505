package io.ibreid.core.loss;

/**
 * One input of a loss term. {@code receivesGradient == false} is a stop-gradient: the term reads the output but
 * the trainer sends no error back through it (the paper's teacher side of VSD and VCD).
 */
public record Slot(String name, boolean receivesGradient, String description) {
  public static Slot differentiable(String name, String description) {
    return new Slot(name, true, description);
  }

  public static Slot stopGradient(String name, String description) {
    return new Slot(name, false, description);
  }
}
