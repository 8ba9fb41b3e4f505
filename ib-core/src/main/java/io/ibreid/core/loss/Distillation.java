package io.ibreid.core.loss;

import io.ibreid.core.ConfigException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the distillation terms (VSD, VCD) share besides their maths: the parameters (temperature, form), their checks,
 * and the choice between the paper's divergence and the release's. Each term is then its own equation over
 * {@link #divergence} (see {@link ProbabilityMath#paperKl} and {@link ProbabilityMath#releaseKl}).
 */
public final class Distillation {
  /** The parameters of a distillation term; a term's own {@code Params} extends this class. */
  public static class Params {
    /** Distillation temperature T &gt; 0; the loss is multiplied by T² so its gradient scale does not depend on T. */
    public double temperature = 1.0;
    /**
     * {@code paper} (default): the KL divergence of the paper ({@link ProbabilityMath#paperKl}). {@code release}: the
     * term as the authors' public PyTorch release computes it ({@link ProbabilityMath#releaseKl}: kl_div with
     * probabilities where log-probabilities belong, element-wise mean, no T²), for comparing the paper's equation
     * with the release's code.
     */
    public String form = "paper";
  }

  private final double temperature;
  private final boolean release;

  /**
   * @param term the plug-in's name, for messages
   * @throws ConfigException when {@code temperature} is not finite and &gt; 0, or {@code form} is neither
   *     {@code paper} nor {@code release}
   */
  public Distillation(String term, double temperature, String form) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new ConfigException(term + ": params.temperature must be a finite number > 0, got " + temperature);
    }
    if (!"paper".equals(form) && !"release".equals(form)) {
      throw new ConfigException(term + ": params.form must be paper or release, got " + form);
    }
    this.temperature = temperature;
    this.release = "release".equals(form);
  }

  /** Whether this is the release's form. */
  public boolean release() {
    return release;
  }

  /** The divergence of the student's prediction from the teacher's, in this form, with the student's gradient. */
  public ProbabilityMath.Divergence divergence(INDArray teacherLogits, INDArray studentLogits) {
    return release ? ProbabilityMath.releaseKl(teacherLogits, studentLogits, temperature)
        : ProbabilityMath.paperKl(teacherLogits, studentLogits, temperature);
  }
}
