package io.ibreid.core.branch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.bottleneck.MlpBottleneck;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.CrossEntropyLoss;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.testing.GradientChecks;
import io.ibreid.core.testing.TinyGraphs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The release wiring: every image through every branch, grayscale copies for the infrared inputs. */
class ReleaseWiringTest {
  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static ReidModel model(Wiring wiring) {
    MlpBottleneck.Params b = new MlpBottleneck.Params();
    b.dim = 4;
    b.hidden = new int[] {5};
    return TinyGraphs.model(wiring, () -> new MlpBottleneck(b), BranchRole.VISIBLE, BranchRole.INFRARED,
        BranchRole.SHARED);
  }

  @Test
  void grayscaleIsTheLumaOfEachPixelRepeatedToThreeChannels() {
    // one 1x3x1x2 image: pixel 0 = (R, G, B) = (1, 0, 0), pixel 1 = (0.5, -2, 4)
    INDArray img = Nd4j.create(new double[] {1, 0.5, 0, -2, 0, 4}, new long[] {1, 3, 1, 2}, 'c');
    INDArray g = InputTransform.GRAY.apply(img);
    double p0 = 0.2989;
    double p1 = 0.2989 * 0.5 + 0.587 * -2 + 0.114 * 4;
    for (int c = 0; c < 3; c++) {
      assertThat(g.getDouble(0, c, 0, 0)).isCloseTo(p0, org.assertj.core.data.Offset.offset(1e-12));
      assertThat(g.getDouble(0, c, 0, 1)).isCloseTo(p1, org.assertj.core.data.Offset.offset(1e-12));
    }
    assertThat(img.getDouble(0, 1, 0, 1)).isEqualTo(-2.0); // the input is left alone
    assertThat(InputTransform.RAW.apply(img)).isSameAs(img);
  }

  @Test
  void everyBranchSeesEveryImageAndTheInfraredBranchGetsGrayscaleCopies() {
    ReidModel model = model(Wiring.RELEASE);
    CrossModalBatch batch = TinyGraphs.batch();
    int m = batch.pairs();
    WiredBatch wired = model.wire(batch);
    INDArray[] in = model.inputs(wired, 1);
    // inputs in branch order: visible, infrared, shared (mlp has no noise inputs)
    INDArray both = Nd4j.concat(0, batch.visible(), batch.infrared());
    assertThat(in[0]).isEqualTo(both);
    assertThat(in[1].size(0)).isEqualTo(2L * m);
    // the infrared branch's first m rows are grayscale copies of the visible images, pixel by pixel
    INDArray vis = batch.visible();
    for (int r = 0; r < m; r++) {
      for (int y = 0; y < vis.size(2); y++) {
        for (int x = 0; x < vis.size(3); x++) {
          double expected = 0.2989 * vis.getDouble(r, 0, y, x) + 0.587 * vis.getDouble(r, 1, y, x)
              + 0.114 * vis.getDouble(r, 2, y, x);
          for (int c = 0; c < 3; c++) {
            assertThat(in[1].getDouble(r, c, y, x)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
          }
        }
      }
    }
    assertThat(in[1].get(NDArrayIndex.interval(m, 2 * m))).isEqualTo(InputTransform.GRAY.apply(batch.infrared()));
    assertThat(in[2]).isEqualTo(Nd4j.concat(0, both, InputTransform.GRAY.apply(both)));
    int[] both2 = wired.rows(OutputKey.parse("visible.z", "k")).labels();
    assertThat(both2).hasSize(2 * m);
    assertThat(wired.rows(OutputKey.parse("shared.z", "k")).labels()).hasSize(4 * m);
    assertThat(range(wired, "shared.infrared.z")).containsExactly(2 * m, 2 * m);
    assertThat(range(wired, "infrared.z")).containsExactly(0, 2 * m);
    // the paper wiring is unchanged
    ReidModel paper = model(Wiring.PAPER);
    WiredBatch paperWired = paper.wire(batch);
    INDArray[] p = paper.inputs(paperWired, 1);
    assertThat(p[1]).isEqualTo(batch.infrared());
    assertThat(range(paperWired, "shared.infrared.z")).containsExactly(m, m);
  }

  /** First row and row count of an output key's rows. */
  private static int[] range(WiredBatch batch, String key) {
    WiredBatch.Rows r = batch.rows(OutputKey.parse(key, "k"));
    return new int[] {r.first(), r.count()};
  }

  @Test
  void atTestTimeTheInfraredBranchIsFedTheSameGrayscaleTransform() {
    ReidModel model = model(Wiring.RELEASE);
    INDArray x = TinyGraphs.batch().visible();
    INDArray own = model.infer(BranchRole.INFRARED, x, List.of("v")).get("v");
    INDArray explicit = model.infer(BranchRole.INFRARED, x, List.of("v"), InputTransform.GRAY).get("v");
    INDArray preGrayed = model.infer(BranchRole.INFRARED, InputTransform.GRAY.apply(x), List.of("v"),
        InputTransform.RAW).get("v");
    assertThat(own).isEqualTo(explicit);
    assertThat(own).isEqualTo(preGrayed);
    INDArray raw = model.infer(BranchRole.SHARED, x, List.of("v")).get("v");
    INDArray gray = model.infer(BranchRole.SHARED, x, List.of("v"), InputTransform.GRAY).get("v");
    assertThat(raw.sub(gray).amaxNumber().doubleValue()).isGreaterThan(1e-6);
  }

  @Test
  void gradientsThroughTheReleaseWiringMatchFiniteDifferences() {
    ReidModel model = model(Wiring.RELEASE);
    CrossModalBatch batch = TinyGraphs.batch();
    Objective objective = new Objective(model, List.of(
        ce("ce_ir", "infrared.z_logits"), ce("ce_sh_gray", "shared.infrared.z_logits"), ce("ce_vis", "visible.v_logits")),
        1);
    GradientChecks.Report r = GradientChecks.checkModel(model, objective, batch, 1e-6, 3, 5);
    assertThat(r.checked()).isGreaterThan(50);
    assertThat(r.maxRelativeError()).as(r.worst()).isLessThan(1e-5);
  }

  private static Objective.BoundTerm ce(String label, String key) {
    return new Objective.BoundTerm(label, 1.0, new CrossEntropyLoss(0.1), List.of(Slot.differentiable("logits", "")),
        Map.of("logits", OutputKey.parse(key, label)));
  }
}
