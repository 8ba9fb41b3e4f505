package io.ibreid.encoders.fast;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;

/**
 * A residual block at run time: out = ReLU(path(x) + shortcut(x)), the shortcut the identity when it has no unit. A
 * training pass keeps the sum (after its ReLU): the last unit of the path writes its output there and the
 * shortcut's output is added in place, so neither keeps an output of its own.
 */
final class ResidualStep implements TrunkStep {
  private final List<UnitStep> path;
  private final UnitStep shortcut;
  private final DataType type;
  private final Kept out = new Kept();

  /** @param shortcut null for the identity */
  ResidualStep(List<UnitStep> path, UnitStep shortcut, DataType type) {
    this.path = List.copyOf(path);
    this.shortcut = shortcut;
    this.type = type;
  }

  private UnitStep last() {
    return path.get(path.size() - 1);
  }

  @Override
  public INDArray train(INDArray x, Scratch scratch) {
    INDArray h = x;
    for (int i = 0; i < path.size() - 1; i++) {
      h = path.get(i).train(h, scratch);
    }
    INDArray o = out.of(type, last().outputShape(h));
    last().trainInto(h, o);
    if (shortcut == null) {
      OpTimes.exec("add", new AddOp(o, x, o));
    } else {
      INDArray s = shortcut.trainInto(x, scratch.take(o.shape()));
      OpTimes.exec("add", new AddOp(o, s, o));
      scratch.give(s);
    }
    BatchNorms.relu(o);
    return o;
  }

  @Override
  public INDArray infer(INDArray x, Scratch scratch) {
    INDArray sum = shortcut == null ? x : shortcut.infer(x, null, scratch);
    INDArray h = x;
    for (int i = 0; i < path.size() - 1; i++) {
      INDArray next = path.get(i).infer(h, scratch);
      if (h != x) {
        scratch.give(h);
      }
      h = next;
    }
    INDArray o = last().infer(h, sum, scratch);
    if (h != x) {
      scratch.give(h);
    }
    return o;
  }

  @Override
  public INDArray backward(INDArray x, INDArray dOut, Scratch scratch) {
    BatchNorms.reluBackwardInPlace(out.get(), dOut, scratch);
    INDArray d = dOut;
    for (int i = path.size() - 1; i >= 0; i--) {
      INDArray next = path.get(i).backward(i == 0 ? x : path.get(i - 1).output(), d, scratch);
      if (d != dOut) {
        scratch.give(d);
      }
      d = next;
    }
    INDArray dShortcut = shortcut == null ? dOut : shortcut.backward(x, dOut, scratch);
    OpTimes.exec("add", new AddOp(d, dShortcut, d));
    if (dShortcut != dOut) {
      scratch.give(dShortcut);
    }
    return d;
  }
}
