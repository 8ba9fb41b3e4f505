package io.ibreid.encoders.fast;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A unit's convolution through {@link DnnlConv}, one per batch size, built on first use and kept. */
final class DnnlConvolution implements Convolution {
  private final ConvUnit u;
  private final String weightsFormat;
  private final OneDnnKernels kernels;
  private final Map<Long, DnnlConv> byBatchSize = new HashMap<>();

  DnnlConvolution(ConvUnit u, String weightsFormat, OneDnnKernels kernels) {
    this.u = u;
    this.weightsFormat = weightsFormat;
    this.kernels = kernels;
  }

  private DnnlConv at(long n) {
    return byBatchSize.computeIfAbsent(n, k -> kernels.make((eng, strm) -> new DnnlConv(u, n, weightsFormat, eng,
        strm)));
  }

  @Override
  public void forward(INDArray x, INDArray w, INDArray y) {
    long t0 = System.nanoTime();
    at(x.size(0)).forward(x, w, y);
    if (OpTimes.enabled()) {
      OpTimes.add("conv2d", System.nanoTime() - t0);
    }
  }

  @Override
  public void backward(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dw) {
    long t0 = System.nanoTime();
    at(x.size(0)).backward(x, dy, dx, dw);
    if (OpTimes.enabled()) {
      OpTimes.add("conv2d_bp", System.nanoTime() - t0);
    }
  }
}
