package io.ibreid.encoders.fast;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;

/** A residual block at run time: out = ReLU(path(x) + shortcut(x)), the shortcut the identity when it has no unit. */
final class ResidualStep implements TrunkStep {
  private final List<UnitStep> path;
  private final UnitStep shortcut;
  private final DataType type;
  private final Kept out = new Kept();
  private final Kept inferenceOut = new Kept();
  /** Gradients of the backward pass: of the sum (after the ReLU's mask) and of the block's input. */
  private final Kept dSum = new Kept();
  private final Kept dx = new Kept();

  /** @param shortcut null for the identity */
  ResidualStep(List<UnitStep> path, UnitStep shortcut, DataType type) {
    this.path = List.copyOf(path);
    this.shortcut = shortcut;
    this.type = type;
  }

  @Override
  public INDArray forward(INDArray x, boolean training) {
    INDArray h = x;
    for (UnitStep u : path) {
      h = u.forward(h, training);
    }
    INDArray s = shortcut == null ? x : shortcut.forward(x, training);
    INDArray o = (training ? out : inferenceOut).of(type, h.shape());
    OpTimes.exec("add", new AddOp(h, s, o));
    BatchNorms.relu(o);
    return o;
  }

  @Override
  public INDArray backward(INDArray x, INDArray dOut) {
    INDArray o = out.get();
    INDArray dS = dSum.of(type, o.shape());
    BatchNorms.reluBackward(o, dOut, dS);
    INDArray d = dS;
    for (int i = path.size() - 1; i >= 0; i--) {
      d = path.get(i).backward(i == 0 ? x : path.get(i - 1).output(), d);
    }
    INDArray dShortcut = shortcut == null ? dS : shortcut.backward(x, dS);
    INDArray dIn = dx.of(type, d.shape());
    OpTimes.exec("add", new AddOp(d, dShortcut, dIn));
    return dIn;
  }
}
