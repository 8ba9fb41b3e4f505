package io.ibreid.encoders.fast;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A unit's training-mode batch normalisation, with its ReLU fused, through {@link DnnlBatchNorm} (one per batch
 * size, built on first use and kept); inference passes scale and shift with libnd4j's ops, then apply the ReLU.
 */
final class DnnlNormalisation implements Normalisation {
  private final ConvUnit u;
  private final UnitParams p;
  private final boolean relu;
  private final double eps;
  private final double decay;
  private final DataType type;
  private final OneDnnKernels kernels;
  private final Map<Long, DnnlBatchNorm> byBatchSize = new HashMap<>();
  private final Kept mean = new Kept();
  private final Kept var = new Kept();

  DnnlNormalisation(ConvUnit u, UnitParams p, boolean relu, TrunkLayer conf, DataType type, OneDnnKernels kernels) {
    this.u = u;
    this.p = p;
    this.relu = relu;
    this.eps = conf.getEps();
    this.decay = conf.getDecay();
    this.type = type;
    this.kernels = kernels;
  }

  private DnnlBatchNorm at(long n) {
    return byBatchSize.computeIfAbsent(n, k -> kernels.make((eng, strm) -> new DnnlBatchNorm(n, u.outChannels(),
        u.outH(), u.outW(), eps, relu, eng, strm)));
  }

  @Override
  public void forward(INDArray c, INDArray y, boolean training) {
    int ch = u.outChannels();
    if (!training) {
      BatchNorms.inferenceNhwc(p, eps, ch, c, y);
      if (relu) {
        BatchNorms.relu(y);
      }
      return;
    }
    long t0 = System.nanoTime();
    INDArray mu = mean.of(type, 1, ch);
    INDArray sigma2 = var.of(type, 1, ch);
    at(c.size(0)).forward(c, p.gamma(), p.beta(), y, mu, sigma2);
    BatchNorms.updateRunningStatistics(p, decay, c.length() / ch, mu, sigma2);
    if (OpTimes.enabled()) {
      OpTimes.add("bn_dnnl", System.nanoTime() - t0);
    }
  }

  /** The fused ReLU's mask, kept by the forward primitive, is applied to {@code dy} inside. */
  @Override
  public void backward(INDArray c, INDArray y, INDArray dy, INDArray dc) {
    long t0 = System.nanoTime();
    at(c.size(0)).backward(c, p.gamma(), p.beta(), mean.get(), var.get(), dy, dc, p.gammaGradient(),
        p.betaGradient());
    if (OpTimes.enabled()) {
      OpTimes.add("bn_bp_dnnl", System.nanoTime() - t0);
    }
  }
}
