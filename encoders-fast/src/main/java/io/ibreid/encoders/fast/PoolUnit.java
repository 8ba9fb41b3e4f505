package io.ibreid.encoders.fast;

/**
 * A {@code k×k} max pooling with stride {@code stride} and {@code pad} positions of padding on every side (a padded
 * position never wins), over {@code channels} at {@code inH×inW}, to {@code outH×outW} = ⌊(in + 2·pad − k)/stride⌋
 * + 1: torchvision's ResNet stem pools with k = 3, stride 2, pad 1. No parameters.
 */
public record PoolUnit(String name, int channels, int kernel, int stride, int pad, int inH, int inW) {
  public PoolUnit {
    if (kernel <= 0 || stride <= 0 || pad < 0 || 2 * pad > kernel || inH + 2 * pad < kernel
        || inW + 2 * pad < kernel) {
      throw new IllegalArgumentException("max pooling " + name + ": kernel " + kernel + ", stride " + stride
          + ", pad " + pad + " over " + inH + "x" + inW + " (need kernel, stride > 0, 0 <= pad <= kernel/2, and the "
          + "padded input at least one kernel)");
    }
  }

  public int outH() {
    return (inH + 2 * pad - kernel) / stride + 1;
  }

  public int outW() {
    return (inW + 2 * pad - kernel) / stride + 1;
  }
}
