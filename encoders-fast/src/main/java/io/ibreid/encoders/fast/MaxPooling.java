package io.ibreid.encoders.fast;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The max pooling of one {@link PoolUnit}, as the trunk's {@link TrunkKernels} run it. */
interface MaxPooling {
  /** y = the maximum of every window of x. */
  void forward(INDArray x, INDArray y, boolean training);

  /**
   * dx from dy for the x and y of the last training {@link #forward}: each window's gradient goes to the position of
   * its maximum (the first, when several are equal: which one is an implementation's choice).
   */
  void backward(INDArray x, INDArray y, INDArray dy, INDArray dx);
}
