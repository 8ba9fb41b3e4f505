package io.ibreid.loss.crossview;

import io.ibreid.core.branch.View;
import io.ibreid.core.loss.Distillation;
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

/**
 * Variational cross-distillation (VCD, Tian et al. 2021): each view's representation is taught by the other view's
 * observation, {@code L = T² · [ mean_i KL(p(y|v1_i) ‖ p(y|z2_i)) + mean_i KL(p(y|v2_i) ‖ p(y|z1_i)) ]}, where
 * view 1 is visible and view 2 infrared through the shared branch and row i of both views shows the same identity.
 * The observation sides are teachers (stop-gradient). It removes information z keeps about one view that the other
 * view's observation cannot predict. Each KL is {@link ProbabilityMath#paperKl}. Gradients:
 * {@code dL/dz2_i = (T/N)(softmax(z2_i/T) − softmax(v1_i/T))} and symmetrically for z1.
 */
public final class VariationalCrossDistillation implements LossTerm {
  /**
   * Parameters of {@code vcd}: temperature and form ({@link Distillation.Params}). With {@code form: release} the
   * term is {@code 0.5·kl_div(softmax(v1), softmax(z2)) + 0.5·kl_div(softmax(v2), softmax(z1))}, as the release
   * computes it (it uses no temperature, i.e. T = 1).
   */
  public static final class Params extends Distillation.Params {}

  /** Observation logits of view 1 (visible): teacher of z2. */
  public static final String V1 = "v1";
  /** Representation logits of view 1 (visible): student of v2. */
  public static final String Z1 = "z1";
  /** Observation logits of view 2 (infrared): teacher of z1. */
  public static final String V2 = "v2";
  /** Representation logits of view 2 (infrared): student of v1. */
  public static final String Z2 = "z2";

  private final Distillation kl;

  public VariationalCrossDistillation(double temperature) {
    this(temperature, "paper");
  }

  /** @param form {@code paper} or {@code release} (see {@link Params}) */
  public VariationalCrossDistillation(double temperature, String form) {
    this.kl = new Distillation("vcd", temperature, form);
  }

  @Override
  public LossResult compute(LossInput input) {
    Views.requirePaired("vcd", input, V1, Z2);
    Views.requirePaired("vcd", input, V2, Z1);
    Views.requirePaired("vcd", input, Z1, Z2);
    INDArray z1 = input.get(Z1);
    INDArray z2 = input.get(Z2);
    INDArray v1 = input.get(V1).castTo(z2.dataType());
    INDArray v2 = input.get(V2).castTo(z1.dataType());
    ProbabilityMath.Divergence d12 = kl.divergence(v1, z2);
    ProbabilityMath.Divergence d21 = kl.divergence(v2, z1);
    Map<String, Double> diagnostics = Map.of("kl_v1_z2", d12.value(), "kl_v2_z1", d21.value());
    if (kl.release()) {
      return new LossResult(0.5 * (d12.value() + d21.value()), Map.of(Z1, d21.studentGradient().muli(0.5),
          Z2, d12.studentGradient().muli(0.5)), diagnostics);
    }
    return new LossResult(d12.value() + d21.value(), Map.of(Z1, d21.studentGradient(), Z2, d12.studentGradient()),
        diagnostics);
  }

  /** The {@code vcd} plug-in. */
  public static final class Factory implements LossFactory<Params> {
    @Override
    public String name() {
      return "vcd";
    }

    @Override
    public String description() {
      return "variational cross-distillation KL(p(y|v1)||p(y|z2)) + KL(p(y|v2)||p(y|z1)) on the shared branch, "
          + "v sides stop-gradient (temperature, default 1)";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public List<Slot> slots(Params params) {
      return List.of(
          Slot.stopGradient(V1, "visible-view observation logits: teacher of z2, receives no gradient"),
          Slot.differentiable(Z1, "visible-view representation logits, rows paired with v2"),
          Slot.stopGradient(V2, "infrared-view observation logits: teacher of z1, receives no gradient"),
          Slot.differentiable(Z2, "infrared-view representation logits, rows paired with v1"));
    }

    /** Only {@code shared}: the visible and infrared rows of the shared branch. */
    @Override
    public Map<String, String> defaultInputs(String branch, Params params) {
      Views.requireShared("vcd", branch, "v1/z1/v2/z2");
      return Map.of(
          V1, Views.key(View.VISIBLE, OutputNames.V_LOGITS),
          Z1, Views.key(View.VISIBLE, OutputNames.Z_LOGITS),
          V2, Views.key(View.INFRARED, OutputNames.V_LOGITS),
          Z2, Views.key(View.INFRARED, OutputNames.Z_LOGITS));
    }

    @Override
    public LossTerm create(Params params, LossContext context) {
      return new VariationalCrossDistillation(params.temperature, params.form);
    }
  }
}
