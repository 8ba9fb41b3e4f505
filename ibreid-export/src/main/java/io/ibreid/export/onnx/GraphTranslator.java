package io.ibreid.export.onnx;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.InputTransform;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.encoders.fast.ConvUnit;
import io.ibreid.encoders.fast.PoolUnit;
import io.ibreid.encoders.fast.TrunkLayer;
import io.ibreid.encoders.fast.TrunkPlan;
import io.ibreid.export.onnx.OnnxGraph.Attribute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Translates the inference path of a {@link ReidModel}'s graph, from a branch's image input to one of its outputs,
 * into ONNX nodes, vertex by vertex: {@code fast-resnet}'s and torchvision's fused trunk ({@link TrunkLayer}) step by
 * step from its {@link TrunkPlan} (units as convolutions with the batch normalisation folded in, max poolings,
 * residual blocks, global average pooling); DL4J's convolution, batch normalisation (folded into a scale and a
 * shift, in double precision), dense, activation, global pooling layers and element-wise sums (the {@code
 * small-resnet} encoder, BN-necks, the {@code mlp} bottleneck). Anything else is refused with one line naming the
 * vertex and its type. Batch normalisation uses the running statistics, as inference does.
 */
final class GraphTranslator {
  private final ReidModel model;
  private final ComputationGraph graph;
  private final ComputationGraphConfiguration conf;
  private final OnnxGraph onnx;
  private final String image;
  /** Tensor of each (input transform, vertex) already translated. */
  private final Map<String, String> done = new HashMap<>();

  GraphTranslator(ReidModel model, OnnxGraph onnx, String imageTensor) {
    this.model = model;
    this.graph = model.graph();
    this.conf = graph.getConfiguration();
    this.onnx = onnx;
    this.image = imageTensor;
  }

  /** The tensor of {@code role}'s {@code output} (e.g. {@code z}) for images fed through {@code transform}. */
  String output(BranchRole role, String output, InputTransform transform) {
    String tap = role.prefix() + "out_" + output;
    if (!conf.getVertices().containsKey(tap)) {
      throw new IbreidException("the model has no output " + role.label() + "." + output);
    }
    return vertex(tap, role, transform);
  }

  private String vertex(String name, BranchRole role, InputTransform transform) {
    String key = transform.label() + "/" + name;
    String known = done.get(key);
    if (known != null) {
      return known;
    }
    String out;
    if (conf.getNetworkInputs().contains(name)) {
      if (!name.equals(role.prefix() + "image")) {
        throw new IbreidException("cannot export " + role.label() + ": its inference reads graph input " + name
            + " (a bottleneck's noise input; only deterministic bottlenecks are exported)");
      }
      out = transformed(transform);
    } else {
      GraphVertex v = conf.getVertices().get(name);
      List<String> ins = new ArrayList<>();
      for (String in : conf.getVertexInputs().get(name)) {
        ins.add(vertex(in, role, transform));
      }
      out = translate(key, name, v, ins);
    }
    done.put(key, out);
    return out;
  }

  private String transformed(InputTransform transform) {
    if (transform == InputTransform.RAW) {
      return image;
    }
    String name = "gray/image";
    if (onnx.has(name)) {
      return name;
    }
    float[] w = new float[9];
    for (int o = 0; o < 3; o++) {
      for (int i = 0; i < 3; i++) {
        w[o * 3 + i] = (float) InputTransform.GRAY_WEIGHTS[i];
      }
    }
    String weights = onnx.constant("gray/W", w, 3, 3, 1, 1);
    return onnx.node("Conv", name, List.of(image, weights), Attribute.of("kernel_shape", 1L, 1L));
  }

