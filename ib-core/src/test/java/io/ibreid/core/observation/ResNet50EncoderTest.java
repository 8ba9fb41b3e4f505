package io.ibreid.core.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.IbreidException;
import io.ibreid.core.bottleneck.MlpBottleneck;
import io.ibreid.core.branch.Branch;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.OutputKey;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.branch.WiredBatch;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.CrossEntropyLoss;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.testing.TinyTrainingSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ResNet50EncoderTest {
  static final ImageShape SHAPE = ImageShape.rgb(64, 32);

  private static ReidModel model(ResNet50Encoder.Params p) {
    MlpBottleneck.Params b = new MlpBottleneck.Params();
    b.dim = 256;
    return ReidModel.build(List.of(new Branch(BranchRole.VISIBLE, new ResNet50Encoder(p), new MlpBottleneck(b))),
        SHAPE, 4, new ReidModel.Options(1, DataType.FLOAT, WorkspaceMode.ENABLED));
  }

  @Test
  void oneBatchForwardAndBackwardOnCpu() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    ReidModel model = model(new ResNet50Encoder.Params());
    assertThat(model.outputWidths()).containsEntry("visible.v", 2048).containsEntry("visible.z", 256);
    assertThat(model.graph().numParams()).isGreaterThan(23_000_000L);
    CrossModalBatch batch = new TinyTrainingSet(4, SHAPE, 2, 1, 1, 3, 0.3).batch(0, 0);
    Objective objective = new Objective(model, List.of(new Objective.BoundTerm("ce", 1, new CrossEntropyLoss(0.1),
        List.of(Slot.differentiable("logits", "")), Map.of("logits", OutputKey.parse("visible.z_logits", "t")))), 1);
    double[] loss = new double[1];
    WiredBatch wired = model.wire(batch);
    Gradient g = model.forwardBackward(wired, 1, outs -> {
      assertThat(outs[0].shape()).containsExactly(2, 2048);
      Objective.Evaluation e = objective.evaluate(outs, wired, 0);
      loss[0] = e.total();
      return e.errors();
    });
    assertThat(loss[0]).isCloseTo(Math.log(4), org.assertj.core.data.Offset.offset(0.05));
    double norm = g.gradient().norm2Number().doubleValue();
    assertThat(norm).isFinite().isGreaterThan(0);
    // The stem convolution, far from the loss, receives gradient too.
    assertThat(g.gradientForVariable().get("visible/stem-cnn1_W").norm2Number().doubleValue()).isGreaterThan(0);
    INDArray v = model.infer(BranchRole.VISIBLE, batch.visible(), List.of("v")).get("v");
    assertThat(v.shape()).containsExactly(2, 2048);
  }

  @Test
  void userWeightsLoadByZooLayerName(@TempDir Path dir) throws Exception {
    // A graph holding one zoo-named layer, as a user's converted weights would.
    var conf = new NeuralNetConfiguration.Builder().seed(5).graphBuilder().addInputs("in")
        .setInputTypes(InputType.convolutional(8, 8, 64))
        .addLayer("res2a_branch2a", new ConvolutionLayer.Builder(1, 1).nOut(64).convolutionMode(ConvolutionMode.Same)
            .build(), "in")
        .setOutputs("res2a_branch2a").build();
    ComputationGraph source = new ComputationGraph(conf);
    source.init();
    source.getLayer("res2a_branch2a").paramTable().get("W").assign(0.25);
    Path zip = dir.resolve("weights.zip");
    ModelSerializer.writeModel(source, zip.toFile(), false);
    ResNet50Encoder.Params p = new ResNet50Encoder.Params();
    p.pretrained = "file";
    p.weights = zip.toString();
    ReidModel model = model(p);
    INDArray w = model.graph().getLayer("visible/res2a_branch2a").paramTable().get("W");
    assertThat(w.minNumber().doubleValue()).isEqualTo(0.25);
    assertThat(w.maxNumber().doubleValue()).isEqualTo(0.25);
  }

  @Test
  void missingOrWrongWeightsFailWithOneLine(@TempDir Path dir) throws Exception {
    ResNet50Encoder.Params p = new ResNet50Encoder.Params();
    p.pretrained = "file";
    p.weights = dir.resolve("nope.zip").toString();
    assertThatThrownBy(() -> model(p)).isInstanceOf(IbreidException.class)
        .hasMessageStartingWith("resnet50 weights file " + dir.resolve("nope.zip") + " does not exist");
    java.nio.file.Files.writeString(dir.resolve("junk.zip"), "not a zip");
    p.weights = dir.resolve("junk.zip").toString();
    assertThatThrownBy(() -> model(p)).isInstanceOf(IbreidException.class)
        .hasMessageStartingWith("resnet50 weights file " + dir.resolve("junk.zip")
            + " is not a DL4J ComputationGraph zip");
    ResNet50Encoder.Params none = new ResNet50Encoder.Params();
    none.pretrained = "file";
    assertThatThrownBy(() -> new ResNet50Encoder(none))
        .hasMessage("resnet50: pretrained is [file] but params.weights names no file");
  }

  @Test
  void imagenetWeightsOfflineFailInsteadOfTrainingFromScratch(@TempDir Path dir) {
    String base = DL4JResources.getBaseDownloadURL();
    try {
      DL4JResources.setBaseDirectory(dir.toFile());
      DL4JResources.setBaseDownloadURL("http://ibreid-offline.invalid/");
      ResNet50Encoder.Params p = new ResNet50Encoder.Params();
      p.pretrained = "imagenet";
      assertThatThrownBy(() -> model(p)).isInstanceOf(IbreidException.class)
          .hasMessageStartingWith("resnet50: cannot ");
    } finally {
      DL4JResources.setBaseDownloadURL(base);
      DL4JResources.resetBaseDirectoryLocation();
    }
  }
}
