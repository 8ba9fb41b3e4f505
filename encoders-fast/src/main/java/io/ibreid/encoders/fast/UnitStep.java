package io.ibreid.encoders.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A unit at run time: its convolution, then its normalisation (and ReLU), from the trunk's kernels. */
final class UnitStep implements TrunkStep {
  private final ConvUnit u;
  private final UnitParams p;
  private final Convolution conv;
  private final Normalisation norm;
  private final Layout layout;
  private final DataType type;
  /** The convolution's output and the unit's output, of training and of inference passes. */
  private final Kept c = new Kept();
  private final Kept y = new Kept();
  private final Kept inferenceC = new Kept();
  private final Kept inferenceY = new Kept();
  /** Gradients of the backward pass: of the convolution's output and of the unit's input. */
  private final Kept dc = new Kept();
  private final Kept dx = new Kept();

  UnitStep(ConvUnit u, UnitParams p, Convolution conv, Normalisation norm, Layout layout, DataType type) {
    this.u = u;
    this.p = p;
    this.conv = conv;
    this.norm = norm;
    this.layout = layout;
    this.type = type;
  }

  @Override
  public INDArray forward(INDArray x, boolean training) {
    long[] shape = layout.shape(x.size(0), u.outChannels(), u.outH(), u.outW());
    INDArray convOut = (training ? c : inferenceC).of(type, shape);
    conv.forward(x, p.kernel(), convOut);
    INDArray out = (training ? y : inferenceY).of(type, shape);
    norm.forward(convOut, out, training);
    return out;
  }

  /** The output of the last training pass. */
  INDArray output() {
    return y.get();
  }

  @Override
  public INDArray backward(INDArray x, INDArray dOut) {
    INDArray dConv = dc.of(type, c.get().shape());
    norm.backward(c.get(), y.get(), dOut, dConv);
    p.zeroStatisticGradients();
    INDArray dIn = dx.of(type, x.shape());
    conv.backward(x, p.kernel(), dConv, dIn, p.kernelGradient());
    return dIn;
  }
}
