package io.ibreid.core.branch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.testing.TinyGraphs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The batch a training step wires once: each branch's images, and each output key's rows and labels, on a hand-made
 * batch of two pairs (identities 3 and 5); the objective hands a term exactly those rows and labels.
 */
class WiredBatchTest {
  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  /** Two pairs of 1x3x1x1 images: visible rows (1,2,3) and (4,5,6), infrared rows (10,10,10) and (20,20,20). */
  static CrossModalBatch handMade() {
    INDArray visible = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3, 1, 1}, 'c');
    INDArray infrared = Nd4j.create(new double[] {10, 10, 10, 20, 20, 20}, new long[] {2, 3, 1, 1}, 'c');
    return new CrossModalBatch(visible, new int[] {3, 5}, infrared, new int[] {3, 5});
  }

  static final List<BranchRole> ALL = List.of(BranchRole.VISIBLE, BranchRole.INFRARED, BranchRole.SHARED);

  static int[] rows(WiredBatch b, String key) {
    WiredBatch.Rows r = b.rows(OutputKey.parse(key, "test"));
    return new int[] {r.first(), r.count()};
  }

  static int[] labels(WiredBatch b, String key) {
    return b.rows(OutputKey.parse(key, "test")).labels();
  }

  @Test
  void paperWiringGivesEachBranchItsModalityAndTheSharedViewsTheirHalves() {
    CrossModalBatch data = handMade();
    WiredBatch b = Wiring.PAPER.wire(data, ALL);
    assertThat(b.pairs()).isEqualTo(2);
    assertThat(b.roles()).containsExactlyElementsOf(ALL);
    assertThat(b.images(BranchRole.VISIBLE)).isEqualTo(data.visible());
    assertThat(b.images(BranchRole.INFRARED)).isEqualTo(data.infrared());
    assertThat(b.images(BranchRole.SHARED).reshape(4, 3).toDoubleMatrix()).isEqualTo(new double[][] {
        {1, 2, 3}, {4, 5, 6}, {10, 10, 10}, {20, 20, 20}});
    assertThat(rows(b, "visible.z")).containsExactly(0, 2);
    assertThat(labels(b, "visible.z")).containsExactly(3, 5);
    assertThat(rows(b, "infrared.v_logits")).containsExactly(0, 2);
    assertThat(labels(b, "infrared.v_logits")).containsExactly(3, 5);
    assertThat(rows(b, "shared.z")).containsExactly(0, 4);
    assertThat(labels(b, "shared.z")).containsExactly(3, 5, 3, 5);
    assertThat(rows(b, "shared.visible.z")).containsExactly(0, 2);
    assertThat(labels(b, "shared.visible.z")).containsExactly(3, 5);
    assertThat(rows(b, "shared.infrared.z_logits")).containsExactly(2, 2);
    assertThat(labels(b, "shared.infrared.z_logits")).containsExactly(3, 5);
  }

  @Test
  void releaseWiringSendsEveryImageEverywhereAndTheSharedInfraredViewIsTheGrayscaleHalf() {
    WiredBatch b = Wiring.RELEASE.wire(handMade(), ALL);
    // luma of (1,2,3) = 0.2989 + 1.174 + 0.342; of (4,5,6) = 1.1956 + 2.935 + 0.684; of (c,c,c) = 0.9999 c
    double g1 = 0.2989 + 2 * 0.587 + 3 * 0.114;
    double g2 = 4 * 0.2989 + 5 * 0.587 + 6 * 0.114;
    double[] gray = {g1, g2, 10 * 0.9999, 20 * 0.9999};
    INDArray infrared = b.images(BranchRole.INFRARED).reshape(4, 3);
    for (int r = 0; r < 4; r++) {
      assertThat(infrared.getRow(r).toDoubleVector()).containsExactly(new double[] {gray[r], gray[r], gray[r]},
          org.assertj.core.data.Offset.offset(1e-9));
    }
    assertThat(b.images(BranchRole.VISIBLE).reshape(4, 3).getDouble(2, 0)).isEqualTo(10.0);
    assertThat(b.images(BranchRole.SHARED).size(0)).isEqualTo(8);
    assertThat(rows(b, "visible.z")).containsExactly(0, 4);
    assertThat(labels(b, "visible.z")).containsExactly(3, 5, 3, 5);
    assertThat(rows(b, "shared.z")).containsExactly(0, 8);
    assertThat(labels(b, "shared.z")).containsExactly(3, 5, 3, 5, 3, 5, 3, 5);
    assertThat(rows(b, "shared.visible.z")).containsExactly(0, 4);
    assertThat(rows(b, "shared.infrared.z")).containsExactly(4, 4);
    assertThat(labels(b, "shared.infrared.z")).containsExactly(3, 5, 3, 5);
  }

  @Test
  void theObjectiveHandsATermTheRowsAndLabelsOfItsKeysFromTheBatch() {
    ReidModel model = TinyGraphs.model(BranchRole.VISIBLE, BranchRole.SHARED);
    WiredBatch batch = model.wire(handMade());
    Map<String, INDArray> seen = new LinkedHashMap<>();
    Map<String, int[]> seenLabels = new LinkedHashMap<>();
    LossTerm recorder = input -> {
      for (String slot : List.of("a", "b")) {
        seen.put(slot, input.get(slot).dup());
        seenLabels.put(slot, input.labels(slot));
      }
      return new LossResult(0, Map.of(), Map.of());
    };
    Objective objective = new Objective(model, List.of(new Objective.BoundTerm("rec", 1, recorder,
        List.of(Slot.differentiable("a", ""), Slot.stopGradient("b", "")),
        Map.of("a", OutputKey.parse("shared.infrared.z", "t"), "b", OutputKey.parse("visible.z", "t")))), 1);
    // Hand-made outputs: row r of every output holds r + 100 * (output index).
    INDArray[] outputs = new INDArray[model.outputs().size()];
    for (int i = 0; i < outputs.length; i++) {
      String name = model.outputs().get(i);
      int rows = name.startsWith("shared.") ? 4 : 2;
      outputs[i] = Nd4j.zeros(DataType.DOUBLE, rows, 2);
      for (int r = 0; r < rows; r++) {
        outputs[i].getRow(r).assign(r + 100 * i);
      }
    }
    objective.evaluate(outputs, batch, 0);
    int z = model.outputs().indexOf("shared.z");
    assertThat(seen.get("a").getColumn(0).toDoubleVector()).containsExactly(2 + 100 * z, 3 + 100 * z);
    assertThat(seenLabels.get("a")).containsExactly(3, 5);
    int vz = model.outputs().indexOf("visible.z");
    assertThat(seen.get("b").getColumn(0).toDoubleVector()).containsExactly(100 * vz, 1 + 100 * vz);
    assertThat(seenLabels.get("b")).containsExactly(3, 5);
  }
}
