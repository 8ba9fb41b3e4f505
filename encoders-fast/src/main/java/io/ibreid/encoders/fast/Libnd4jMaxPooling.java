package io.ibreid.encoders.fast;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * A max pooling through libnd4j's {@code maxpool2d} and {@code maxpool2d_bp} ops with explicit padding (a padded
 * position never wins), in any data type and layout.
 */
final class Libnd4jMaxPooling implements MaxPooling {
  private final int[] iArgs;

  Libnd4jMaxPooling(PoolUnit u, Layout layout) {
    // libnd4j's pooling arguments: kernel H, W; stride H, W; padding H, W; dilation H, W; 0 = explicit padding
    // (1 = SAME); an extra value max pooling ignores; 1 = NHWC (0 = NCHW)
    iArgs = new int[] {u.kernel(), u.kernel(), u.stride(), u.stride(), u.pad(), u.pad(), 1, 1, 0, 0,
        layout == Layout.NHWC ? 1 : 0};
  }

  @Override
  public void forward(INDArray x, INDArray y, boolean training) {
    OpTimes.exec("maxpool", DynamicCustomOp.builder("maxpool2d").addInputs(x).addOutputs(y)
        .addIntegerArguments(iArgs).build());
  }

  @Override
  public void backward(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    OpTimes.exec("maxpool_bp", DynamicCustomOp.builder("maxpool2d_bp").addInputs(x, dy).addOutputs(dx)
        .addIntegerArguments(iArgs).build());
  }
}
