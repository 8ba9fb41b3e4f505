package io.ibreid.encoders.fast;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime trunk: forward and backward of the whole residual encoder in one layer, with libnd4j ops and no
 * per-layer DL4J machinery. Intermediate arrays live outside DL4J's workspaces in buffers reused from step to step
 * (reallocated when the batch size changes); the forward pass in training mode keeps what the backward pass needs.
 */
public class Trunk extends BaseLayer<TrunkLayer> {
  private transient TrunkPlan plan;
  private transient Map<String, long[]> iArgs;
  private final transient Map<String, INDArray> buffers = new HashMap<>();
  /** Batch statistics of the last training forward pass, by unit name. */
  private final transient Map<String, INDArray[]> batchStats = new HashMap<>();
  private transient boolean nhwc;

  public Trunk(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private void prepare() {
    if (plan == null) {
      plan = layerConf().plan();
      nhwc = "NHWC".equals(layerConf().getDataFormat());
      iArgs = new HashMap<>();
      for (ConvUnit u : plan.units()) {
        Conv2DConfig cfg = Conv2DConfig.builder().kH(u.kernel()).kW(u.kernel()).sH(u.stride()).sW(u.stride())
            .paddingMode(PaddingMode.SAME).dataFormat(layerConf().getDataFormat())
            .weightsFormat(WeightsFormat.valueOf(layerConf().getWeightsFormat())).build();
        iArgs.put(u.name(), new Conv2D(new INDArray[0], new INDArray[0], cfg).iArgs());
      }
    }
  }

  private INDArray buffer(String name, long... shape) {
    INDArray b = buffers.get(name);
    if (b == null || !Arrays.equals(b.shape(), shape) || b.dataType() != dataType) {
      b = Nd4j.create(dataType, shape);
      buffers.put(name, b);
    }
    return b;
  }

  private long[] shape(long n, int c, int h, int w) {
    return nhwc ? new long[] {n, h, w, c} : new long[] {n, c, h, w};
  }

  private int channelAxis() {
    return nhwc ? 3 : 1;
  }

  private int[] reduceAxes() {
    return nhwc ? new int[] {0, 1, 2} : new int[] {0, 2, 3};
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public void clearNoiseWeightParams() {}

  @Override
  public boolean hasBias() {
    return false;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
    assertInputSet(false);
    prepare();
    INDArray v;
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      long n = input.size(0);
      INDArray x = buffer("input", shape(n, plan.stem().inChannels(), plan.stem().inH(), plan.stem().inW()));
      x.assign(nhwc ? input.permute(0, 2, 3, 1) : input);
      INDArray a = unit(plan.stem(), x, n, training, true);
      for (TrunkPlan.Block b : plan.blocks()) {
        INDArray h = unit(b.a(), a, n, training, true);
        INDArray y = unit(b.b(), h, n, training, false);
        INDArray s = b.down() == null ? a : unit(b.down(), a, n, training, false);
        INDArray out = buffer(b.b().name() + "_out", y.shape());
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(y, s, out));
        Nd4j.exec(new RectifiedLinear(out, out, 0.0));
        a = out;
      }
      INDArray e = unit(plan.expand(), a, n, training, true);
      v = e.mean(nhwc ? new int[] {1, 2} : new int[] {2, 3});
    }
    return mgr.dup(ArrayType.ACTIVATIONS, v);
  }

