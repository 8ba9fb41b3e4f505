package io.ibreid.encoders.fast;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The convolution of one unit ({@link ConvUnit}: k×k, stride, SAME padding, no bias) in its trunk's data format and
 * kernel layout, as the trunk's {@link TrunkKernels} run it. Arrays are the trunk's kept buffers and parameter views.
 */
interface Convolution {
  /** y = conv(x, w). */
  void forward(INDArray x, INDArray w, INDArray y);

  /** dx and dw from dy, for the x and w of the last {@link #forward}; dw is written (not added to). */
  void backward(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dw);
}
