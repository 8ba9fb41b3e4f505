package io.ibreid.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Row-wise probability helpers shared by the distillation terms, in the input's precision and numerically stable
 * (max-shifted). All take and return N×C arrays and never modify their inputs.
 */
public final class ProbabilityMath {
  private ProbabilityMath() {}

  /** log softmax(x / temperature) along each row. */
  public static INDArray logSoftmax(INDArray logits, double temperature) {
    INDArray x = logits.div(temperature);
    INDArray max = x.max(true, 1);
    INDArray shifted = x.subiColumnVector(max);
    INDArray logZ = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
    return shifted.subiColumnVector(logZ);
  }

  /** softmax(x / temperature) along each row. */
  public static INDArray softmax(INDArray logits, double temperature) {
    return Transforms.exp(logSoftmax(logits, temperature), false);
  }

  /** Row-wise KL(p ‖ q) = Σ p (log p − log q), from log-probabilities; an N×1 column. */
  public static INDArray klRows(INDArray logP, INDArray logQ) {
    INDArray p = Transforms.exp(logP, true);
    return p.mul(logP.sub(logQ)).sum(true, 1);
  }

  /** One-hot rows for labels with optional smoothing: (1−ε)·onehot + ε/C. */
  public static INDArray smoothedTargets(int[] labels, int numClasses, double epsilon, org.nd4j.linalg.api.buffer.DataType type) {
    INDArray q = org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {labels.length, numClasses},
        epsilon / numClasses, type);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException("label " + labels[i] + " outside 0.." + (numClasses - 1));
      }
      q.putScalar(i, labels[i], 1.0 - epsilon + epsilon / numClasses);
    }
    return q;
  }
}
