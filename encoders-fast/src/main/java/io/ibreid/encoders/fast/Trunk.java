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
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The runtime trunk: forward and backward of the whole residual encoder in one layer, with no per-layer DL4J
 * machinery. In float NHWC on the CPU its convolutions and training-mode batch normalisations call oneDNN's kept
 * primitives ({@link DnnlConv}, {@link DnnlBatchNorm}); otherwise (double precision, NCHW, another backend, oneDNN's
 * binding off) libnd4j's ops. Intermediate arrays live outside DL4J's workspaces in buffers reused from step to step
 * (reallocated when the batch size changes); the forward pass in training mode keeps what the backward pass needs.
 */
public class Trunk extends BaseLayer<TrunkLayer> {
  private transient TrunkPlan plan;
  private transient Map<String, long[]> iArgs;
  /** Buffers of training passes and of inference passes (at most INFERENCE_CHUNK rows), kept apart. */
  private final transient Map<String, INDArray> trainingBuffers = new HashMap<>();
  private final transient Map<String, INDArray> inferenceBuffers = new HashMap<>();
  private transient Map<String, INDArray> buffers = trainingBuffers;
  /** Batch statistics of the last training forward pass, by unit name. */
  private final transient Map<String, INDArray[]> batchStats = new HashMap<>();
  private transient boolean nhwc;
  /**
   * Whether the convolutions and the training-mode batch normalisations go through oneDNN's kept primitives
   * ({@link DnnlConv}, {@link DnnlBatchNorm}); by default when float NHWC with oneDNN's binding loaded.
   */
  private transient Boolean direct;
  /** oneDNN convolutions by unit name and batch size, built on first use; with the engine and stream they run on. */
  private final transient Map<String, DnnlConv> convs = new HashMap<>();
  /** oneDNN training-mode batch normalisations (ReLU fused where the unit has one), by unit name and batch size. */
  private final transient Map<String, DnnlBatchNorm> norms = new HashMap<>();
  private transient org.bytedeco.dnnl.engine engine;
  private transient org.bytedeco.dnnl.stream stream;

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
    if (direct == null) {
      direct = directByDefault();
    }
  }

  /**
   * Chooses the implementation of the convolutions and the training-mode batch normalisations: oneDNN's primitives
   * kept by {@link DnnlConv} and {@link DnnlBatchNorm} (the default for float NHWC when oneDNN's binding is loaded)
   * or libnd4j's ops. For tests that compare the two; refused for what oneDNN cannot run here.
   */
  void useDirectOneDnn(boolean on) {
    prepare();
    if (on && !directPossible()) {
      throw new IllegalStateException("direct oneDNN kernels need float NHWC on ND4J's CPU backend and oneDNN's "
          + "binding loaded");
    }
    direct = on;
  }

  /** Float NHWC arrays in host memory (ND4J's CPU backend), with oneDNN's binding loaded. */
  private boolean directPossible() {
    return nhwc && dataType == DataType.FLOAT && Nd4j.getEnvironment().isCPU()
        && io.ibreid.core.natives.NativeRuntime.dnnlLoaded();
  }

  /** The default: possible, and allowed ({@link io.ibreid.core.natives.NativeRuntime#allowDirectKernels}). */
  private boolean directByDefault() {
    return directPossible() && io.ibreid.core.natives.NativeRuntime.directKernelsAllowed();
  }

  /** Whether the convolutions and training-mode batch normalisations run through oneDNN's kept primitives. */
  boolean directOneDnn() {
    prepare();
    return direct;
  }

  private DnnlConv conv(ConvUnit u, long n) {
    return convs.computeIfAbsent(u.name() + ":" + n, key -> {
      startEngine();
      return new DnnlConv(u, n, layerConf().getWeightsFormat(), engine, stream);
    });
  }

  private DnnlBatchNorm batchNorm(ConvUnit u, long n, boolean relu) {
    return norms.computeIfAbsent(u.name() + ":" + n, key -> {
      startEngine();
      return new DnnlBatchNorm(n, u.outChannels(), u.outH(), u.outW(), layerConf().getEps(), relu, engine, stream);
    });
  }

  private void startEngine() {
    if (engine == null) {
      engine = new org.bytedeco.dnnl.engine(org.bytedeco.dnnl.engine.kind.cpu, 0);
      stream = new org.bytedeco.dnnl.stream(engine);
    }
  }

  private INDArray buffer(String name, long... shape) {
    INDArray b = buffers.get(name);
    if (!fits(b, shape)) {
      b = Nd4j.create(dataType, shape);
      buffers.put(name, b);
    }
    return b;
  }

  /** Whether a kept array can be reused for {@code shape} in this layer's data type. */
  private boolean fits(INDArray b, long[] shape) {
    return b != null && Arrays.equals(b.shape(), shape) && b.dataType() == dataType;
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

  /**
   * Rows per inference pass: a larger evaluation batch runs in chunks of this many rows through buffers of this size,
   * so the memory a branch keeps for inference stays near 60 MB at 3×64×32 whatever the caller's batch.
   */
  static final int INFERENCE_CHUNK = 64;

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
    assertInputSet(false);
    prepare();
    buffers = training ? trainingBuffers : inferenceBuffers;
    INDArray v;
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      long n = input.size(0);
      if (training || n <= INFERENCE_CHUNK) {
        v = forward(input, n, training);
      } else {
        // Inference normalises with running statistics, so rows are independent: stale rows past the end of the
        // last chunk do not affect the rows kept.
        v = Nd4j.create(dataType, n, plan.expand().outChannels());
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
    INDArray x = buffer("input", shape(n, plan.stem().inChannels(), plan.stem().inH(), plan.stem().inW()));
    long t0 = System.nanoTime();
    INDArray source = nhwc ? in.permute(0, 2, 3, 1) : in;
    if (in.size(0) == n) {
      x.assign(source);
    } else {
      x.get(NDArrayIndex.interval(0, in.size(0)), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
          .assign(source);
    }
    if (OpTimes.enabled()) {
      OpTimes.add("input_copy", System.nanoTime() - t0);
    }
    INDArray a = unit(plan.stem(), x, n, training, true);
    for (TrunkPlan.Block b : plan.blocks()) {
      INDArray h = unit(b.a(), a, n, training, true);
      INDArray y = unit(b.b(), h, n, training, false);
      INDArray s = b.down() == null ? a : unit(b.down(), a, n, training, false);
      INDArray out = buffer(b.b().name() + "_out", y.shape());
      OpTimes.exec("add", new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(y, s, out));
      OpTimes.exec("relu", new RectifiedLinear(out, out, 0.0));
      a = out;
    }
    INDArray e = unit(plan.expand(), a, n, training, true);
    long tp = System.nanoTime();
    INDArray v = e.mean(nhwc ? new int[] {1, 2} : new int[] {2, 3});
    if (OpTimes.enabled()) {
      OpTimes.add("pool", System.nanoTime() - tp);
    }
    return v;
  }

  /** conv → BN (batch statistics in training, running ones otherwise) → optional in-place ReLU; returns the output. */
  private INDArray unit(ConvUnit u, INDArray x, long n, boolean training, boolean relu) {
    long[] outShape = shape(n, u.outChannels(), u.outH(), u.outW());
    INDArray c = buffer(u.name() + "_c", outShape);
    if (direct && DnnlConv.supports(u)) {
      long t0 = System.nanoTime();
      conv(u, n).forward(x, getParam(u.name() + "W"), c);
      if (OpTimes.enabled()) {
        OpTimes.add("conv2d", System.nanoTime() - t0);
      }
    } else {
      OpTimes.exec("conv2d", DynamicCustomOp.builder("conv2d").addInputs(x, getParam(u.name() + "W")).addOutputs(c)
          .addIntegerArguments(ints(iArgs.get(u.name()))).build());
    }
    INDArray y = buffer(u.name() + "_y", outShape);
    boolean fusedRelu = false;
    if (direct && training) {
      long t0 = System.nanoTime();
      int ch = u.outChannels();
      INDArray mean = buffer(u.name() + "_bmean", 1, ch);
      INDArray var = buffer(u.name() + "_bvar", 1, ch);
      batchNorm(u, n, relu).forward(c, getParam(u.name() + "Gamma"), getParam(u.name() + "Beta"), y, mean, var);
      updateRunningStatistics(u, c.length() / ch, mean, var);
      fusedRelu = relu;
      if (OpTimes.enabled()) {
        OpTimes.add("bn_dnnl", System.nanoTime() - t0);
      }
    } else if (nhwc && training) {
      batchNormTrainingNhwc(u, c, y);
    } else if (nhwc) {
      // Inference: y = c·s + t with s = γ/√(running var + ε), t = β − running mean·s.
      int ch = u.outChannels();
      INDArray scale = org.nd4j.linalg.ops.transforms.Transforms.pow(getParam(u.name() + "Var").add(
          layerConf().getEps()), -0.5, false).muli(getParam(u.name() + "Gamma"));
      INDArray shift = getParam(u.name() + "Beta").sub(getParam(u.name() + "Mean").mul(scale));
      y.reshape(c.length() / ch, ch).assign(c.reshape(c.length() / ch, ch)).muliRowVector(scale.reshape(ch))
          .addiRowVector(shift.reshape(ch));
    } else {
      INDArray mean;
      INDArray var;
      if (training) {
        mean = buffer(u.name() + "_bmean", u.outChannels());
        var = buffer(u.name() + "_bvar", u.outChannels());
        OpTimes.exec("moments", DynamicCustomOp.builder("moments").addInputs(c).addOutputs(mean, var)
            .addIntegerArguments(reduceAxes()).addFloatingPointArguments(0.0).build());
        batchStats.put(u.name(), new INDArray[] {mean, var});
        updateRunningStatistics(u, c.length() / u.outChannels(), mean, var);
      } else {
        mean = getParam(u.name() + "Mean");
        var = getParam(u.name() + "Var");
      }
      OpTimes.exec("batchnorm", DynamicCustomOp.builder("batchnorm")
          .addInputs(c, mean, var, getParam(u.name() + "Gamma"), getParam(u.name() + "Beta")).addOutputs(y)
          .addIntegerArguments(1, 1, channelAxis()).addFloatingPointArguments(layerConf().getEps()).build());
    }
    if (relu && !fusedRelu) {
      OpTimes.exec("relu", new RectifiedLinear(y, y, 0.0));
    }
    return y;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    assertInputSet(true);
    prepare();
    buffers = trainingBuffers;
    Gradient g = new DefaultGradient(gradientsFlattened);
    INDArray dIn;
    try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      long n = input.size(0);
      ConvUnit ex = plan.expand();
      // Global average pooling: every position receives dv / (H·W).
      INDArray dE = buffer("d_expand", shape(n, ex.outChannels(), ex.outH(), ex.outW()));
      INDArray dv = epsilon.castTo(dataType).div(ex.outH() * ex.outW());
      OpTimes.exec("pool_bp", new BroadcastCopyOp(dE, dv, dE, 0, channelAxis()));
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
          OpTimes.exec("add", new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(dA, dSum, dX));
        } else {
          INDArray dS = unitBackward(b.down(), blockIn, dSum, false);
          OpTimes.exec("add", new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(dA, dS, dX));
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
   * convolution. Writes the parameter gradients into the gradient view (the running statistics' stay zero);
   * returns dL/dx.
   */
  private INDArray unitBackward(ConvUnit u, INDArray x, INDArray dOut, boolean relu) {
    INDArray y = buffers.get(u.name() + "_y");
    INDArray c = buffers.get(u.name() + "_c");
    INDArray dY = dOut;
    if (relu && !direct) {
      dY = buffer(u.name() + "_dy", y.shape());
      reluBackward(y, dOut, dY);
    }
    INDArray dC = buffer(u.name() + "_dc", c.shape());
    if (direct) {
      // the ReLU, if any, was fused into the forward pass: its mask is applied to dOut inside
      long t0 = System.nanoTime();
      batchNorm(u, c.size(0), relu).backward(c, getParam(u.name() + "Gamma"), getParam(u.name() + "Beta"),
          buffers.get(u.name() + "_bmean"), buffers.get(u.name() + "_bvar"), dY, dC,
          gradientViews.get(u.name() + "Gamma"), gradientViews.get(u.name() + "Beta"));
      if (OpTimes.enabled()) {
        OpTimes.add("bn_bp_dnnl", System.nanoTime() - t0);
      }
    } else if (nhwc) {
      batchNormBackwardNhwc(u, dY, dC);
    } else {
      INDArray[] stats = batchStats.get(u.name());
      INDArray dMean = buffer(u.name() + "_dmean", u.outChannels());
      INDArray dVar = buffer(u.name() + "_dvar", u.outChannels());
      OpTimes.exec("batchnorm_bp", DynamicCustomOp.builder("batchnorm_bp")
          .addInputs(c, stats[0], stats[1], getParam(u.name() + "Gamma"), getParam(u.name() + "Beta"), dY)
          .addOutputs(dC, dMean, dVar, gradientViews.get(u.name() + "Gamma"),
              gradientViews.get(u.name() + "Beta"))
          .addIntegerArguments(1, 1, channelAxis()).addFloatingPointArguments(layerConf().getEps()).build());
    }
    gradientViews.get(u.name() + "Mean").assign(0);
    gradientViews.get(u.name() + "Var").assign(0);
    INDArray dX = buffer(u.name() + "_dx", x.shape());
    if (direct && DnnlConv.supports(u)) {
      long t0 = System.nanoTime();
      conv(u, x.size(0)).backward(x, dC, dX, gradientViews.get(u.name() + "W"));
      if (OpTimes.enabled()) {
        OpTimes.add("conv2d_bp", System.nanoTime() - t0);
      }
    } else {
      OpTimes.exec("conv2d_bp", DynamicCustomOp.builder("conv2d_bp").addInputs(x, getParam(u.name() + "W"), dC)
          .addOutputs(dX, gradientViews.get(u.name() + "W")).addIntegerArguments(ints(iArgs.get(u.name()))).build());
    }
    return dX;
  }

  /**
   * Training-mode batch normalisation in NHWC, where the channel is the last axis: viewed as an M×C matrix (M = N·H·W)
   * every per-channel operation is a row-vector broadcast and every per-channel sum a product with a row of ones
   * (one BLAS call reading the matrix once; libnd4j's column reductions over a row-major matrix are 2-4x slower).
   * Three passes over the M×C data: x_c = c − μ, x_c² (for σ², two-pass so no cancellation), y = x_c·γ/σ + β. The
   * per-channel arithmetic runs in place on kept 1×C buffers: an array allocated outside a workspace costs 65–180 µs,
   * more than the arithmetic. Keeps x_c and 1/σ for the backward pass.
   */
  private void batchNormTrainingNhwc(ConvUnit u, INDArray c, INDArray y) {
    long t0 = System.nanoTime();
    int ch = u.outChannels();
    long m = c.length() / ch;
    INDArray c2 = c.reshape(m, ch);
    INDArray ones = constant("ones_" + m, 1.0, 1, m);
    INDArray mean = buffer(u.name() + "_bmean", 1, ch);
    Nd4j.gemm(ones, c2, mean, false, false, 1.0 / m, 0.0);
    INDArray xc = buffer(u.name() + "_xhat", m, ch);
    Nd4j.exec(new BroadcastSubOp(c2, mean.reshape(ch), xc, 1));
    INDArray tmp = buffer(u.name() + "_bntmp", m, ch);
    Nd4j.exec(new MulOp(xc, xc, tmp));
    INDArray var = buffer(u.name() + "_bvar", 1, ch);
    Nd4j.gemm(ones, tmp, var, false, false, 1.0 / m, 0.0);
    updateRunningStatistics(u, m, mean, var);
    INDArray invStd = buffer(u.name() + "_inv", 1, ch);
    var.add(layerConf().getEps(), invStd);
    org.nd4j.linalg.ops.transforms.Transforms.pow(invStd, -0.5, false);
    INDArray scale = buffer(u.name() + "_scale", 1, ch);
    Nd4j.exec(new MulOp(getParam(u.name() + "Gamma").reshape(1, ch), invStd, scale));
    affine(xc, scale, getParam(u.name() + "Beta").reshape(1, ch), y.reshape(m, ch));
    if (OpTimes.enabled()) {
      OpTimes.add("bn_nhwc", System.nanoTime() - t0);
    }
  }

  /**
   * With x_c = c − μ, a = γ/σ: dβ = Σ dy, dγ = Σ dy·x_c / σ, and dc = a·dy − a/M · (dβ + x_c·dγ/σ), sums over the M
   * rows; writes dγ and dβ into the gradient view. Four passes over the M×C data, per-channel arithmetic in place.
   */
  private void batchNormBackwardNhwc(ConvUnit u, INDArray dY, INDArray dC) {
    long t0 = System.nanoTime();
    int ch = u.outChannels();
    long m = dY.length() / ch;
    INDArray dy2 = dY.reshape(m, ch);
    INDArray xc = buffers.get(u.name() + "_xhat");
    INDArray invStd = buffers.get(u.name() + "_inv");
    INDArray a = buffers.get(u.name() + "_scale"); // γ/σ of the forward pass
    INDArray ones = constant("ones_" + m, 1.0, 1, m);
    INDArray dBeta = buffer(u.name() + "_dbeta", 1, ch);
    Nd4j.gemm(ones, dy2, dBeta, false, false, 1.0, 0.0);
    INDArray tmp = buffer(u.name() + "_bntmp", m, ch);
    Nd4j.exec(new MulOp(dy2, xc, tmp));
    INDArray dGamma = buffer(u.name() + "_dgamma", 1, ch);
    Nd4j.gemm(ones, tmp, dGamma, false, false, 1.0, 0.0);
    dGamma.muli(invStd);
    gradientViews.get(u.name() + "Beta").assign(dBeta.reshape(ch));
    gradientViews.get(u.name() + "Gamma").assign(dGamma.reshape(ch));
    // dc = a·dy + b + x_c·d with b = −a·dβ/M and d = −a·dγ/(σ·M)
    INDArray b = buffer(u.name() + "_bpb", 1, ch);
    Nd4j.exec(new MulOp(a, dBeta, b));
    b.muli(-1.0 / m);
    INDArray d = buffer(u.name() + "_bpd", 1, ch);
    Nd4j.exec(new MulOp(a, dGamma, d));
    d.muli(invStd).muli(-1.0 / m);
    Nd4j.exec(new BroadcastMulOp(xc, d.reshape(ch), tmp, 1));
    INDArray dc2 = dC.reshape(m, ch);
    affine(dy2, a, b, dc2);
    Nd4j.exec(new AddOp(dc2, tmp, dc2));
    if (OpTimes.enabled()) {
      OpTimes.add("bn_bp_nhwc", System.nanoTime() - t0);
    }
  }

  /**
   * out = x·scale + shift per column of the M×C matrix x (scale, shift: 1×C), in one pass: libnd4j's batchnorm op
   * with mean 0, variance 1 and ε = 0 computes exactly that. Run on the 1×1×M×C view with the channel last: libnd4j
   * hands 4-d float batch norm to oneDNN (0.25 ms for 16384×32 on one core, against 2.5–2.9 ms for the same op on
   * the 2-d view, and 0.3 ms for a broadcast multiply plus a broadcast add).
   */
  private void affine(INDArray x, INDArray scale, INDArray shift, INDArray out) {
    int ch = (int) x.size(1);
    long m = x.size(0);
    Nd4j.exec(DynamicCustomOp.builder("batchnorm")
        .addInputs(x.reshape(1, 1, m, ch), constant("zeros_" + ch, 0.0, ch), constant("ones_" + ch, 1.0, ch),
            scale.reshape(ch), shift.reshape(ch))
        .addOutputs(out.reshape(1, 1, m, ch)).addIntegerArguments(1, 1, 3).addFloatingPointArguments(0.0).build());
  }

  /** A kept array filled with {@code value} when it is (re)allocated. */
  private INDArray constant(String name, double value, long... shape) {
    INDArray b = buffers.get(name);
    if (!fits(b, shape)) {
      b = Nd4j.valueArrayOf(shape, value, dataType);
      buffers.put(name, b);
    }
    return b;
  }

  /**
   * running = decay·running + (1−decay)·batch (unbiased variance), in place during the training forward pass; the
   * statistics' gradient stays zero and their updater is a no-op. A non-finite batch statistic leaves them as they
   * were, so a step the trainer skips for a non-finite value does not poison them. {@code mean} and {@code var} are
   * arrays of their own (C values), read here without an allocation.
   */
  private void updateRunningStatistics(ConvUnit u, long m, INDArray mean, INDArray var) {
    long t0 = System.nanoTime();
    org.nd4j.linalg.api.buffer.DataBuffer mb = mean.data();
    org.nd4j.linalg.api.buffer.DataBuffer vb = var.data();
    for (long i = 0; i < mean.length(); i++) {
      if (!Double.isFinite(mb.getDouble(i)) || !Double.isFinite(vb.getDouble(i))) {
        return;
      }
    }
    double decay = layerConf().getDecay();
    int ch = (int) mean.length();
    INDArray runMean = getParam(u.name() + "Mean");
    INDArray runVar = getParam(u.name() + "Var");
    runMean.muli(decay);
    runVar.muli(decay);
    Nd4j.getBlasWrapper().level1().axpy(ch, 1 - decay, mean.reshape(ch), runMean);
    Nd4j.getBlasWrapper().level1().axpy(ch, (1 - decay) * m / (double) Math.max(1, m - 1), var.reshape(ch), runVar);
    if (OpTimes.enabled()) {
      OpTimes.add("running_stats", System.nanoTime() - t0);
    }
  }

  /**
   * dIn = dOut where out &gt; 0, else 0: a step mask times dOut, two plain element-wise passes (0.14–0.25 ms for
   * 16384×32 on one core, against 0.4–0.5 ms for libnd4j's relu_bp op).
   */
  private static void reluBackward(INDArray out, INDArray dOut, INDArray dIn) {
    long t0 = System.nanoTime();
    Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.Step(out, dIn));
    Nd4j.exec(new MulOp(dIn, dOut, dIn));
    if (OpTimes.enabled()) {
      OpTimes.add("relu_bp", System.nanoTime() - t0);
    }
  }

  private static int[] ints(long[] a) {
    int[] r = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = (int) a[i];
    }
    return r;
  }
}
