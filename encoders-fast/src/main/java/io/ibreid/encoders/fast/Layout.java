package io.ibreid.encoders.fast;

/** Where the channel axis of a trunk's activations is: last (NHWC) or second (NCHW). */
enum Layout {
  NHWC,
  NCHW;

  /** The layout named by {@link TrunkLayer#getDataFormat()}. */
  static Layout of(String dataFormat) {
    return "NHWC".equals(dataFormat) ? NHWC : NCHW;
  }

  /** The array shape of n examples of c channels at h×w. */
  long[] shape(long n, int c, int h, int w) {
    return this == NHWC ? new long[] {n, h, w, c} : new long[] {n, c, h, w};
  }

  int channelAxis() {
    return this == NHWC ? 3 : 1;
  }

  /** The axes a per-channel statistic sums over: examples and positions. */
  int[] reduceAxes() {
    return this == NHWC ? new int[] {0, 1, 2} : new int[] {0, 2, 3};
  }

  /** The two spatial axes. */
  int[] spatialAxes() {
    return this == NHWC ? new int[] {1, 2} : new int[] {2, 3};
  }
}
