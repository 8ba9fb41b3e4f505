package io.ibreid.encoders.fast;

import static io.ibreid.encoders.fast.FastResNetEquivalenceTest.copy;
import static io.ibreid.encoders.fast.FastResNetEquivalenceTest.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ibreid.core.bottleneck.MlpBottleneck;
import io.ibreid.core.branch.Branch;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.core.observation.ImageShape;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * In float NHWC the trunk's convolutions run through oneDNN's kept primitives by default; the same model with
 * libnd4j's ops gives the same outputs and gradients up to float rounding, in training mode and in chunked
 * inference. (Double precision, where the equivalence and gradient checks run, always uses libnd4j's ops.)
 */
class DirectOneDnnTrunkTest {
  static final ImageShape SHAPE = ImageShape.rgb(16, 8);
  private static DataType before;

  @BeforeAll
  static void floatPrecision() {
    before = Nd4j.defaultFloatingPointType();
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
  }

  @AfterAll
  static void restore() {
    Nd4j.setDefaultDataTypes(before, before);
  }

  static ReidModel model(DataType type) {
    FastResNetEncoder.Params p = new FastResNetEncoder.Params();
    p.width = 8;
    p.stages = new int[] {1, 1};
    p.observationSize = 12;
    MlpBottleneck.Params b = new MlpBottleneck.Params();
    b.dim = 4;
    b.hidden = new int[] {6};
    return ReidModel.build(List.of(new Branch(BranchRole.VISIBLE, new FastResNetEncoder(p), new MlpBottleneck(b))),
        SHAPE, 3, new ReidModel.Options(11, type, WorkspaceMode.ENABLED));
  }

  static Trunk trunk(ReidModel m) {
    return (Trunk) m.graph().getLayer("visible/trunk");
  }

  @Test
  void directConvolutionsMatchLibnd4jsInTrainingAndInference() {
    assumeThat(NativeRuntime.dnnlLoaded()).as("oneDNN's binding loaded").isTrue();
    ReidModel m = model(DataType.FLOAT);
    Trunk t = trunk(m);
    assertThat(t.directOneDnn()).as("the default in float NHWC").isTrue();
    Nd4j.getRandom().setSeed(4);
    INDArray images = Nd4j.rand(DataType.FLOAT, SHAPE.batchShape(6));
    INDArray many = Nd4j.rand(DataType.FLOAT, SHAPE.batchShape(Trunk.INFERENCE_CHUNK + 9));
    INDArray params = m.graph().params().dup();
    INDArray[][] errors = new INDArray[1][];

    Map<String, INDArray> direct = copy(m.graph().forwardBackward(new INDArray[] {images},
        outs -> errors[0] = FastResNetEquivalenceTest.randomErrors(outs, DataType.FLOAT)));
    INDArray directParams = m.graph().params().dup(); // the running statistics moved
    INDArray vDirect = m.infer(BranchRole.VISIBLE, many, List.of("v")).get("v");

    m.graph().setParams(params);
    t.useDirectOneDnn(false);
    Map<String, INDArray> ops = copy(m.graph().forwardBackward(new INDArray[] {images}, outs -> errors[0]));
    INDArray vOps = m.infer(BranchRole.VISIBLE, many, List.of("v")).get("v");

    for (Map.Entry<String, INDArray> e : ops.entrySet()) {
      // float sums in another order, through batch normalisation over 6×8×4 positions: relative 1e-4 is ~1000 ulps
      assertThat(maxAbsDiff(direct.get(e.getKey()), e.getValue())).as(e.getKey()).isLessThan(1e-4);
    }
    assertThat(maxAbsDiff(directParams, m.graph().params())).as("running statistics").isLessThan(1e-5);
    assertThat(vDirect.shape()).containsExactly(Trunk.INFERENCE_CHUNK + 9, 12);
    assertThat(maxAbsDiff(vDirect, vOps)).as("chunked inference").isLessThan(1e-5);
  }

  @Test
  void doublePrecisionKeepsLibnd4jsOps() {
    Trunk t = trunk(model(DataType.DOUBLE));
    assertThat(t.directOneDnn()).isFalse();
    assertThatThrownBy(() -> t.useDirectOneDnn(true)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("float NHWC");
  }
}
