package com.example.reid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.testing.GradientChecks;
import io.ibreid.testing.PluginChecks;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Our loss: registered for ServiceLoader, exact at a known point, and its gradient matches finite differences. */
class CosineAgreementLossTest {
  @Test
  void isRegistered() {
    PluginChecks.requireRegistered(ConsumerPlugin.class);
    assertEquals("cosine-agreement", PluginChecks.requireDiscovered(LossFactory.KIND, "cosine-agreement").name());
  }

  @Test
  void valueAtAKnownPoint() {
    // rows: identical directions (cos 1) and orthogonal ones (cos 0): loss = 1 - (1 + 0) / 2
    var visible = Nd4j.create(new double[][] {{1, 2}, {1, 0}});
    var infrared = Nd4j.create(new double[][] {{2, 4}, {0, 3}});
    var r = new CosineAgreementLoss().compute(GradientChecks.input(
        Map.of("visible", visible, "infrared", infrared), Map.of(), 0));
    assertEquals(0.5, r.value(), 1e-9);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    Nd4j.getRandom().setSeed(7);
    var visible = Nd4j.randn(DataType.DOUBLE, 5, 4);
    var infrared = Nd4j.randn(DataType.DOUBLE, 5, 4);
    GradientChecks.Report report = GradientChecks.checkTerm(new CosineAgreementLoss.Factory(),
        new CosineAgreementLoss.Params(), Map.of("visible", visible, "infrared", infrared), Map.of(), 1e-6)
        .requireBelow(1e-5);
    assertEquals(40, report.checked());
    assertTrue(report.gradientReturned().get("visible") && report.gradientReturned().get("infrared"));
  }
}
