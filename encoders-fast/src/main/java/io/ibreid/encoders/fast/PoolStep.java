package io.ibreid.encoders.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A max pooling at run time, from the trunk's kernels. */
final class PoolStep implements TrunkStep {
  private final PoolUnit u;
  private final MaxPooling pooling;
  private final Layout layout;
  private final DataType type;
  private final Kept y = new Kept();
  private final Kept inferenceY = new Kept();
  private final Kept dx = new Kept();

  PoolStep(PoolUnit u, MaxPooling pooling, Layout layout, DataType type) {
    this.u = u;
    this.pooling = pooling;
    this.layout = layout;
    this.type = type;
  }

  @Override
  public INDArray forward(INDArray x, boolean training) {
    INDArray out = (training ? y : inferenceY).of(type, layout.shape(x.size(0), u.channels(), u.outH(), u.outW()));
    pooling.forward(x, out, training);
    return out;
  }

  @Override
  public INDArray backward(INDArray x, INDArray dOut) {
    INDArray dIn = dx.of(type, x.shape());
    pooling.backward(x, y.get(), dOut, dIn);
    return dIn;
  }
}
