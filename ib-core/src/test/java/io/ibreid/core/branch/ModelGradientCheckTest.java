package io.ibreid.core.branch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.bottleneck.MlpBottleneck;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.BatchHardTripletLoss;
import io.ibreid.core.loss.CrossEntropyLoss;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.observation.SmallResNetEncoder;
import io.ibreid.core.testing.GradientChecks;
import io.ibreid.core.testing.TinyTrainingSet;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference check of the whole training path: encoder + bottleneck + heads in one graph, loss terms on
 * branch outputs and on per-view row slices, external errors back through the graph.
 */
class ModelGradientCheckTest {
  static final ImageShape SHAPE = ImageShape.rgb(8, 4);

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static ReidModel tinyModel(WorkspaceMode mode, BranchRole... roles) {
    SmallResNetEncoder.Params e = new SmallResNetEncoder.Params();
    e.width = 3;
    e.stages = new int[] {1, 1};
    e.observationSize = 6;
    MlpBottleneck.Params b = new MlpBottleneck.Params();
    b.dim = 4;
    b.hidden = new int[] {5};
    List<Branch> branches = java.util.Arrays.stream(roles)
        .map(r -> new Branch(r, new SmallResNetEncoder(e), new MlpBottleneck(b))).toList();
    return ReidModel.build(branches, SHAPE, 3,
        new ReidModel.Options(7, DataType.DOUBLE, mode));
  }

  static CrossModalBatch batch() {
    TinyTrainingSet data = new TinyTrainingSet(3, SHAPE, 3, 2, 1, 5, 0.5);
    CrossModalBatch b = data.batch(0, 0);
    return new CrossModalBatch(b.visible().castTo(DataType.DOUBLE), b.visibleLabels(),
        b.infrared().castTo(DataType.DOUBLE), b.infraredLabels());
  }

  private static Objective.BoundTerm ce(String label, String key) {
    return new Objective.BoundTerm(label, 0.7, new CrossEntropyLoss(0.1),
        List.of(Slot.differentiable("logits", "")), Map.of("logits", OutputKey.parse(key, label)));
  }

  private static Objective.BoundTerm triplet(String label, String key) {
    return new Objective.BoundTerm(label, 1.3, new BatchHardTripletLoss(0.3),
        List.of(Slot.differentiable("features", "")), Map.of("features", OutputKey.parse(key, label)));
  }

  @Test
  void singleBranchGraphMatchesFiniteDifferences() {
    ReidModel model = tinyModel(WorkspaceMode.ENABLED, BranchRole.VISIBLE);
    Objective objective = new Objective(model, List.of(ce("ce_z", "visible.z_logits"), ce("ce_v", "visible.v_logits"),
        triplet("tri_v", "visible.v")), 1);
    GradientChecks.Report r = GradientChecks.checkModel(model, objective, batch(), 1e-6, 5, 3);
    assertThat(r.checked()).isGreaterThan(60);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
  }

  @Test
  void sharedBranchViewsAndSeveralBranchesMatchFiniteDifferences() {
    ReidModel model = tinyModel(WorkspaceMode.ENABLED, BranchRole.INFRARED, BranchRole.SHARED);
    Objective objective = new Objective(model, List.of(
        ce("ce_ir", "infrared.z_logits"),
        ce("ce_sh_vis", "shared.visible.z_logits"),
        ce("ce_sh_ir_v", "shared.infrared.v_logits"),
        triplet("tri_sh", "shared.z")), 1);
    GradientChecks.Report r = GradientChecks.checkModel(model, objective, batch(), 1e-6, 3, 4);
    assertThat(r.checked()).isGreaterThan(80);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
  }

  @Test
  void workspaceScopeGivesTheSameGradientAsNoWorkspaces() {
    CrossModalBatch batch = batch();
    double[][] grads = new double[2][];
    WorkspaceMode[] modes = {WorkspaceMode.ENABLED, WorkspaceMode.NONE};
    for (int m = 0; m < 2; m++) {
      ReidModel model = tinyModel(modes[m], BranchRole.SHARED);
      Objective objective = new Objective(model, List.of(ce("ce", "shared.z_logits")), 1);
      WiredBatch wired = model.wire(batch);
      grads[m] = model.forwardBackward(wired, 1, outs ->
          objective.evaluate(outs, wired, 0).errors()).gradient().dup().toDoubleVector();
    }
    assertThat(grads[0]).containsExactly(grads[1], org.assertj.core.data.Offset.offset(1e-12));
  }
}
