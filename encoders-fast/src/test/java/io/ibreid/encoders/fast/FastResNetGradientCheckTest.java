package io.ibreid.encoders.fast;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.bottleneck.MlpBottleneck;
import io.ibreid.core.branch.Branch;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.OutputKey;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.BatchHardTripletLoss;
import io.ibreid.core.loss.CrossEntropyLoss;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.testing.GradientChecks;
import io.ibreid.core.testing.TinyTrainingSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference check, in double precision, of the fused trunk inside a full branch graph (trunk + mlp
 * bottleneck + heads) trained with external errors, in NHWC (YXIO kernels, the default) and, for the shared branch's two views, NCHW (OIYX kernels).
 */
class FastResNetGradientCheckTest {
  static final ImageShape SHAPE = ImageShape.rgb(8, 4);

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static FastResNetEncoder.Params tinyEncoder(String format, String weights) {
    FastResNetEncoder.Params e = new FastResNetEncoder.Params();
    e.width = 3;
    e.stages = new int[] {1, 1};
    e.observationSize = 6;
    e.dataFormat = format;
    e.weightsFormat = weights;
    return e;
  }

  static ReidModel tinyModel(FastResNetEncoder.Params e, DataType type, BranchRole... roles) {
    MlpBottleneck.Params b = new MlpBottleneck.Params();
    b.dim = 4;
    b.hidden = new int[] {5};
    List<Branch> branches = Arrays.stream(roles)
        .map(r -> new Branch(r, new FastResNetEncoder(e), new MlpBottleneck(b))).toList();
    return ReidModel.build(branches, SHAPE, 3, new ReidModel.Options(7, type, WorkspaceMode.ENABLED));
  }

  static CrossModalBatch batch(DataType type) {
    TinyTrainingSet data = new TinyTrainingSet(3, SHAPE, 3, 2, 1, 5, 0.5);
    CrossModalBatch b = data.batch(0, 0);
    return new CrossModalBatch(b.visible().castTo(type), b.visibleLabels(), b.infrared().castTo(type),
        b.infraredLabels());
  }

  static Objective.BoundTerm ce(String label, String key) {
    return new Objective.BoundTerm(label, 0.7, new CrossEntropyLoss(0.1),
        List.of(Slot.differentiable("logits", "")), Map.of("logits", OutputKey.parse(key, label)));
  }

  static Objective.BoundTerm triplet(String label, String key) {
    return new Objective.BoundTerm(label, 1.3, new BatchHardTripletLoss(0.3),
        List.of(Slot.differentiable("features", "")), Map.of("features", OutputKey.parse(key, label)));
  }

  @Test
  void visibleBranchMatchesFiniteDifferences() {
    ReidModel model = tinyModel(tinyEncoder("NHWC", "YXIO"), DataType.DOUBLE, BranchRole.VISIBLE);
    Objective objective = new Objective(model, List.of(ce("ce_z", "visible.z_logits"),
        ce("ce_v", "visible.v_logits"), triplet("tri_v", "visible.v")), 1);
    GradientChecks.Report r = GradientChecks.checkModel(model, objective, batch(DataType.DOUBLE), 1e-6, 3, 3);
    assertThat(r.checked()).isGreaterThan(60);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
  }

  @Test
  void sharedBranchViewsInNchwMatchFiniteDifferences() {
    ReidModel model = tinyModel(tinyEncoder("NCHW", "OIYX"), DataType.DOUBLE, BranchRole.SHARED);
    Objective objective = new Objective(model, List.of(ce("ce_sh_vis", "shared.visible.z_logits"),
        ce("ce_sh_ir_v", "shared.infrared.v_logits"), triplet("tri_sh", "shared.z")), 1);
    GradientChecks.Report r = GradientChecks.checkModel(model, objective, batch(DataType.DOUBLE), 1e-6, 2, 4);
    assertThat(r.checked()).isGreaterThan(40);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
  }
}
