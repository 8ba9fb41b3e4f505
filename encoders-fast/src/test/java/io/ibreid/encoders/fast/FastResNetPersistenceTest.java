package io.ibreid.encoders.fast;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.bottleneck.MlpBottleneck;
import io.ibreid.core.branch.Branch;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.observation.EncoderFactory;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.plugin.IbreidPlugin;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.core.train.Optimizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;

/** Plug-in discovery, and save/restore of a trained model with the fused trunk through DL4J's ModelSerializer. */
class FastResNetPersistenceTest {
  static final ImageShape SHAPE = ImageShape.rgb(16, 8);

  @Test
  void serviceLoaderFindsThePluginAndItCreatesTheEncoderFromAConfigMap() {
    assertThat(ServiceLoader.load(IbreidPlugin.class).stream().map(ServiceLoader.Provider::type))
        .contains(FastEncodersPlugin.class);
    var encoder = Plugins.discover().get(EncoderFactory.KIND, "fast-resnet")
        .fromConfig(Map.of("width", 8, "stages", List.of(1, 1), "observationSize", 64), "encoder.params");
    assertThat(encoder).isInstanceOf(FastResNetEncoder.class);
    assertThat(encoder.observationSize()).isEqualTo(64);
  }

  static ReidModel model() {
    FastResNetEncoder.Params p = new FastResNetEncoder.Params();
    p.width = 4;
    p.stages = new int[] {1, 1};
    p.observationSize = 12;
    MlpBottleneck.Params b = new MlpBottleneck.Params();
    b.dim = 6;
    b.hidden = new int[] {8};
    return ReidModel.build(List.of(new Branch(BranchRole.SHARED, new FastResNetEncoder(p), new MlpBottleneck(b))),
        SHAPE, 5, new ReidModel.Options(3, DataType.FLOAT, WorkspaceMode.ENABLED));
  }

  @Test
  void aTrainedModelSurvivesSaveAndRestore(@TempDir Path dir) throws Exception {
    ReidModel model = model();
    Optimizer adam = new Optimizer(model.graph(), new FixedSchedule(1e-2), 5e-4);
    INDArray before = model.graph().params().dup();
    INDArray kernelBefore = model.graph().paramTable().get("shared/trunk_s1b1aW").dup();
    Nd4j.getRandom().setSeed(9);
    INDArray images = Nd4j.rand(DataType.FLOAT, SHAPE.batchShape(6));
    for (int i = 0; i < 3; i++) {
      Gradient g = model.graph().forwardBackward(new INDArray[] {images}, outs -> {
        INDArray[] e = new INDArray[outs.length];
        for (int k = 0; k < outs.length; k++) {
          e[k] = Nd4j.randn(outs[k].dataType(), outs[k].shape()).muli(0.1);
        }
        return e;
      });
      adam.step(g, i, 0, 6);
    }
    Map<String, INDArray> table = model.graph().paramTable();
    // Training moved the kernels (Adam) and the running statistics (in-place update).
    assertThat(table.get("shared/trunk_s1b1aW").sub(kernelBefore).amaxNumber().doubleValue()).isGreaterThan(1e-4);
    assertThat(table.get("shared/trunk_stemMean").amaxNumber().doubleValue()).isGreaterThan(0);
    assertThat(table.get("shared/trunk_stemVar").sub(1).amaxNumber().doubleValue()).isGreaterThan(0);
    assertThat(model.graph().params().equalsWithEps(before, 1e-7)).isFalse();
    INDArray probe = Nd4j.rand(DataType.FLOAT, SHAPE.batchShape(4));
    // One output per call: ReidModel.infer with several names trips DL4J's workspace check (any encoder).
    Map<String, INDArray> expected = Map.of("v", model.infer(BranchRole.SHARED, probe, List.of("v")).get("v"),
        "z", model.infer(BranchRole.SHARED, probe, List.of("z")).get("z"));

    Path zip = dir.resolve("model.zip");
    model.save(zip);
    ComputationGraph plain = ModelSerializer.restoreComputationGraph(zip.toFile(), true);
    assertThat(plain.getLayer("shared/trunk").conf().getLayer()).isInstanceOf(TrunkLayer.class);
    assertThat(plain.params()).isEqualTo(model.graph().params());
    assertThat(plain.getUpdater().getStateViewArray()).isEqualTo(adam.state());
    INDArray vPlain = plain.output(List.of("shared/out_v"), false, new INDArray[] {probe}, null)[0];
    assertThat(vPlain).isEqualTo(expected.get("v"));

    ReidModel fresh = model();
    assertThat(fresh.graph().params()).isNotEqualTo(model.graph().params());
    fresh.load(zip);
    assertThat(fresh.infer(BranchRole.SHARED, probe, List.of("v")).get("v")).isEqualTo(expected.get("v"));
    assertThat(fresh.infer(BranchRole.SHARED, probe, List.of("z")).get("z")).isEqualTo(expected.get("z"));
  }

