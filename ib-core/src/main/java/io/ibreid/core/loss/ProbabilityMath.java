package io.ibreid.core.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The maths the loss terms share, in the input's precision and numerically stable (max-shifted): row-wise softmax and
 * KL divergence, and the two forms of the distillation divergence ({@link #paperKl}, {@link #releaseKl}) that VSD and
 * VCD are made of (their parameters and checks: {@link Distillation}). All take N×C arrays and never modify them.
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

  /** A divergence's value and its gradient with respect to the student's logits. */
  public record Divergence(double value, INDArray studentGradient) {}

  /**
   * The distillation divergence of the paper, teacher t (no gradient) to student s over N rows at temperature T:
   * {@code L = T² · (1/N) Σ_i KL( softmax(t_i/T) ‖ softmax(s_i/T) )}, from log-probabilities, so the value is the true
   * KL in nats. Gradient: {@code dL/ds_i = (T/N) · (softmax(s_i/T) − softmax(t_i/T))}.
   */
  public static Divergence paperKl(INDArray teacherLogits, INDArray studentLogits, double temperature) {
    long n = studentLogits.rows();
    double t = temperature;
    INDArray logP = logSoftmax(teacherLogits, t);
    INDArray logQ = logSoftmax(studentLogits, t);
    double value = t * t * klRows(logP, logQ).sumNumber().doubleValue() / n;
    INDArray grad = Transforms.exp(logQ, true).subi(Transforms.exp(logP, false)).muli(t / n);
    return new Divergence(value, grad);
  }

  /**
   * The KL term as the authors' public PyTorch release computes it, kept for release-faithful comparisons only:
   * {@code torch.nn.functional.kl_div(input=softmax(teacher/T), target=softmax(student/T))} with PyTorch's default
   * element-wise mean, i.e. {@code (1/(N·C)) Σ q (log q − p)} where p are the teacher's probabilities (passed where
   * kl_div expects log-probabilities) and q the student's. It is not a divergence between p and q (for p = q it is
   * −H(q)/C, not 0), and the 1/C makes it small; the teacher side has no gradient.
   * Gradient: {@code dL/dz_k = q_k (g_k − Σ_c q_c g_c) / (N·C·T)} with {@code g = log q − p}.
   */
  public static Divergence releaseKl(INDArray teacherLogits, INDArray studentLogits, double temperature) {
    INDArray p = softmax(teacherLogits, temperature);
    INDArray logQ = logSoftmax(studentLogits, temperature);
    INDArray q = Transforms.exp(logQ, true);
    double elements = (double) studentLogits.rows() * studentLogits.columns();
    INDArray g = logQ.sub(p);
    double value = q.mul(g).sumNumber().doubleValue() / elements;
    INDArray expected = q.mul(g).sum(true, 1);
    INDArray grad = g.subiColumnVector(expected).muli(q).divi(elements * temperature);
    return new Divergence(value, grad);
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
