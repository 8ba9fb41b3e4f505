package io.ibreid.encoders.fast;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A max pooling through {@link DnnlMaxPool}, one per batch size for training passes and one per batch size for
 * inference passes (an inference pass between a training pass and its backward pass must not overwrite the
 * workspace the backward pass reads), built on first use and kept.
 */
final class DnnlMaxPooling implements MaxPooling {
  private final PoolUnit u;
  private final OneDnnKernels kernels;
  private final Map<Long, DnnlMaxPool> training = new HashMap<>();
  private final Map<Long, DnnlMaxPool> inference = new HashMap<>();

  DnnlMaxPooling(PoolUnit u, OneDnnKernels kernels) {
    this.u = u;
    this.kernels = kernels;
  }

  private DnnlMaxPool at(Map<Long, DnnlMaxPool> kept, long n) {
    return kept.computeIfAbsent(n, k -> kernels.make((eng, strm) -> new DnnlMaxPool(u, n, eng, strm)));
  }

  @Override
  public void forward(INDArray x, INDArray y, boolean training) {
    long t0 = System.nanoTime();
    at(training ? this.training : inference, x.size(0)).forward(x, y);
    if (OpTimes.enabled()) {
      OpTimes.add("maxpool", System.nanoTime() - t0);
    }
  }

  @Override
  public void backward(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    long t0 = System.nanoTime();
    at(training, x.size(0)).backward(dy, dx);
    if (OpTimes.enabled()) {
      OpTimes.add("maxpool_bp", System.nanoTime() - t0);
    }
  }
}
