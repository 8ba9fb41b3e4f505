package io.ibreid.encoders.fast;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A unit's inference in one pass, as the trunk's {@link TrunkKernels} run it where they can: the batch
 * normalisation (running statistics) folded into the convolution, y = conv(x, w·s) + (β − μ·s) with s = γ/√(σ² + ε)
 * per output channel, then optionally plus what {@code y} held (a residual sum) and a ReLU.
 */
interface FoldedUnit {
  /**
   * y = [ReLU](conv(x, w·s) + β − μ·s [+ y]) from the unit's current parameters.
   *
   * @param accumulate add the convolution to what {@code y} holds (the block's shortcut) instead of overwriting it
   * @param relu apply a ReLU last
   */
  void forward(INDArray x, INDArray y, boolean accumulate, boolean relu);
}
