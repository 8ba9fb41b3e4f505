package io.ibreid.encoders.fast;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** What every {@link Normalisation} shares: the running statistics' update, NHWC inference, the ReLU. */
final class BatchNorms {
  private BatchNorms() {}

  /**
   * running = decay·running + (1−decay)·batch (unbiased variance), in place during the training forward pass; the
   * statistics' gradient stays zero and their updater is a no-op. A non-finite batch statistic leaves them as they
   * were, so a step the trainer skips for a non-finite value does not poison them. {@code mean} and {@code var} are
   * arrays of their own (C values), read here without an allocation.
   *
   * @param m the number of values each batch statistic was computed over (N·H·W)
   */
  static void updateRunningStatistics(UnitParams p, double decay, long m, INDArray mean, INDArray var) {
    long t0 = System.nanoTime();
    DataBuffer mb = mean.data();
    DataBuffer vb = var.data();
    for (long i = 0; i < mean.length(); i++) {
      if (!Double.isFinite(mb.getDouble(i)) || !Double.isFinite(vb.getDouble(i))) {
        return;
      }
    }
    int ch = (int) mean.length();
    INDArray runMean = p.runningMean();
    INDArray runVar = p.runningVar();
    runMean.muli(decay);
    runVar.muli(decay);
    Nd4j.getBlasWrapper().level1().axpy(ch, 1 - decay, mean.reshape(ch), runMean);
    Nd4j.getBlasWrapper().level1().axpy(ch, (1 - decay) * m / (double) Math.max(1, m - 1), var.reshape(ch), runVar);
    if (OpTimes.enabled()) {
      OpTimes.add("running_stats", System.nanoTime() - t0);
    }
  }

  /** Inference in NHWC, {@code ch} channels last: y = c·s + t with s = γ/√(running var + ε), t = β − running mean·s. */
  static void inferenceNhwc(UnitParams p, double eps, int ch, INDArray c, INDArray y) {
    INDArray scale = Transforms.pow(p.runningVar().add(eps), -0.5, false).muli(p.gamma());
    INDArray shift = p.beta().sub(p.runningMean().mul(scale));
    y.reshape(c.length() / ch, ch).assign(c.reshape(c.length() / ch, ch)).muliRowVector(scale.reshape(ch))
        .addiRowVector(shift.reshape(ch));
  }

  /** y = max(0, y) in place. */
  static void relu(INDArray y) {
    OpTimes.exec("relu", new RectifiedLinear(y, y, 0.0));
  }

  /**
   * dIn = dOut where out &gt; 0, else 0: a step mask times dOut, two plain element-wise passes (0.14–0.25 ms for
   * 16384×32 on one core, against 0.4–0.5 ms for libnd4j's relu_bp op).
   */
  static void reluBackward(INDArray out, INDArray dOut, INDArray dIn) {
    long t0 = System.nanoTime();
    Nd4j.exec(new Step(out, dIn));
    Nd4j.exec(new MulOp(dIn, dOut, dIn));
    if (OpTimes.enabled()) {
      OpTimes.add("relu_bp", System.nanoTime() - t0);
    }
  }
}
