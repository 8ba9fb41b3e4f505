package io.ibreid.loss.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.ConfigException;
import io.ibreid.core.bottleneck.Bottleneck;
import io.ibreid.core.bottleneck.BottleneckFactory;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.OutputKey;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.BatchHardTripletLoss;
import io.ibreid.core.loss.CrossEntropyLoss;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.core.testing.GradientChecks;
import io.ibreid.core.testing.TinyGraphs;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The release's deterministic "VIB": its layers and sizes, no noise, its own classifier, gradients. */
class ReleaseVibBottleneckTest {
  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static ReidModel model(double dropout, BranchRole... roles) {
    ReleaseVibBottleneck.Params p = new ReleaseVibBottleneck.Params();
    p.dim = 4;
    p.dropout = dropout;
    return TinyGraphs.model(() -> new ReleaseVibBottleneck(p), roles);
  }

  private static long nOut(ComputationGraph g, String layer) {
    return ((DenseLayer) g.getLayer(layer).conf().getLayer()).getNOut();
  }

  @Test
  void layersAreTheReleasesScaledToTheObservationSize() {
    ReleaseVibBottleneck b = new ReleaseVibBottleneck(new ReleaseVibBottleneck.Params());
    assertThat(b.hidden(2048)).containsExactly(1000, 500);
    assertThat(b.hidden(512)).containsExactly(250, 125);
    assertThat(b.representationSize()).isEqualTo(512);
    assertThat(b.noise()).isEmpty();
    assertThat(b.extraOutputs()).isEmpty();
    // in a graph (D = 6 in the tiny model): 6 -> 3 -> 1 -> z = 4; classifier 4 -> 2 -> classes
    ReidModel model = model(0.5, BranchRole.VISIBLE);
    ComputationGraph g = model.graph();
    assertThat(nOut(g, "visible/ib_h1")).isEqualTo(3);
    assertThat(nOut(g, "visible/ib_h2")).isEqualTo(1);
    assertThat(nOut(g, "visible/ib_z")).isEqualTo(4);
    assertThat(g.getVertex("visible/ib_z_bn")).isNull(); // no BatchNorm on z
    assertThat(nOut(g, "visible/head_z_h")).isEqualTo(2);
    assertThat(g.getLayer("visible/head_z_h_bn")).isNotNull();
    assertThat(nOut(g, "visible/head_z")).isEqualTo(TinyGraphs.CLASSES);
    assertThat(g.getLayer("visible/head_z").conf().getLayer().getIDropout()).isNotNull();
    assertThat(model.outputWidths()).containsEntry("visible.z", 4).containsEntry("visible.z_logits",
        TinyGraphs.CLASSES);
    // inference is deterministic (no sampling; dropout only in training)
    INDArray x = TinyGraphs.batch().visible();
    INDArray a = model.infer(BranchRole.VISIBLE, x, List.of("z_logits")).get("z_logits");
    INDArray c = model.infer(BranchRole.VISIBLE, x, List.of("z_logits")).get("z_logits");
    assertThat(a).isEqualTo(c);
    assertThatThrownBy(() -> new ReleaseVibBottleneck(params(1))).isInstanceOf(ConfigException.class)
        .hasMessage("release-vib: params.dim (the z size) must be >= 2, got 1");
  }

  private static ReleaseVibBottleneck.Params params(int dim) {
    ReleaseVibBottleneck.Params p = new ReleaseVibBottleneck.Params();
    p.dim = dim;
    return p;
  }

  @Test
  void isFoundThroughThePluginRegistry() {
    Bottleneck b = Plugins.discover().get(BottleneckFactory.KIND, "release-vib").fromConfig(Map.of("dim", 256),
        "branches.shared.bottleneck.params");
    assertThat(b).isInstanceOf(ReleaseVibBottleneck.class);
    assertThat(b.representationSize()).isEqualTo(256);
  }

  /** Central differences in double precision (dropout off: a random mask per forward pass has no derivative). */
  @Test
  void gradientThroughTheBottleneckAndItsClassifierMatchesFiniteDifferences() {
    ReidModel model = model(0, BranchRole.SHARED);
    CrossModalBatch batch = TinyGraphs.batch();
    Objective objective = new Objective(model, List.of(
        new Objective.BoundTerm("ce", 1.0, new CrossEntropyLoss(0.1), List.of(Slot.differentiable("logits", "")),
            Map.of("logits", OutputKey.parse("shared.z_logits", "ce"))),
        new Objective.BoundTerm("tri", 1.0, new BatchHardTripletLoss(0.3), List.of(Slot.differentiable("features",
            "")), Map.of("features", OutputKey.parse("shared.z", "tri")))), 1);
    GradientChecks.Report r = GradientChecks.checkModel(model, objective, batch, 1e-6, 3, 11);
    assertThat(r.checked()).isGreaterThan(40);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
    Map<String, INDArray> g = TinyGraphs.gradient(model, objective, batch);
    assertThat(g).containsKeys("shared/ib_h1_W", "shared/ib_z_W", "shared/head_z_h_W", "shared/head_z_W",
        "shared/head_z_b");
  }
}
