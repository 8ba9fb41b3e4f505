package io.ibreid.encoders.fast;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The runtime trunk: forward and backward of the whole encoder in one layer, with no per-layer DL4J machinery. It
 * runs the steps of its {@link TrunkPlan} in turn and averages the last feature map over its positions. The kernels
 * are chosen once, when the trunk is built ({@link TrunkKernels#choose}): oneDNN's kept primitives in float NHWC on
 * the CPU, libnd4j's ops otherwise. Intermediate arrays live outside DL4J's workspaces, kept by each step from pass
 * to pass (reallocated when the batch size changes); a training pass keeps what the backward pass needs.
 */
public class Trunk extends BaseLayer<TrunkLayer> {
  /**
   * Rows per inference pass: a larger evaluation batch runs in chunks of this many rows through buffers of this size,
   * so the memory a branch keeps for inference stays near 60 MB at 3×64×32 whatever the caller's batch.
   */
  static final int INFERENCE_CHUNK = 64;

  private final transient TrunkPlan plan;
  private final transient Layout layout;
  private transient TrunkKernels kernels;
  private transient List<TrunkStep> steps;
  /** The input of every step in the last training pass. */
  private transient INDArray[] inputs;
  private final transient Kept trainingInput = new Kept();
  private final transient Kept inferenceInput = new Kept();
  /** The gradient of the last feature map, from the pooled output's. */
  private final transient Kept dFeatures = new Kept();

  public Trunk(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
    plan = layerConf().plan();
    layout = Layout.of(layerConf().getDataFormat());
    use(TrunkKernels.choose(layerConf(), dataType));
  }

  /** Builds the steps of the plan on {@code k}, replacing (and freeing) the kernels in use. */
  private void use(TrunkKernels k) {
    if (kernels != null) {
      kernels.close();
    }
    kernels = k;
    steps = new ArrayList<>();
    for (TrunkPlan.Step s : plan.steps()) {
      steps.add(step(s));
    }
    inputs = new INDArray[steps.size()];
  }

  private TrunkStep step(TrunkPlan.Step s) {
    if (s instanceof TrunkPlan.Conv c) {
      return unit(c.unit(), c.relu());
    }
    if (s instanceof TrunkPlan.MaxPool m) {
      return new PoolStep(m.pool(), kernels.maxPooling(m.pool()), layout, dataType);
    }
    TrunkPlan.Residual r = (TrunkPlan.Residual) s;
    List<UnitStep> path = new ArrayList<>();
    for (int i = 0; i < r.path().size(); i++) {
      path.add(unit(r.path().get(i), i < r.path().size() - 1));
    }
    return new ResidualStep(path, r.shortcut() == null ? null : unit(r.shortcut(), false), dataType);
  }

  private UnitStep unit(ConvUnit u, boolean relu) {
    UnitParams p = new UnitParams(this, u);
    return new UnitStep(u, p, kernels.convolution(u), kernels.normalisation(u, p, relu), layout, dataType);
  }

  /**
   * Replaces the kernels chosen at build time: oneDNN's or libnd4j's. For tests that compare the two; refused for
   * what oneDNN cannot run here ({@link TrunkKernels#oneDnnPossible}).
   */
  void useDirectOneDnn(boolean on) {
    if (on && !TrunkKernels.oneDnnPossible(layerConf(), dataType)) {
      throw new IllegalStateException("direct oneDNN kernels need float NHWC on ND4J's CPU backend and oneDNN's "
          + "binding loaded");
    }
    use(TrunkKernels.of(on, layerConf(), dataType));
  }

  /** Whether the convolutions and training-mode batch normalisations run through oneDNN's kept primitives. */
  boolean directOneDnn() {
    return kernels instanceof OneDnnKernels;
  }

  /** The gradient view of a parameter ({@link UnitParams}). */
  INDArray gradientView(String key) {
    return gradientViews.get(key);
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
    INDArray v;
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      long n = input.size(0);
      if (training || n <= INFERENCE_CHUNK) {
        v = forward(input, n, training);
      } else {
        // Inference normalises with running statistics, so rows are independent: stale rows past the end of the
        // last chunk do not affect the rows kept.
        v = Nd4j.create(dataType, n, plan.outChannels());
        for (long start = 0; start < n; start += INFERENCE_CHUNK) {
          long r = Math.min(INFERENCE_CHUNK, n - start);
          INDArray part = input.get(NDArrayIndex.interval(start, start + r), NDArrayIndex.all(), NDArrayIndex.all(),
              NDArrayIndex.all());
          INDArray pv = forward(part, INFERENCE_CHUNK, false);
          v.get(NDArrayIndex.interval(start, start + r), NDArrayIndex.all())
              .assign(pv.get(NDArrayIndex.interval(0, r), NDArrayIndex.all()));
        }
      }
    }
    return mgr.dup(ArrayType.ACTIVATIONS, v);
  }

  /** The trunk on {@code in} (NCHW, at most {@code n} rows) through buffers of {@code n} rows; returns n×D. */
  private INDArray forward(INDArray in, long n, boolean training) {
    INDArray x = (training ? trainingInput : inferenceInput).of(dataType,
        layout.shape(n, plan.inChannels(), plan.inH(), plan.inW()));
    long t0 = System.nanoTime();
    INDArray source = layout == Layout.NHWC ? in.permute(0, 2, 3, 1) : in;
    if (in.size(0) == n) {
      x.assign(source);
    } else {
      x.get(NDArrayIndex.interval(0, in.size(0)), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
          .assign(source);
    }
    if (OpTimes.enabled()) {
      OpTimes.add("input_copy", System.nanoTime() - t0);
    }
    INDArray a = x;
    for (int i = 0; i < steps.size(); i++) {
      if (training) {
        inputs[i] = a;
      }
      a = steps.get(i).forward(a, training);
    }
    long tp = System.nanoTime();
    INDArray v = a.mean(layout.spatialAxes());
    if (OpTimes.enabled()) {
      OpTimes.add("pool", System.nanoTime() - tp);
    }
    return v;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    assertInputSet(true);
    Gradient g = new DefaultGradient(gradientsFlattened);
    INDArray dIn;
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      long n = input.size(0);
      // Global average pooling: every position receives dv / (H·W).
      INDArray d = dFeatures.of(dataType, layout.shape(n, plan.outChannels(), plan.outH(), plan.outW()));
      INDArray dv = epsilon.castTo(dataType).div(plan.outH() * plan.outW());
      OpTimes.exec("pool_bp", new BroadcastCopyOp(d, dv, d, 0, layout.channelAxis()));
      for (int i = steps.size() - 1; i >= 0; i--) {
        d = steps.get(i).backward(inputs[i], d);
      }
      dIn = layout == Layout.NHWC ? d.permute(0, 3, 1, 2) : d;
      for (Map.Entry<String, INDArray> e : gradientViews.entrySet()) {
        g.gradientForVariable().put(e.getKey(), e.getValue());
      }
    }
    return new Pair<>(g, mgr.dup(ArrayType.ACTIVATION_GRAD, dIn));
  }
}
