package io.ibreid.core.loss;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A term's value in one step (unweighted), the gradient of that value with respect to each slot that receives
 * gradient (same shape as the slot's array), and optional diagnostics logged beside the value (e.g. an MI estimate).
 */
public record LossResult(double value, Map<String, INDArray> gradients, Map<String, Double> diagnostics) {
  public LossResult {
    gradients = Map.copyOf(gradients);
    diagnostics = Map.copyOf(new LinkedHashMap<>(diagnostics));
  }

  public static LossResult of(double value, Map<String, INDArray> gradients) {
    return new LossResult(value, gradients, Map.of());
  }
}
