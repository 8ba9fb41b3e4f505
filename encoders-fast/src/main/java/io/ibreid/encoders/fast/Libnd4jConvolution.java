package io.ibreid.encoders.fast;

import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * A unit's convolution through libnd4j's {@code conv2d} and {@code conv2d_bp} ops, in any data type and layout: SAME
 * padding, or explicit padding (libnd4j's "valid" mode with {@code pad} zeros on every side).
 */
final class Libnd4jConvolution implements Convolution {
  private final int[] iArgs;

  Libnd4jConvolution(ConvUnit u, String dataFormat, String weightsFormat) {
    Conv2DConfig cfg = Conv2DConfig.builder().kH(u.kernel()).kW(u.kernel()).sH(u.stride()).sW(u.stride())
        .paddingMode(u.same() ? PaddingMode.SAME : PaddingMode.VALID).pH(Math.max(0, u.pad()))
        .pW(Math.max(0, u.pad())).dataFormat(dataFormat).weightsFormat(WeightsFormat.valueOf(weightsFormat)).build();
    long[] a = new Conv2D(new INDArray[0], new INDArray[0], cfg).iArgs();
    iArgs = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      iArgs[i] = (int) a[i];
    }
  }

  @Override
  public void forward(INDArray x, INDArray w, INDArray y) {
    OpTimes.exec("conv2d", DynamicCustomOp.builder("conv2d").addInputs(x, w).addOutputs(y)
        .addIntegerArguments(iArgs).build());
  }

  @Override
  public void backward(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dw) {
    OpTimes.exec("conv2d_bp", DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, dy).addOutputs(dx, dw)
        .addIntegerArguments(iArgs).build());
  }
}