  @Test
  void largeInferenceBatchesRunInChunksWithTheSameResult() {
    ReidModel model = model();
    Nd4j.getRandom().setSeed(4);
    INDArray images = Nd4j.rand(DataType.FLOAT, SHAPE.batchShape(150));
    INDArray all = model.infer(BranchRole.SHARED, images, List.of("v")).get("v");
    assertThat(all.shape()).containsExactly(150, 12);
    for (int[] range : new int[][] {{0, 10}, {60, 70}, {140, 150}}) {
      INDArray part = images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(range[0], range[1]),
          org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
          org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
      INDArray alone = model.infer(BranchRole.SHARED, part, List.of("v")).get("v");
      INDArray rows = all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(range[0], range[1]),
          org.nd4j.linalg.indexing.NDArrayIndex.all());
      assertThat(rows.sub(alone).amaxNumber().doubleValue()).as("rows " + range[0]).isLessThan(1e-5);
      assertThat(alone.amaxNumber().doubleValue()).isGreaterThan(0);
    }
  }

  @Test
  void theConfigurationRoundTripsThroughJson() {
    ComputationGraphConfiguration conf = model().graph().getConfiguration();
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
    TrunkLayer a = (TrunkLayer) ((org.deeplearning4j.nn.conf.graph.LayerVertex) conf.getVertices()
        .get("shared/trunk")).getLayerConf().getLayer();
    TrunkLayer b = (TrunkLayer) ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices()
        .get("shared/trunk")).getLayerConf().getLayer();
    assertThat(b.getStages()).containsExactly(1, 1);
    assertThat(b.getBaseWidth()).isEqualTo(4);
    assertThat(b.getObservationSize()).isEqualTo(12);
    assertThat(b.getDataFormat()).isEqualTo(a.getDataFormat());
    assertThat(b.getWeightsFormat()).isEqualTo(a.getWeightsFormat());
    assertThat(b.getHeight()).isEqualTo(16);
    assertThat(b.getWidth()).isEqualTo(8);
    assertThat(b.forwardFlopsPerExample()).isEqualTo(a.forwardFlopsPerExample());
    assertThat(b).isEqualTo(a);
  }

  @Test
  void weightDecayAppliesToKernelsOnlyAndRunningStatisticsHaveNoUpdater() {
    ReidModel model = model();
    new Optimizer(model.graph(), new FixedSchedule(1e-2), 5e-4); // what a trainer installs
    TrunkLayer t = (TrunkLayer) model.graph().getLayer("shared/trunk").conf().getLayer();
    assertThat(t.getRegularizationByParam("stemW")).isNotEmpty();
    assertThat(t.getRegularizationByParam("stemGamma")).isEmpty();
    assertThat(t.getRegularizationByParam("stemMean")).isEmpty();
    assertThat(t.getUpdaterByParam("stemW")).isInstanceOf(org.nd4j.linalg.learning.config.Adam.class);
    assertThat(t.getUpdaterByParam("stemMean")).isInstanceOf(org.nd4j.linalg.learning.config.NoOp.class);
    assertThat(t.getUpdaterByParam("stemVar")).isInstanceOf(org.nd4j.linalg.learning.config.NoOp.class);
  }
}
