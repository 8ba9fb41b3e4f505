package io.ibreid.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.observation.SmallResNetEncoder;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.junit.jupiter.api.Test;

class FlopCounterTest {
  @Test
  void countsConvolutionsAndDenseLayersByHand() {
    GraphBuilder g = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in");
    // 3x8x4 -> 3x3 stride 2 "Same" -> 4x4x2: 32 outputs, 27 multiply-adds each: 2*32*27 = 1728
    g.addLayer("c1", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(4).hasBias(false)
        .convolutionMode(ConvolutionMode.Same).build(), "in");
    g.addLayer("bn", new BatchNormalization.Builder().build(), "c1");
    // 1x1, 4 -> 6 channels with bias on 4x2: 48 outputs, 4 multiply-adds each + bias: 2*48*4 + 48 = 432
    g.addLayer("c2", new ConvolutionLayer.Builder(1, 1).nOut(6).hasBias(true).build(), "bn");
    g.addLayer("relu", new ActivationLayer.Builder().activation(org.nd4j.linalg.activations.Activation.RELU)
        .build(), "c2");
    g.addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "relu");
    // dense 6 -> 5 with bias: 2*30 + 5 = 65
    g.addLayer("fc", new DenseLayer.Builder().nOut(5).build(), "gap");
    g.setOutputs("fc");
    g.setInputTypes(InputType.convolutional(8, 4, 3));
    ComputationGraphConfiguration conf = g.build();

    FlopCounter.Count c = FlopCounter.count(conf, InputType.convolutional(8, 4, 3));

    assertThat(c.byVertex()).containsOnlyKeys("c1", "c2", "fc");
    assertThat(c.byVertex().get("c1")).isEqualTo(1728L);
    assertThat(c.byVertex().get("c2")).isEqualTo(432L);
    assertThat(c.byVertex().get("fc")).isEqualTo(65L);
    assertThat(c.forwardPerExample()).isEqualTo(2225L);
    assertThat(c.trainingStep(2)).isEqualTo(3.0 * 2225 * 2);
  }

  @Test
  void countsTheSmallResNetTrunkByHand() {
    SmallResNetEncoder.Params p = new SmallResNetEncoder.Params();
    p.width = 2;
    p.stages = new int[] {1, 1};
    p.observationSize = 3;
    GraphBuilder g = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in");
    String v = new SmallResNetEncoder(p).addTo(g, "in", "e/", ImageShape.rgb(8, 4));
    g.setOutputs(v);
    g.setInputTypes(InputType.convolutional(8, 4, 3));
    FlopCounter.Count c = FlopCounter.count(g.build(), InputType.convolutional(8, 4, 3));
    // stem 3x3/2, 3->2 on 4x2: 2*16*27 = 864; stage 1 (4x2, 2->2): two 3x3 convs, 2*16*18 = 576 each;
    // stage 2 (2x1, 2->4): a 2*8*18 = 288, b 2*8*36 = 576, 1x1 shortcut 2*8*2 = 32; expand 1x1 4->3 on 2x1: 2*6*4 = 48
    assertThat(c.byVertex().get("e/stem_conv")).isEqualTo(864L);
    assertThat(c.byVertex().get("e/s2b1_down")).isEqualTo(32L);
    assertThat(c.byVertex().get("e/expand_conv")).isEqualTo(48L);
    assertThat(c.forwardPerExample()).isEqualTo(864 + 576 + 576 + 288 + 576 + 32 + 48);
  }

  @Test
  void theFusedTrunkCountsTheSameConvolutionsAsTheSmallResNet() {
    for (boolean fused : new boolean[] {false, true}) {
      GraphBuilder g = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in");
      String v;
      if (fused) {
        io.ibreid.encoders.fast.FastResNetEncoder.Params p = new io.ibreid.encoders.fast.FastResNetEncoder.Params();
        p.width = 2;
        p.stages = new int[] {1, 1};
        p.observationSize = 3;
        v = new io.ibreid.encoders.fast.FastResNetEncoder(p).addTo(g, "in", "e/", ImageShape.rgb(8, 4));
      } else {
        SmallResNetEncoder.Params p = new SmallResNetEncoder.Params();
        p.width = 2;
        p.stages = new int[] {1, 1};
        p.observationSize = 3;
        v = new SmallResNetEncoder(p).addTo(g, "in", "e/", ImageShape.rgb(8, 4));
      }
      g.setOutputs(v);
      g.setInputTypes(InputType.convolutional(8, 4, 3));
      FlopCounter.Count c = FlopCounter.count(g.build(), InputType.convolutional(8, 4, 3));
      assertThat(c.forwardPerExample()).as("fused " + fused).isEqualTo(864 + 576 + 576 + 288 + 576 + 32 + 48);
    }
  }
}
