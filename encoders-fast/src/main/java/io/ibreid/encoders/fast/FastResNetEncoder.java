package io.ibreid.encoders.fast;

import io.ibreid.core.ConfigException;
import io.ibreid.core.observation.Encoder;
import io.ibreid.core.observation.EncoderFactory;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.observation.Layers;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;

/**
 * The {@code fast-resnet} encoder: the same residual architecture as ib-core's {@code small-resnet} (strided 3×3
 * stem, stages of basic blocks, 1×1 expansion to D, BN + ReLU, global average pooling, optional BN-neck), built as
 * one {@link TrunkLayer} vertex instead of ~30 DL4J layers. Its steps run on the {@link TrunkKernels} chosen once
 * when the trunk is built: oneDNN's kept primitives where its binding is loaded (float, CPU), else libnd4j's ops.
 */
public final class FastResNetEncoder implements Encoder {
  /** Parameters of {@code fast-resnet}. */
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
    /** Layout the convolutions run in: NHWC or NCHW. */
    public String dataFormat = "NHWC";
    /** Layout of the kernels: OIYX, YXIO or OYXI. */
    public String weightsFormat = "YXIO";
  }

  private final Params p;

  public FastResNetEncoder(Params p) {
    if (p.width <= 0 || p.observationSize <= 0 || p.stages == null || p.stages.length == 0 || p.stemStride <= 0) {
      throw new ConfigException("fast-resnet: width, observationSize, stemStride must be > 0 and stages non-empty");
    }
    for (int s : p.stages) {
      if (s <= 0) {
        throw new ConfigException("fast-resnet: every entry of stages must be > 0, got " + java.util.Arrays.toString(
            p.stages));
      }
    }
    if (!"NHWC".equals(p.dataFormat) && !"NCHW".equals(p.dataFormat)) {
      throw new ConfigException("fast-resnet: dataFormat must be NHWC or NCHW, got " + p.dataFormat);
    }
    if (!java.util.List.of("OIYX", "YXIO", "OYXI").contains(p.weightsFormat)) {
      throw new ConfigException("fast-resnet: weightsFormat must be OIYX, YXIO or OYXI, got " + p.weightsFormat);
    }
    this.p = p;
  }

  @Override
  public String addTo(GraphBuilder g, String input, String prefix, ImageShape shape) {
    String trunk = prefix + "trunk";
    g.addLayer(trunk, new TrunkLayer.Builder().baseWidth(p.width).stages(p.stages).observationSize(p.observationSize)
        .stemStride(p.stemStride).dataFormat(p.dataFormat).weightsFormat(p.weightsFormat).build(), input);
    return p.bnNeck ? Layers.batchNorm(g, prefix + "bnneck", trunk) : trunk;
  }

  @Override
  public int observationSize() {
    return p.observationSize;
  }

  /** The {@code fast-resnet} plug-in. */
  public static final class Factory implements EncoderFactory<Params> {
    @Override
    public String name() {
      return "fast-resnet";
    }

    @Override
    public String description() {
      return "small-resnet as one fused layer (oneDNN kernels where loaded, else libnd4j ops)";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public Encoder create(Params params) {
      return new FastResNetEncoder(params);
    }
  }
}
