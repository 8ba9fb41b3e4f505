package io.ibreid.core.train;

import io.ibreid.core.IbreidException;

/** A loss term's value or gradient, or the parameter gradient, became NaN or infinite. */
public final class NonFiniteException extends IbreidException {
  private final String term;
  private final long iteration;

  public NonFiniteException(String term, long iteration, String what) {
    super(what + " of loss term [" + term + "] is not finite at iteration " + iteration);
    this.term = term;
    this.iteration = iteration;
  }

  public String term() {
    return term;
  }

  public long iteration() {
    return iteration;
  }
}
