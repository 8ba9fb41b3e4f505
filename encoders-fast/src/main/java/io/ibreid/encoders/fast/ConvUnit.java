package io.ibreid.encoders.fast;

/**
 * One convolution of the trunk followed by batch normalisation: {@code k×k}, stride {@code stride}, "same" padding,
 * no bias, from {@code inChannels} at {@code inH×inW} to {@code outChannels} at {@code outH×outW}. Its parameters
 * are named {@code NAMEW}, {@code NAMEGamma}, {@code NAMEBeta} and the running statistics {@code NAMEMean},
 * {@code NAMEVar}.
 */
public record ConvUnit(String name, int inChannels, int outChannels, int kernel, int stride, int inH, int inW) {
  public int outH() {
    return (inH + stride - 1) / stride;
  }

  public int outW() {
    return (inW + stride - 1) / stride;
  }

  public long weightCount() {
    return (long) outChannels * inChannels * kernel * kernel;
  }

  /** Multiply-adds ×2 of the convolution for one example. */
  public long forwardFlops() {
    return 2L * outH() * outW() * outChannels * inChannels * kernel * kernel;
  }
}
