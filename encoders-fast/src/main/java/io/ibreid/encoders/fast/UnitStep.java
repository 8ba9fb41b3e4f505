package io.ibreid.encoders.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;

/**
 * A unit at run time: its convolution, then its normalisation (and ReLU), from the trunk's kernels. A training pass
 * keeps the convolution's output (the normalisation's backward pass reads it) and the unit's output (the next
 * convolution's input); inference folds the normalisation into the convolution where the kernels can ({@link
 * FoldedUnit}).
 */
final class UnitStep implements TrunkStep {
  private final ConvUnit u;
  private final UnitParams p;
  private final Convolution conv;
  private final Normalisation norm;
  private final FoldedUnit folded;
  private final boolean relu;
  private final Layout layout;
  private final DataType type;
  /** The convolution's output and the unit's output of the last training pass. */
  private final Kept c = new Kept();
  private final Kept y = new Kept();

  /** @param folded the unit's inference in one pass, or null to run the convolution and normalisation apart */
  UnitStep(ConvUnit u, UnitParams p, Convolution conv, Normalisation norm, FoldedUnit folded, boolean relu,
      Layout layout, DataType type) {
    this.u = u;
    this.p = p;
    this.conv = conv;
    this.norm = norm;
    this.folded = folded;
    this.relu = relu;
    this.layout = layout;
    this.type = type;
  }

  /** The shape of the unit's output for an input {@code x}. */
  long[] outputShape(INDArray x) {
    return layout.shape(x.size(0), u.outChannels(), u.outH(), u.outW());
  }

  @Override
  public INDArray train(INDArray x, Scratch scratch) {
    return trainInto(x, y.of(type, outputShape(x)));
  }

  /**
   * A training pass writing the unit's output into {@code out}, which need not outlive the pass: for a unit
   * without ReLU, whose backward pass does not read its output.
   */
  INDArray trainInto(INDArray x, INDArray out) {
    INDArray convOut = c.of(type, outputShape(x));
    conv.forward(x, p.kernel(), convOut);
    norm.forward(convOut, out, true);
    return out;
  }

  /** The output of the last training pass (units with ReLU only). */
  INDArray output() {
    return y.get();
  }

  @Override
  public INDArray infer(INDArray x, Scratch scratch) {
    return infer(x, null, scratch);
  }

  /**
   * The unit in an inference pass; with a {@code residual} (a {@link Scratch} array, or the block's input that is
   * not needed afterwards) the output is ReLU(unit(x) + residual), written over {@code residual}.
   */
  INDArray infer(INDArray x, INDArray residual, Scratch scratch) {
    INDArray out = residual != null ? residual : scratch.take(outputShape(x));
    if (folded != null) {
      folded.forward(x, out, residual != null, relu || residual != null);
      return out;
    }
    INDArray convOut = residual != null ? scratch.take(outputShape(x)) : out;
    conv.forward(x, p.kernel(), convOut);
    norm.forward(convOut, convOut, false);
    if (residual != null) {
      OpTimes.exec("add", new AddOp(out, convOut, out));
      BatchNorms.relu(out);
      scratch.give(convOut);
    }
    return out;
  }

  @Override
  public INDArray backward(INDArray x, INDArray dOut, Scratch scratch) {
    INDArray dConv = scratch.take(c.get().shape());
    norm.backward(c.get(), y.get(), dOut, dConv);
    p.zeroStatisticGradients();
    INDArray dIn = scratch.take(x.shape());
    conv.backward(x, p.kernel(), dConv, dIn, p.kernelGradient());
    scratch.give(dConv);
    return dIn;
  }
}
