package io.ibreid.core.loss;

import io.ibreid.core.ConfigException;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Identity cross-entropy with label smoothing: {@code −mean_i Σ_k q_ik log softmax(x_i)_k},
 * {@code q = (1−ε)·onehot(y) + ε/C}. Its gradient is {@code (softmax(x) − q) / N}.
 */
public final class CrossEntropyLoss implements LossTerm {
  /** Parameters of {@code ce}. */
  public static final class Params {
    /** Label-smoothing ε in [0, 1). */
    public double epsilon = 0.1;
    /** With {@code branch:} shorthand, which classifier to read: {@code z} or {@code v}. */
    public String on = "z";
  }

  static final String LOGITS = "logits";

  private final double epsilon;

  public CrossEntropyLoss(double epsilon) {
    if (!(epsilon >= 0 && epsilon < 1)) {
      throw new ConfigException("ce: epsilon must be in [0, 1), got " + epsilon);
    }
    this.epsilon = epsilon;
  }

  @Override
  public LossResult compute(LossInput input) {
    INDArray logits = input.get(LOGITS);
    long n = logits.rows();
    int c = (int) logits.columns();
    INDArray logP = ProbabilityMath.logSoftmax(logits, 1.0);
    INDArray q = ProbabilityMath.smoothedTargets(input.labels(LOGITS), c, epsilon, logits.dataType());
    double value = -q.mul(logP).sumNumber().doubleValue() / n;
    INDArray grad = org.nd4j.linalg.ops.transforms.Transforms.exp(logP, false).subi(q).divi(n);
    return LossResult.of(value, Map.of(LOGITS, grad));
  }

  /** The {@code ce} plug-in. */
  public static final class Factory implements LossFactory<Params> {
    @Override
    public String name() {
      return "ce";
    }

    @Override
    public String description() {
      return "identity cross-entropy with label smoothing (epsilon, default 0.1)";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public List<Slot> slots(Params params) {
      return List.of(Slot.differentiable(LOGITS, "identity logits, rows labelled"));
    }

    @Override
    public Map<String, String> defaultInputs(String branch, Params params) {
      return Map.of(LOGITS, branch + "." + OutputNames.checkSide("ce", params.on) + "_logits");
    }

    @Override
    public LossTerm create(Params params, LossContext context) {
      return new CrossEntropyLoss(params.epsilon);
    }
  }
}
