package io.ibreid.loss.crossview;

import io.ibreid.core.branch.View;
import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.LossInput;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.OutputNames;
import io.ibreid.core.loss.ProbabilityMath;
import io.ibreid.core.loss.Slot;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Variational mutual learning (VML, Tian et al. 2021): the two views' representation predictions are pulled
 * together with the Jensen-Shannon divergence, {@code L = mean_i JS(p(y|z1_i) ‖ p(y|z2_i))},
 * {@code JS(P‖Q) = ½ KL(P‖M) + ½ KL(Q‖M)}, {@code M = ½(P + Q)}, which is symmetric and at most ln 2. Both sides
 * receive gradient: with {@code g = ½ log(P/M)}, {@code dJS/da = P ⊙ (g − Σ P g)} for P's logits a (and the same
 * with Q). {@code log M} is computed as a log-sum-exp of the two log-probabilities, so no probability is ever
 * taken to a log after underflowing.
 */
public final class VariationalMutualLearning implements LossTerm {
  /** Parameters of {@code vml} (none). */
  public static final class Params {}

  /** Representation logits of view 1 (visible). */
  public static final String Z1 = "z1";
  /** Representation logits of view 2 (infrared). */
  public static final String Z2 = "z2";

  private static final double LN2 = Math.log(2);

  @Override
  public LossResult compute(LossInput input) {
    Views.requirePaired("vml", input, Z1, Z2);
    INDArray z1 = input.get(Z1);
    INDArray z2 = input.get(Z2).castTo(z1.dataType());
    long n = z1.rows();
    INDArray logP = ProbabilityMath.logSoftmax(z1, 1.0);
    INDArray logQ = ProbabilityMath.logSoftmax(z2, 1.0);
    // log M = max(lp, lq) + log(1 + exp(−|lp − lq|)) − ln 2
    INDArray hi = Transforms.max(logP, logQ, true);
    INDArray gap = Transforms.abs(logP.sub(logQ), false).negi();
    INDArray logM = Transforms.log(Transforms.exp(gap, false).addi(1), false).addi(hi).subi(LN2);
    INDArray p = Transforms.exp(logP, true);
    INDArray q = Transforms.exp(logQ, true);
    INDArray gp = logP.sub(logM).muli(0.5);
    INDArray gq = logQ.sub(logM).muli(0.5);
    INDArray halfKlP = p.mul(gp).sum(true, 1);
    INDArray halfKlQ = q.mul(gq).sum(true, 1);
    double value = halfKlP.add(halfKlQ).sumNumber().doubleValue() / n;
    INDArray gradP = gp.subiColumnVector(halfKlP).muli(p).divi(n);
    INDArray gradQ = gq.subiColumnVector(halfKlQ).muli(q).divi(n);
    return LossResult.of(value, Map.of(Z1, gradP, Z2, gradQ));
  }

  /** The {@code vml} plug-in. */
  public static final class Factory implements LossFactory<Params> {
    @Override
    public String name() {
      return "vml";
    }

    @Override
    public String description() {
      return "variational mutual learning JS(p(y|z1)||p(y|z2)) on the shared branch, gradients to both views";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public List<Slot> slots(Params params) {
      return List.of(
          Slot.differentiable(Z1, "visible-view representation logits, rows paired with z2"),
          Slot.differentiable(Z2, "infrared-view representation logits, rows paired with z1"));
    }

    /** Only {@code shared}: the representation logits of its visible and infrared rows. */
    @Override
    public Map<String, String> defaultInputs(String branch, Params params) {
      Views.requireShared("vml", branch, "z1/z2");
      return Map.of(
          Z1, Views.key(View.VISIBLE, OutputNames.Z_LOGITS),
          Z2, Views.key(View.INFRARED, OutputNames.Z_LOGITS));
    }

    @Override
    public LossTerm create(Params params, LossContext context) {
      return new VariationalMutualLearning();
    }
  }
}
