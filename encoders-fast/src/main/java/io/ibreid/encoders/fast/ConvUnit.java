package io.ibreid.encoders.fast;

/**
 * One convolution of the trunk followed by batch normalisation: {@code k×k}, stride {@code stride}, no bias, from
 * {@code inChannels} at {@code inH×inW} to {@code outChannels} at {@code outH×outW}. Padding is {@link #SAME} as
 * libnd4j computes it (out = ⌈in/stride⌉, the smaller half of the padding before: {@code fast-resnet}'s) or {@code
 * pad} zeros on every side (out = ⌊(in + 2·pad − k)/stride⌋ + 1: torchvision's, with pad = k/2). Its parameters are
 * named {@code NAMEW}, {@code NAMEGamma}, {@code NAMEBeta} and the running statistics {@code NAMEMean},
 * {@code NAMEVar}.
 */
public record ConvUnit(String name, int inChannels, int outChannels, int kernel, int stride, int pad, int inH,
    int inW) {
  /** The value of {@code pad} for libnd4j's SAME padding. */
  public static final int SAME = -1;

  public ConvUnit {
    if (kernel <= 0 || stride <= 0 || pad < SAME
        || (pad != SAME && (inH + 2 * pad < kernel || inW + 2 * pad < kernel))) {
      throw new IllegalArgumentException("unit " + name + ": kernel " + kernel + ", stride " + stride + ", pad " + pad
          + " over " + inH + "x" + inW + " (need kernel, stride > 0, pad >= 0 or SAME, and the padded input at least "
          + "one kernel)");
    }
  }

  /** A unit with SAME padding. */
  public ConvUnit(String name, int inChannels, int outChannels, int kernel, int stride, int inH, int inW) {
    this(name, inChannels, outChannels, kernel, stride, SAME, inH, inW);
  }

  public boolean same() {
    return pad == SAME;
  }

  public int outH() {
    return outSize(inH);
  }

  public int outW() {
    return outSize(inW);
  }

  private int outSize(int in) {
    return same() ? (in + stride - 1) / stride : (in + 2 * pad - kernel) / stride + 1;
  }

  public long weightCount() {
    return (long) outChannels * inChannels * kernel * kernel;
  }

  /** Multiply-adds ×2 of the convolution for one example. */
  public long forwardFlops() {
    return 2L * outH() * outW() * outChannels * inChannels * kernel * kernel;
  }
}
