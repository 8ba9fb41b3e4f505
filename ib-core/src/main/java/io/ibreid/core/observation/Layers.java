package io.ibreid.core.observation;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/** Small graph-building helpers shared by the encoders: conv + BN (+ ReLU), pooling. Names are returned. */
public final class Layers {
  private Layers() {}

  /** Convolution (no activation), "Same" padding; returns its name. */
  public static String conv(GraphBuilder g, String name, String in, int kernel, int stride, int nOut, boolean bias) {
    return conv(g, name, in, kernel, stride, nOut, bias, ConvolutionMode.Same);
  }

  /** Convolution (no activation) with an explicit padding mode; returns its name. */
  public static String conv(GraphBuilder g, String name, String in, int kernel, int stride, int nOut, boolean bias,
      ConvolutionMode mode) {
    g.addLayer(name, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).nOut(nOut)
        .convolutionMode(mode).hasBias(bias).activation(Activation.IDENTITY)
        .weightInit(WeightInit.RELU).build(), in);
    return name;
  }

  public static String batchNorm(GraphBuilder g, String name, String in) {
    g.addLayer(name, new BatchNormalization.Builder().build(), in);
    return name;
  }

  public static String relu(GraphBuilder g, String name, String in) {
    g.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), in);
    return name;
  }

  /** conv → BN → ReLU; returns the ReLU's name. */
  public static String convBnRelu(GraphBuilder g, String prefix, String in, int kernel, int stride, int nOut) {
    String c = conv(g, prefix + "_conv", in, kernel, stride, nOut, false);
    String b = batchNorm(g, prefix + "_bn", c);
    return relu(g, prefix + "_relu", b);
  }

  /** Global average pooling to N×C. */
  public static String globalAveragePool(GraphBuilder g, String name, String in) {
    g.addLayer(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), in);
    return name;
  }
}
