package io.ibreid.core.observation;

import io.ibreid.core.ConfigException;
import io.ibreid.core.IbreidException;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.model.ResNet50;

/**
 * ResNet-50 for Re-ID: the standard bottleneck stages (3, 4, 6, 3 blocks), the last stage at stride
 * {@code lastStride} (1 by default, as in Re-ID practice, doubling the final feature map), global average pooling
 * to a 2048-d observation and an optional BN-neck. Layer names follow the DL4J zoo model, so its ImageNet weights
 * (or any ComputationGraph zip using those names) load by name.
 */
public final class ResNet50Encoder implements Encoder {
  /** Parameters of {@code resnet50}. */
  public static final class Params {
    /** Stride of stage 5 (1 or 2). */
    public int lastStride = 1;
    /** Batch-normalise the pooled feature (BN-neck). */
    public boolean bnNeck = true;
    /** {@code none}, {@code imagenet} (DL4J zoo download) or {@code file} (see {@link #weights}). */
    public String pretrained = "none";
    /** A ComputationGraph zip (ModelSerializer) whose layers are named like the zoo ResNet-50. */
    public String weights;
  }

  private static final int[][] STAGES = {
      // blocks, bottleneck width, output width
      {3, 64, 256}, {4, 128, 512}, {6, 256, 1024}, {3, 512, 2048}};

  private final Params p;

  public ResNet50Encoder(Params p) {
    if (p.lastStride != 1 && p.lastStride != 2) {
      throw new ConfigException("resnet50: lastStride must be 1 or 2, got " + p.lastStride);
    }
    switch (p.pretrained == null ? "" : p.pretrained) {
      case "none", "imagenet" -> { }
      case "file" -> {
        if (p.weights == null || p.weights.isBlank()) {
          throw new ConfigException("resnet50: pretrained is [file] but params.weights names no file");
        }
      }
      default -> throw new ConfigException(
          "resnet50: pretrained must be one of [none, imagenet, file], got [" + p.pretrained + "]");
    }
    this.p = p;
  }

  @Override
  public String addTo(GraphBuilder g, String input, String prefix, ImageShape shape) {
    g.addLayer(prefix + "stem-zero", new ZeroPaddingLayer.Builder(3, 3).build(), input);
    // The input is already zero-padded by 3, so this convolution must not pad again.
    String x = Layers.conv(g, prefix + "stem-cnn1", prefix + "stem-zero", 7, 2, 64, true,
        org.deeplearning4j.nn.conf.ConvolutionMode.Truncate);
    x = Layers.relu(g, prefix + "stem-act1", Layers.batchNorm(g, prefix + "stem-batch1", x));
    g.addLayer(prefix + "stem-maxpool1", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
        .kernelSize(3, 3).stride(2, 2).convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same).build(), x);
    x = prefix + "stem-maxpool1";
    for (int s = 0; s < STAGES.length; s++) {
      String stage = String.valueOf(s + 2);
      int stride = s == 0 ? 1 : (s == 3 ? p.lastStride : 2);
      for (int b = 0; b < STAGES[s][0]; b++) {
        String block = String.valueOf((char) ('a' + b));
        x = bottleneck(g, prefix, stage, block, x, STAGES[s][1], STAGES[s][2], b == 0 ? stride : 1, b == 0);
      }
    }
    String v = Layers.globalAveragePool(g, prefix + "gap", x);
    if (p.bnNeck) {
      v = Layers.batchNorm(g, prefix + "bnneck", v);
    }
    return v;
  }

  private static String bottleneck(GraphBuilder g, String prefix, String stage, String block, String in, int mid,
      int out, int stride, boolean project) {
    String conv = prefix + "res" + stage + block + "_branch";
    String bn = prefix + "bn" + stage + block + "_branch";
    String act = prefix + "act" + stage + block + "_branch";
    String a = Layers.relu(g, act + "2a", Layers.batchNorm(g, bn + "2a", Layers.conv(g, conv + "2a", in, 1, stride,
        mid, true)));
    String b = Layers.relu(g, act + "2b", Layers.batchNorm(g, bn + "2b", Layers.conv(g, conv + "2b", a, 3, 1, mid,
        true)));
    String c = Layers.batchNorm(g, bn + "2c", Layers.conv(g, conv + "2c", b, 1, 1, out, true));
    String shortcut = in;
    if (project) {
      shortcut = Layers.batchNorm(g, bn + "1", Layers.conv(g, conv + "1", in, 1, stride, out, true));
    }
    String add = prefix + "short" + stage + block + "_branch";
    g.addVertex(add, new ElementWiseVertex(ElementWiseVertex.Op.Add), c, shortcut);
    return Layers.relu(g, conv, add);
  }

  @Override
  public int observationSize() {
    return 2048;
  }

  @Override
  public void initialise(ComputationGraph graph, String prefix) {
    switch (p.pretrained) {
      case "file" -> {
        Path file = Path.of(p.weights);
        if (!Files.isRegularFile(file)) {
          throw new IbreidException("resnet50 weights file " + file + " does not exist (expected a DL4J "
              + "ComputationGraph zip with zoo ResNet-50 layer names)");
        }
        ComputationGraph source;
        try {
          source = ModelSerializer.restoreComputationGraph(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
          throw new IbreidException("resnet50 weights file " + file + " is not a DL4J ComputationGraph zip: "
              + e.getMessage());
        }
        PretrainedWeights.copyByName(source, graph, prefix, file.toString());
      }
      case "imagenet" -> PretrainedWeights.copyByName(downloadImagenet(), graph, prefix, "DL4J zoo ResNet-50 ImageNet");
      default -> { }
    }
  }

  private static ComputationGraph downloadImagenet() {
    try {
      return (ComputationGraph) ResNet50.builder().build().initPretrained(PretrainedType.IMAGENET);
    } catch (UnknownHostException e) {
      throw new IbreidException("resnet50: cannot download the ImageNet weights (no network: unknown host "
          + e.getMessage() + "); download resnet50_dl4j_inference.v3.zip yourself and set pretrained: file, "
          + "weights: PATH");
    } catch (IOException | RuntimeException e) {
      throw new IbreidException("resnet50: cannot load the ImageNet weights: " + e + "; set pretrained: file, "
          + "weights: PATH to use a local copy");
    }
  }

  /** The {@code resnet50} plug-in. */
  public static final class Factory implements EncoderFactory<Params> {
    @Override
    public String name() {
      return "resnet50";
    }

    @Override
    public String description() {
      return "ResNet-50, last stride 1, GAP, BN-neck; ImageNet or file weights";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public Encoder create(Params params) {
      return new ResNet50Encoder(params);
    }
  }
}