  private String translate(String key, String name, GraphVertex v, List<String> ins) {
    if (v instanceof ElementWiseVertex e) {
      if (e.getOp() != ElementWiseVertex.Op.Add) {
        throw unsupported(name, "element-wise " + e.getOp());
      }
      String acc = ins.get(0);
      for (int i = 1; i < ins.size(); i++) {
        acc = onnx.node("Add", i == ins.size() - 1 ? key : key + "/sum" + i, List.of(acc, ins.get(i)));
      }
      return acc;
    }
    if (!(v instanceof LayerVertex lv)) {
      throw unsupported(name, v.getClass().getSimpleName());
    }
    if (lv.getPreProcessor() != null) {
      throw unsupported(name, "input pre-processor " + lv.getPreProcessor().getClass().getSimpleName());
    }
    if (ins.size() != 1) {
      throw unsupported(name, "layer with " + ins.size() + " inputs");
    }
    Layer layer = lv.getLayerConf().getLayer();
    String x = ins.get(0);
    org.deeplearning4j.nn.api.Layer runtime = graph.getLayer(name);
    if (layer instanceof TrunkLayer t) {
      return trunk(key, t, runtime, x);
    }
    if (layer instanceof BatchNormalization bn) {
      return batchNorm(key, name, bn, runtime, x);
    }
    if (layer instanceof DenseLayer d) {
      return dense(key, d, runtime, x);
    }
    if (layer instanceof ActivationLayer a) {
      return activation(key, name, a.getActivationFn(), x);
    }
    if (layer instanceof ConvolutionLayer c && c.getClass() == ConvolutionLayer.class) {
      return convolution(key, name, c, runtime, x);
    }
    if (layer instanceof GlobalPoolingLayer g) {
      if (g.getPoolingType() != PoolingType.AVG && g.getPoolingType() != PoolingType.MAX) {
        throw unsupported(name, "global " + g.getPoolingType() + " pooling");
      }
      String pooled = onnx.node(g.getPoolingType() == PoolingType.AVG ? "GlobalAveragePool" : "GlobalMaxPool",
          key + "/pool", List.of(x));
      return onnx.node("Flatten", key, List.of(pooled), Attribute.of("axis", 1L));
    }
    throw unsupported(name, layer.getClass().getSimpleName());
  }

  private static IbreidException unsupported(String vertex, String what) {
    return new IbreidException("cannot export vertex " + vertex + ": " + what + " has no ONNX translation here");
  }

  private String activation(String key, String name, IActivation fn, String x) {
    if (fn == null || fn instanceof ActivationIdentity) {
      return onnx.node("Identity", key, List.of(x));
    }
    if (fn instanceof ActivationReLU) {
      return onnx.node("Relu", key, List.of(x));
    }
    throw unsupported(name, "activation " + fn);
  }

  private String dense(String key, DenseLayer d, org.deeplearning4j.nn.api.Layer runtime, String x) {
    INDArray w = runtime.getParam("W");
    List<String> in = new ArrayList<>(List.of(x, onnx.constant(key + "/W", floats(w), w.size(0), w.size(1))));
    if (d.hasBias()) {
      INDArray b = runtime.getParam("b");
      in.add(onnx.constant(key + "/b", floats(b), b.length()));
    }
    IActivation fn = d.getActivationFn();
    boolean identity = fn == null || fn instanceof ActivationIdentity;
    String y = onnx.node("Gemm", identity ? key : key + "/linear", in);
    return identity ? y : activation(key, key, fn, y);
  }

  /** Inference batch normalisation as {@code x·scale + shift} per channel (axis 1 of N×C or N×C×H×W). */
  private String batchNorm(String key, String name, BatchNormalization bn, org.deeplearning4j.nn.api.Layer runtime,
      String x) {
    double[] mean = doubles(runtime.getParam("mean"));
    int c = mean.length;
    double[] var;
    if (bn.isUseLogStd()) {
      double[] log10std = doubles(runtime.getParam("log10stdev"));
      var = new double[c];
      for (int i = 0; i < c; i++) {
        double std = Math.pow(10, log10std[i]);
        var[i] = std * std;
      }
    } else {
      var = doubles(runtime.getParam("var"));
    }
    double[] gamma = new double[c];
    double[] beta = new double[c];
    if (bn.isLockGammaBeta()) {
      java.util.Arrays.fill(gamma, bn.getGamma());
      java.util.Arrays.fill(beta, bn.getBeta());
    } else {
      gamma = doubles(runtime.getParam("gamma"));
      beta = doubles(runtime.getParam("beta"));
    }
    float[] scale = new float[c];
    float[] shift = new float[c];
    for (int i = 0; i < c; i++) {
      double s = gamma[i] / Math.sqrt(var[i] + bn.getEps());
      scale[i] = (float) s;
      shift[i] = (float) (beta[i] - mean[i] * s);
    }
    boolean spatial = convolutionalInput(name);
    long[] dims = spatial ? new long[] {c, 1, 1} : new long[] {c};
    String scaled = onnx.node("Mul", key + "/scale", List.of(x, onnx.constant(key + "/s", scale, dims)));
    return onnx.node("Add", key, List.of(scaled, onnx.constant(key + "/t", shift, dims)));
  }

