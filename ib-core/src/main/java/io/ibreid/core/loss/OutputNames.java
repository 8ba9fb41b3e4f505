package io.ibreid.core.loss;

import io.ibreid.core.ConfigException;

/** The names of the outputs every branch exposes to loss terms. */
public final class OutputNames {
  /** The observation, N×D. */
  public static final String V = "v";
  /** The representation, N×d. */
  public static final String Z = "z";
  /** Identity logits of the observation classifier p(y|v). */
  public static final String V_LOGITS = "v_logits";
  /** Identity logits of the representation classifier p(y|z). */
  public static final String Z_LOGITS = "z_logits";

  private OutputNames() {}

  /** Checks a {@code v}/{@code z} choice from a term's params. */
  public static String checkSide(String term, String side) {
    if (!V.equals(side) && !Z.equals(side)) {
      throw new ConfigException(term + ": params.on must be one of [v, z], got [" + side + "]");
    }
    return side;
  }
}
