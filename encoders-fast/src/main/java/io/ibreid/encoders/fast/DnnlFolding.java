package io.ibreid.encoders.fast;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A unit's {@link FoldedUnit} through {@link DnnlFoldedConv}s (one per batch size and post-operations, built on first
 * use and kept). Each call folds the unit's current batch normalisation into a kept copy of its kernel and a bias.
 */
final class DnnlFolding implements FoldedUnit {
  private final ConvUnit u;
  private final UnitParams p;
  private final String weightsFormat;
  private final double eps;
  private final OneDnnKernels kernels;
  private final Map<String, DnnlFoldedConv> kept = new HashMap<>();
  private final Kept kernel = new Kept();
  private final Kept bias = new Kept();

  DnnlFolding(ConvUnit u, UnitParams p, TrunkLayer conf, OneDnnKernels kernels) {
    this.u = u;
    this.p = p;
    this.weightsFormat = conf.getWeightsFormat();
    this.eps = conf.getEps();
    this.kernels = kernels;
  }

  @Override
  public void forward(INDArray x, INDArray y, boolean accumulate, boolean relu) {
    long t0 = System.nanoTime();
    long n = x.size(0);
    DnnlFoldedConv conv = kept.computeIfAbsent(n + "/" + accumulate + "/" + relu, key -> kernels.make(
        (eng, strm) -> new DnnlFoldedConv(u, n, weightsFormat, accumulate, relu, eng, strm)));
    int o = u.outChannels();
    INDArray s = Transforms.pow(p.runningVar().add(eps), -0.5, false).muli(p.gamma());
    INDArray b = bias.of(DataType.FLOAT, o);
    b.assign(p.beta().sub(p.runningMean().mul(s)));
    INDArray w = p.kernel();
    INDArray folded = kernel.of(DataType.FLOAT, w.shape());
    if (weightsFormat.equals("YXIO")) { // the output channel last
      folded.reshape(w.length() / o, o).assign(w.reshape(w.length() / o, o)).muliRowVector(s.reshape(1, o));
    } else { // OIYX, OYXI: the output channel first
      folded.reshape(o, w.length() / o).assign(w.reshape(o, w.length() / o)).muliColumnVector(s.reshape(o, 1));
    }
    conv.forward(x, folded, b, y);
    if (OpTimes.enabled()) {
      OpTimes.add("conv_folded", System.nanoTime() - t0);
    }
  }
}