  private String convolution(String key, String name, ConvolutionLayer c, org.deeplearning4j.nn.api.Layer runtime,
      String x) {
    if (c.getCnn2dDataFormat() != null && c.getCnn2dDataFormat() != org.deeplearning4j.nn.conf.CNN2DFormat.NCHW) {
      throw unsupported(name, "convolution in " + c.getCnn2dDataFormat());
    }
    INDArray w = runtime.getParam("W");
    int kh = c.getKernelSize()[0];
    int kw = c.getKernelSize()[1];
    int sh = c.getStride()[0];
    int sw = c.getStride()[1];
    long[] pads;
    if (c.getConvolutionMode() == ConvolutionMode.Same) {
      long[] hw = spatialSize(name);
      pads = samePads(hw[0], hw[1], kh, kw, sh, sw);
    } else if (c.getConvolutionMode() == ConvolutionMode.Truncate || c.getConvolutionMode() == ConvolutionMode.Strict) {
      int[] p = c.getPadding();
      pads = new long[] {p[0], p[1], p[0], p[1]};
    } else {
      throw unsupported(name, "convolution mode " + c.getConvolutionMode());
    }
    List<String> in = new ArrayList<>(List.of(x, onnx.constant(key + "/W", floats(w), w.shape())));
    if (c.hasBias()) {
      INDArray b = runtime.getParam("b");
      in.add(onnx.constant(key + "/b", floats(b), b.length()));
    }
    String y = onnx.node("Conv", key, in, Attribute.of("kernel_shape", kh, kw), Attribute.of("strides", sh, sw),
        Attribute.of("pads", pads), Attribute.of("dilations", (long) c.getDilation()[0], c.getDilation()[1]));
    IActivation fn = c.getActivationFn();
    return fn == null || fn instanceof ActivationIdentity ? y : activation(key + "/act", name, fn, y);
  }

  /** Height and width of a convolution vertex's input, from the graph's activation types. */
  private long[] spatialSize(String vertex) {
    var t = (org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional) typeOfInput(vertex);
    return new long[] {t.getHeight(), t.getWidth()};
  }

  private boolean convolutionalInput(String vertex) {
    return typeOfInput(vertex) instanceof org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional;
  }

  private Map<String, org.deeplearning4j.nn.conf.inputs.InputType> types;

  private org.deeplearning4j.nn.conf.inputs.InputType typeOfInput(String vertex) {
    if (types == null) {
      types = conf.getLayerActivationTypes(inputTypes());
    }
    String in = conf.getVertexInputs().get(vertex).get(0);
    return types.containsKey(in) ? types.get(in) : inputTypeOf(in);
  }

  private org.deeplearning4j.nn.conf.inputs.InputType[] inputTypes() {
    List<org.deeplearning4j.nn.conf.inputs.InputType> types = new ArrayList<>();
    for (String in : conf.getNetworkInputs()) {
      types.add(inputTypeOf(in));
    }
    return types.toArray(org.deeplearning4j.nn.conf.inputs.InputType[]::new);
  }

  private org.deeplearning4j.nn.conf.inputs.InputType inputTypeOf(String input) {
    for (io.ibreid.core.branch.Branch b : model.branches()) {
      if (input.equals(b.role().prefix() + "image")) {
        var s = model.imageShape();
        return org.deeplearning4j.nn.conf.inputs.InputType.convolutional(s.height(), s.width(), s.channels());
      }
      for (io.ibreid.core.bottleneck.Bottleneck.NoiseInput n : b.bottleneck().noise()) {
        if (input.equals(b.role().prefix() + n.name())) {
          return org.deeplearning4j.nn.conf.inputs.InputType.feedForward(n.size());
        }
      }
    }
    throw new IllegalStateException("graph input " + input + " belongs to no branch");
  }

  /** libnd4j's SAME padding: out = ⌈in/stride⌉, the smaller half of the total padding before. */
  static long[] samePads(long h, long w, int kh, int kw, int sh, int sw) {
    long th = Math.max((((h + sh - 1) / sh) - 1) * sh + kh - h, 0);
    long tw = Math.max((((w + sw - 1) / sw) - 1) * sw + kw - w, 0);
    return new long[] {th / 2, tw / 2, th - th / 2, tw - tw / 2};
  }

