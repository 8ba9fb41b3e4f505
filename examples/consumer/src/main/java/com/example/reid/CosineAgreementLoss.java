package com.example.reid;

import io.ibreid.core.ConfigException;
import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.LossInput;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.Slot;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss of our own: {@code mean_i (1 - cos(v_i, r_i))} over the rows of two views of one branch, where row i of the
 * visible view and row i of the infrared view show the same person. It pulls the two modalities' representations
 * of a person towards one direction.
 */
public final class CosineAgreementLoss implements LossTerm {
  /** Parameters ({@code params:} in a config); none are needed. */
  public static final class Params {}

  /** The plug-in factory: name, inputs and default bindings for {@code branch: shared}. */
  public static final class Factory implements LossFactory<Params> {
    @Override
    public String name() {
      return "cosine-agreement";
    }

    @Override
    public String description() {
      return "1 - cosine of a person's visible and infrared representations (example plug-in)";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public List<Slot> slots(Params p) {
      return List.of(Slot.differentiable("visible", "representation of the visible rows"),
          Slot.differentiable("infrared", "representation of the infrared rows"));
    }

    @Override
    public Map<String, String> defaultInputs(String branch, Params p) {
      if (!branch.equals("shared")) {
        throw new ConfigException("cosine-agreement needs both views of one branch; only [shared] has them");
      }
      return Map.of("visible", "shared.visible.z", "infrared", "shared.infrared.z");
    }

    @Override
    public LossTerm create(Params p, LossContext context) {
      return new CosineAgreementLoss();
    }
  }

  @Override
  public LossResult compute(LossInput input) {
    INDArray a = input.get("visible");
    INDArray b = input.get("infrared");
    long n = a.rows();
    INDArray na = a.norm2(1).reshape(n, 1).addi(1e-12);
    INDArray nb = b.norm2(1).reshape(n, 1).addi(1e-12);
    INDArray cos = a.mul(b).sum(1).reshape(n, 1).divi(na).divi(nb);
    double value = 1 - cos.meanNumber().doubleValue();
    // d cos / d a = b / (|a| |b|) - cos * a / |a|^2, and symmetrically for b; the loss is -mean(cos)
    INDArray ga = b.div(na.mul(nb)).subi(a.mul(cos).divi(na.mul(na))).divi(-n);
    INDArray gb = a.div(na.mul(nb)).subi(b.mul(cos).divi(nb.mul(nb))).divi(-n);
    return LossResult.of(value, Map.of("visible", ga, "infrared", gb));
  }
}
