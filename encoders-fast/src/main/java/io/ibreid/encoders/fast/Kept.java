package io.ibreid.encoders.fast;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One array a trunk keeps from step to step, outside DL4J's workspaces: reused while the shape and data type stay the
 * same, reallocated when they change (a new batch size). The caller must be outside every workspace.
 */
final class Kept {
  private INDArray array;

  /** The kept array, (re)allocated for {@code shape} in {@code type}; its contents are whatever was last written. */
  INDArray of(DataType type, long... shape) {
    if (!fits(array, type, shape)) {
      array = Nd4j.create(type, shape);
    }
    return array;
  }

  /** The array last returned by {@link #of}, null before the first call. */
  INDArray get() {
    return array;
  }

  static boolean fits(INDArray a, DataType type, long[] shape) {
    return a != null && Arrays.equals(a.shape(), shape) && a.dataType() == type;
  }
}