  /** conv → BN (batch statistics in training, running ones otherwise) → optional in-place ReLU; returns the output. */
  private INDArray unit(ConvUnit u, INDArray x, long n, boolean training, boolean relu) {
    long[] outShape = shape(n, u.outChannels(), u.outH(), u.outW());
    INDArray c = buffer(u.name() + "_c", outShape);
    Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, getParam(u.name() + "_W")).addOutputs(c)
        .addIntegerArguments(ints(iArgs.get(u.name()))).build());
    INDArray mean;
    INDArray var;
    if (training) {
      mean = buffer(u.name() + "_bmean", u.outChannels());
      var = buffer(u.name() + "_bvar", u.outChannels());
      Nd4j.exec(DynamicCustomOp.builder("moments").addInputs(c).addOutputs(mean, var)
          .addIntegerArguments(reduceAxes()).addFloatingPointArguments(0.0).build());
      batchStats.put(u.name(), new INDArray[] {mean, var});
    } else {
      mean = getParam(u.name() + "_mean");
      var = getParam(u.name() + "_var");
    }
    INDArray y = buffer(u.name() + "_y", outShape);
    Nd4j.exec(DynamicCustomOp.builder("batchnorm")
        .addInputs(c, mean, var, getParam(u.name() + "_gamma"), getParam(u.name() + "_beta")).addOutputs(y)
        .addIntegerArguments(1, 1, channelAxis()).addFloatingPointArguments(layerConf().getEps()).build());
    if (relu) {
      Nd4j.exec(new RectifiedLinear(y, y, 0.0));
    }
    return y;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    assertInputSet(true);
    prepare();
    Gradient g = new DefaultGradient(gradientsFlattened);
    INDArray dIn;
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      long n = input.size(0);
      ConvUnit ex = plan.expand();
      // Global average pooling: every position receives dv / (H·W).
      INDArray dE = buffer("d_expand", shape(n, ex.outChannels(), ex.outH(), ex.outW()));
      INDArray dv = epsilon.castTo(dataType).div(ex.outH() * ex.outW());
      Nd4j.exec(new BroadcastCopyOp(dE, dv, dE, 0, channelAxis()));
      INDArray last = plan.blocks().isEmpty() ? buffers.get("stem_y")
          : buffers.get(plan.blocks().get(plan.blocks().size() - 1).b().name() + "_out");
      INDArray d = unitBackward(ex, last, dE, true);
      for (int i = plan.blocks().size() - 1; i >= 0; i--) {
        TrunkPlan.Block b = plan.blocks().get(i);
        INDArray blockIn = i == 0 ? buffers.get("stem_y") : buffers.get(plan.blocks().get(i - 1).b().name() + "_out");
        INDArray out = buffers.get(b.b().name() + "_out");
        INDArray dSum = buffer(b.b().name() + "_dsum", out.shape());
        reluBackward(out, d, dSum);
        INDArray dH = unitBackward(b.b(), buffers.get(b.a().name() + "_y"), dSum, false);
        INDArray dA = unitBackward(b.a(), blockIn, dH, true);
        INDArray dX = buffer(b.a().name() + "_dxsum", dA.shape());
        if (b.down() == null) {
          Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(dA, dSum, dX));
        } else {
          INDArray dS = unitBackward(b.down(), blockIn, dSum, false);
          Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(dA, dS, dX));
        }
        d = dX;
      }
      INDArray dx = unitBackward(plan.stem(), buffers.get("input"), d, true);
      dIn = nhwc ? dx.permute(0, 3, 1, 2) : dx;
      for (Map.Entry<String, INDArray> e : gradientViews.entrySet()) {
        g.gradientForVariable().put(e.getKey(), e.getValue());
      }
    }
    return new Pair<>(g, mgr.dup(ArrayType.ACTIVATION_GRAD, dIn));
  }

  /**
   * Backward through one unit given dL/d(output) {@code dOut} and the unit's input {@code x}: ReLU (if any), BN,
   * convolution. Writes the parameter gradients and the running-statistics pseudo-gradients into the gradient view;
   * returns dL/dx.
   */
  private INDArray unitBackward(ConvUnit u, INDArray x, INDArray dOut, boolean relu) {
    INDArray y = buffers.get(u.name() + "_y");
    INDArray c = buffers.get(u.name() + "_c");
    INDArray dY = dOut;
    if (relu) {
      dY = buffer(u.name() + "_dy", y.shape());
      reluBackward(y, dOut, dY);
    }
    INDArray[] stats = batchStats.get(u.name());
    INDArray dC = buffer(u.name() + "_dc", c.shape());
    INDArray dMean = buffer(u.name() + "_dmean", u.outChannels());
    INDArray dVar = buffer(u.name() + "_dvar", u.outChannels());
    Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
        .addInputs(c, stats[0], stats[1], getParam(u.name() + "_gamma"), getParam(u.name() + "_beta"), dY)
        .addOutputs(dC, dMean, dVar, gradientViews.get(u.name() + "_gamma"), gradientViews.get(u.name() + "_beta"))
        .addIntegerArguments(1, 1, channelAxis()).addFloatingPointArguments(layerConf().getEps()).build());
    INDArray dX = buffer(u.name() + "_dx", x.shape());
    Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, getParam(u.name() + "_W"), dC)
        .addOutputs(dX, gradientViews.get(u.name() + "_W")).addIntegerArguments(ints(iArgs.get(u.name()))).build());
    // Running statistics: pseudo-gradient (running - updated), applied by the no-op updater as params -= g.
    double decay = layerConf().getDecay();
    long m = c.length() / u.outChannels();
    INDArray rm = getParam(u.name() + "_mean");
    INDArray rv = getParam(u.name() + "_var");
    gradientViews.get(u.name() + "_mean").assign(rm.sub(stats[0]).muli(1 - decay));
    gradientViews.get(u.name() + "_var").assign(rv.sub(stats[1].mul(m / (double) Math.max(1, m - 1)))
        .muli(1 - decay));
    return dX;
  }

  private static void reluBackward(INDArray out, INDArray dOut, INDArray dIn) {
    Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(out, dOut).addOutputs(dIn)
        .addFloatingPointArguments(0.0).build());
  }

  private static int[] ints(long[] a) {
    int[] r = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = (int) a[i];
    }
    return r;
  }
}
