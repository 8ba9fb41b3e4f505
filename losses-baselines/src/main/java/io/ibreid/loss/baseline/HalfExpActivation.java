package io.ibreid.loss.baseline;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code f(x) = exp(x / 2)}: turns a log-variance into a standard deviation inside a DL4J graph
 * ({@code f'(x) = f(x) / 2}). DL4J has no exponential activation; this one is saved in model JSON by class name
 * (DL4J serialises activations by class), so it needs its public no-argument constructor and no state.
 */
public final class HalfExpActivation extends BaseActivationFunction {
  public HalfExpActivation() {}

  @Override
  public INDArray getActivation(INDArray in, boolean training) {
    return Transforms.exp(in.muli(0.5), false);
  }

  @Override
  public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
    assertShape(in, epsilon);
    Transforms.exp(in.muli(0.5), false).muli(0.5).muli(epsilon);
    return new Pair<>(in, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HalfExpActivation;
  }

  @Override
  public int hashCode() {
    return HalfExpActivation.class.hashCode();
  }

  @Override
  public String toString() {
    return "halfexp";
  }
}
