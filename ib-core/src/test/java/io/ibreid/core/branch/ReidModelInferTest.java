package io.ibreid.core.branch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.testing.TinyTrainingSet;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ReidModelInferTest {
  @Test
  void severalOutputsAtOnceEqualOneAtATime() {
    io.ibreid.core.observation.SmallResNetEncoder.Params e = new io.ibreid.core.observation.SmallResNetEncoder.Params();
    e.width = 4;
    e.stages = new int[] {1};
    e.observationSize = 6;
    io.ibreid.core.bottleneck.MlpBottleneck.Params b = new io.ibreid.core.bottleneck.MlpBottleneck.Params();
    b.dim = 4;
    List<Branch> branches = List.of(BranchRole.VISIBLE, BranchRole.SHARED).stream().map(r -> new Branch(r,
        new io.ibreid.core.observation.SmallResNetEncoder(e), new io.ibreid.core.bottleneck.MlpBottleneck(b))).toList();
    ReidModel model = ReidModel.build(branches, ModelGradientCheckTest.SHAPE, 3, new ReidModel.Options(7,
        DataType.FLOAT, WorkspaceMode.ENABLED));
    INDArray images = new TinyTrainingSet(3, ModelGradientCheckTest.SHAPE, 3, 2, 1, 5, 0.5).batch(0, 0).visible();
    // After a training pass, as during validation.
    var batch = new TinyTrainingSet(3, ModelGradientCheckTest.SHAPE, 3, 2, 1, 5, 0.5).batch(0, 1);
    model.forwardBackward(model.wire(batch), 1, outs -> {
      INDArray[] err = new INDArray[outs.length];
      for (int i = 0; i < err.length; i++) {
        err[i] = outs[i].ulike().assign(0.01);
      }
      return err;
    });
    Map<String, INDArray> all = model.infer(BranchRole.SHARED, images, List.of("v", "z", "z_logits"));
    Map<String, INDArray> vis = model.infer(BranchRole.VISIBLE, images, List.of("z", "v"));
    assertThat(vis).containsOnlyKeys("z", "v");
    assertThat(all).containsOnlyKeys("v", "z", "z_logits");
    for (String name : List.of("v", "z", "z_logits")) {
      INDArray one = model.infer(BranchRole.SHARED, images, List.of(name)).get(name);
      assertThat(all.get(name).equalsWithEps(one, 1e-6)).as(name).isTrue();
    }
    assertThat(all.get("v").shape()).containsExactly(6, 6);
  }
}
