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

  PoolStep(PoolUnit u, MaxPooling pooling, Layout layout, DataType type) {
    this.u = u;
    this.pooling = pooling;
    this.layout = layout;
    this.type = type;
  }

  private long[] outShape(INDArray x) {
    return layout.shape(x.size(0), u.channels(), u.outH(), u.outW());
  }

  @Override
  public INDArray train(INDArray x, Scratch scratch) {
    INDArray out = y.of(type, outShape(x));
    pooling.forward(x, out, true);
    return out;
  }

  @Override
  public INDArray infer(INDArray x, Scratch scratch) {
    INDArray out = scratch.take(outShape(x));
    pooling.forward(x, out, false);
    return out;
  }

  @Override
  public INDArray backward(INDArray x, INDArray dOut, Scratch scratch) {
    INDArray dIn = scratch.take(x.shape());
    pooling.backward(x, y.get(), dOut, dIn);
    return dIn;
  }
}
