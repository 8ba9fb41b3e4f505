package io.ibreid.core.train;

import io.ibreid.core.IbreidException;

/** A loss term's value or gradient, or the parameter gradient, became NaN or infinite. */
public final class NonFiniteException extends IbreidException {
  private final String term;
  private final long iteration;

  public NonFiniteException(String term, long iteration, String what) {
    super(what + " of " + describe(term) + " is not finite at iteration " + iteration);
    this.term = term;
    this.iteration = iteration;
  }

  /** The same failure, with what the user should know about their checkpoints. */
  public NonFiniteException(String term, long iteration, String what, String checkpointNote) {
    super(what + " of " + describe(term) + " is not finite at iteration " + iteration + "; training stopped, "
        + checkpointNote);
    this.term = term;
    this.iteration = iteration;
  }

  private static String describe(String term) {
    return "parameter gradient".equals(term) ? "the parameter gradient" : "loss term [" + term + "]";
  }

  public String term() {
    return term;
  }

  public long iteration() {
    return iteration;
  }
}