  // ---- the fused trunk, step by step from its plan ----

  private String trunk(String key, TrunkLayer t, org.deeplearning4j.nn.api.Layer runtime, String x) {
    TrunkPlan plan = t.plan();
    String a = x;
    for (TrunkPlan.Step s : plan.steps()) {
      if (s instanceof TrunkPlan.Conv c) {
        a = unit(key, t, runtime, c.unit(), c.relu(), a);
      } else if (s instanceof TrunkPlan.MaxPool m) {
        PoolUnit p = m.pool();
        a = onnx.node("MaxPool", key + "/" + p.name(), List.of(a),
            Attribute.of("kernel_shape", p.kernel(), p.kernel()), Attribute.of("strides", p.stride(), p.stride()),
            Attribute.of("pads", p.pad(), p.pad(), p.pad(), p.pad()));
      } else {
        TrunkPlan.Residual r = (TrunkPlan.Residual) s;
        String in = a;
        String y = in;
        for (int i = 0; i < r.path().size(); i++) {
          y = unit(key, t, runtime, r.path().get(i), i < r.path().size() - 1, y);
        }
        String shortcut = r.shortcut() == null ? in : unit(key, t, runtime, r.shortcut(), false, in);
        String blockName = r.path().get(0).name();
        String sum = onnx.node("Add", key + "/" + blockName + "/sum", List.of(y, shortcut));
        a = onnx.node("Relu", key + "/" + blockName + "/out", List.of(sum));
      }
    }
    String pooled = onnx.node("GlobalAveragePool", key + "/pool", List.of(a));
    return onnx.node("Flatten", key, List.of(pooled), Attribute.of("axis", 1L));
  }

  /** A unit: its convolution with the batch normalisation folded into kernel and bias (in double), then ReLU. */
  private String unit(String key, TrunkLayer t, org.deeplearning4j.nn.api.Layer runtime, ConvUnit u, boolean relu,
      String x) {
    int o = u.outChannels();
    int in = u.inChannels();
    int k = u.kernel();
    double[] kernel = doubles(runtime.getParam(u.name() + "W"));
    double[] gamma = doubles(runtime.getParam(u.name() + "Gamma"));
    double[] beta = doubles(runtime.getParam(u.name() + "Beta"));
    double[] mean = doubles(runtime.getParam(u.name() + "Mean"));
    double[] var = doubles(runtime.getParam(u.name() + "Var"));
    float[] w = new float[o * in * k * k];
    float[] b = new float[o];
    double[] scale = new double[o];
    for (int c = 0; c < o; c++) {
      scale[c] = gamma[c] / Math.sqrt(var[c] + t.getEps());
      b[c] = (float) (beta[c] - mean[c] * scale[c]);
    }
    String format = t.getWeightsFormat();
    for (int oc = 0; oc < o; oc++) {
      for (int ic = 0; ic < in; ic++) {
        for (int y = 0; y < k; y++) {
          for (int xx = 0; xx < k; xx++) {
            int from = switch (format) {
              case "OIYX" -> ((oc * in + ic) * k + y) * k + xx;
              case "YXIO" -> ((y * k + xx) * in + ic) * o + oc;
              case "OYXI" -> ((oc * k + y) * k + xx) * in + ic;
              default -> throw new IbreidException("trunk weights format " + format + " is not known to the export");
            };
            w[((oc * in + ic) * k + y) * k + xx] = (float) (kernel[from] * scale[oc]);
          }
        }
      }
    }
    long[] pads = u.same() ? samePads(u.inH(), u.inW(), k, k, u.stride(), u.stride())
        : new long[] {u.pad(), u.pad(), u.pad(), u.pad()};
    String name = key + "/" + u.name();
    String y = onnx.node("Conv", relu ? name + "/conv" : name, List.of(x, onnx.constant(name + "/W", w, o, in, k, k),
        onnx.constant(name + "/b", b, o)), Attribute.of("kernel_shape", k, k),
        Attribute.of("strides", u.stride(), u.stride()), Attribute.of("pads", pads));
    return relu ? onnx.node("Relu", name, List.of(y)) : y;
  }

  private static float[] floats(INDArray a) {
    return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
  }

  private static double[] doubles(INDArray a) {
    return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }
}
