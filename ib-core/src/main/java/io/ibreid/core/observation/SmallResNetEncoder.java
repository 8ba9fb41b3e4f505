package io.ibreid.core.observation;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;

/**
 * A residual CNN sized for CPUs: a strided 3×3 stem, {@code stages.length} stages of basic residual blocks (the
 * first at stride 1, each later one halving the resolution and doubling the width), a 1×1 expansion to
 * {@code observationSize} channels, BN + ReLU, global average pooling and an optional BN-neck.
 */
public final class SmallResNetEncoder implements Encoder {
  /** Parameters of {@code small-resnet}. */
  public static final class Params {
    /** Channels of the stem and the first stage; stage i has {@code width << i}. */
    public int width = 32;
    /** Basic residual blocks per stage. */
    public int[] stages = {1, 1, 1};
    /** D: channels of the final 1×1 expansion, i.e. the size of {@code v}. */
    public int observationSize = 512;
    /** Stride of the stem convolution. */
    public int stemStride = 2;
    /** Batch-normalise the pooled feature (BN-neck). */
    public boolean bnNeck = false;
  }

  private final Params p;

  public SmallResNetEncoder(Params p) {
    if (p.width <= 0 || p.observationSize <= 0 || p.stages == null || p.stages.length == 0 || p.stemStride <= 0) {
      throw new io.ibreid.core.ConfigException("small-resnet: width, observationSize, stemStride must be > 0 "
          + "and stages non-empty");
    }
    for (int s : p.stages) {
      if (s <= 0) {
        throw new io.ibreid.core.ConfigException("small-resnet: every entry of stages must be > 0");
      }
    }
    this.p = p;
  }

  @Override
  public String addTo(GraphBuilder g, String input, String prefix, ImageShape shape) {
    String x = Layers.convBnRelu(g, prefix + "stem", input, 3, p.stemStride, p.width);
    int channels = p.width;
    for (int stage = 0; stage < p.stages.length; stage++) {
      int out = p.width << stage;
      for (int block = 0; block < p.stages[stage]; block++) {
        int stride = (stage > 0 && block == 0) ? 2 : 1;
        x = basicBlock(g, prefix + "s" + (stage + 1) + "b" + (block + 1), x, channels, out, stride);
        channels = out;
      }
    }
    x = Layers.convBnRelu(g, prefix + "expand", x, 1, 1, p.observationSize);
    String v = Layers.globalAveragePool(g, prefix + "gap", x);
    if (p.bnNeck) {
      v = Layers.batchNorm(g, prefix + "bnneck", v);
    }
    return v;
  }

  private static String basicBlock(GraphBuilder g, String name, String in, int inCh, int outCh, int stride) {
    String a = Layers.convBnRelu(g, name + "_a", in, 3, stride, outCh);
    String b = Layers.batchNorm(g, name + "_b_bn", Layers.conv(g, name + "_b_conv", a, 3, 1, outCh, false));
    String shortcut = in;
    if (stride != 1 || inCh != outCh) {
      shortcut = Layers.batchNorm(g, name + "_down_bn", Layers.conv(g, name + "_down", in, 1, stride, outCh, false));
    }
    g.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), b, shortcut);
    return Layers.relu(g, name + "_out", name + "_add");
  }

  @Override
  public int observationSize() {
    return p.observationSize;
  }

  /** The {@code small-resnet} plug-in. */
  public static final class Factory implements EncoderFactory<Params> {
    @Override
    public String name() {
      return "small-resnet";
    }

    @Override
    public String description() {
      return "residual CNN sized for CPU (width, stages, observationSize D)";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public Encoder create(Params params) {
      return new SmallResNetEncoder(params);
    }
  }
}
