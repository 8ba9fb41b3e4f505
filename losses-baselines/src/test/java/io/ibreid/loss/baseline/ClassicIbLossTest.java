package io.ibreid.loss.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.core.ConfigException;
import io.ibreid.core.IbreidException;
import io.ibreid.core.loss.LossInput;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.testing.GradientChecks;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The classic-IB term: its gradient for each bound, its critic's training and its saved state. */
class ClassicIbLossTest {
  static final List<Slot> SLOTS = new ClassicIbLoss.Factory().slots(new ClassicIbLoss.Params());

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static ClassicIbLoss term(String estimator, int dv, int dz, int hidden, double beta) {
    ClassicIbLoss.Params p = new ClassicIbLoss.Params();
    p.estimator = estimator;
    p.hidden = hidden;
    p.beta = beta;
    p.epsilon = 0.1;
    return new ClassicIbLoss(p, dv, dz, 17, "ib_test");
  }

  /** Rows of v and z with z a noisy linear function of v, and random logits. */
  static Map<String, INDArray> batch(int n, int dv, int dz, long seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray v = Nd4j.randn(DataType.DOUBLE, n, dv);
    INDArray z = v.mmul(Nd4j.randn(DataType.DOUBLE, dv, dz)).addi(Nd4j.randn(DataType.DOUBLE, n, dz).muli(0.3));
    return Map.of("v", v, "z", z, "z_logits", Nd4j.randn(DataType.DOUBLE, n, 3));
  }

  static Map<String, int[]> labels(int n) {
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = i % 3;
    }
    return Map.of("v", l, "z", l, "z_logits", l);
  }

  @Test
  void gradientMatchesFiniteDifferencesForEveryBound() {
    for (String estimator : new String[] {"jsd", "nwj", "dv"}) {
      GradientChecks.Report r = GradientChecks.checkTerm(term(estimator, 3, 2, 6, 0.7), SLOTS, batch(5, 3, 2, 4),
          labels(5), 1e-6);
      assertThat(r.checked()).as(estimator).isEqualTo(5 * 3 + 5 * 3 + 5 * 2);
      assertThat(r.maxRelativeError()).as(estimator + ": " + r.worst()).isLessThan(1e-6);
      assertThat(r.gradientReturned()).as(estimator).containsEntry("v", true).containsEntry("z", true)
          .containsEntry("z_logits", true);
    }
  }

  @Test
  void valueIsCrossEntropyPlusBetaTimesTheBound() {
    ClassicIbLoss t = term("jsd", 3, 2, 6, 0.25);
    LossResult r = t.compute(GradientChecks.input(batch(6, 3, 2, 1), labels(6), 0));
    assertThat(r.value()).isCloseTo(r.diagnostics().get("ce") + 0.25 * r.diagnostics().get("bound"), within(1e-12));
    // The Jensen-Shannon form lies in [-2 ln 2, 0] for any critic: -softplus(-a) - softplus(b) <= 0 termwise.
    assertThat(r.diagnostics().get("bound")).isLessThanOrEqualTo(0.0);
  }

  @Test
  void negativesAreADerangement() {
    Random r = new Random(3);
    for (int n : new int[] {2, 3, 10, 64}) {
      int[] p = ClassicIbLoss.derangement(n, r);
      assertThat(Arrays.stream(p).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, n).toArray());
      for (int i = 0; i < n; i++) {
        assertThat(p[i]).isNotEqualTo(i);
      }
    }
  }

  @Test
  void criticTrainingRaisesTheBoundOnDependentData() {
    ClassicIbLoss t = term("jsd", 3, 2, 16, 1.0);
    Map<String, INDArray> data = batch(64, 3, 2, 9);
    LossInput in = GradientChecks.input(data, labels(64), 0);
    double before = t.compute(in).diagnostics().get("bound");
    double mi0 = t.compute(in).diagnostics().get("mi");
    for (int i = 0; i < 150; i++) {
      t.compute(in);
      t.update(i, 123.0); // the trainer's rate is ignored: the critic has its own
    }
    LossResult after = t.compute(in);
    assertThat(after.diagnostics().get("bound")).isGreaterThan(before + 0.2);
    assertThat(after.diagnostics().get("mi")).isGreaterThan(mi0 + 0.2);
  }

  @Test
  void stateRestoresCriticAndAdamMomentsExactly() {
    Map<String, INDArray> data = batch(16, 3, 2, 5);
    LossInput in = GradientChecks.input(data, labels(16), 0);
    ClassicIbLoss a = term("nwj", 3, 2, 8, 0.5);
    for (int i = 0; i < 7; i++) {
      a.compute(in);
      a.update(i, 0);
    }
    Map<String, INDArray> saved = new HashMap<>();
    a.state().forEach((k, v) -> saved.put(k, v.dup()));
    assertThat(saved).containsKeys("critic.w1", "adam.m.w1", "adam.v.b2", "adam.step");
    assertThat(saved.get("adam.step").getDouble(0)).isEqualTo(7.0);

    ClassicIbLoss b = term("nwj", 3, 2, 8, 0.5);
    assertThat(b.compute(in).value()).isNotEqualTo(a.compute(in).value());
    b.loadState(saved);
    for (int i = 0; i < 3; i++) {
      LossResult ra = a.compute(in);
      LossResult rb = b.compute(in);
      assertThat(rb.value()).isEqualTo(ra.value());
      assertThat(rb.gradients().get("v")).isEqualTo(ra.gradients().get("v"));
      a.update(7 + i, 0);
      b.update(7 + i, 0);
    }
    a.state().forEach((k, v) -> assertThat(b.state().get(k)).as(k).isEqualTo(v));
  }

  @Test
  void mismatchedStateOrParamsFailNamingTheKey() {
    ClassicIbLoss a = term("jsd", 3, 2, 8, 0.5);
    Map<String, INDArray> s = new HashMap<>(a.state());
    ClassicIbLoss wider = term("jsd", 3, 2, 9, 0.5);
    assertThatThrownBy(() -> wider.loadState(s)).isInstanceOf(IbreidException.class)
        .hasMessageContaining("ib_test").hasMessageContaining("critic.w1");
    s.remove("adam.step");
    assertThatThrownBy(() -> a.loadState(s)).isInstanceOf(IbreidException.class).hasMessageContaining("adam.step");
    assertThatThrownBy(() -> term("mine", 3, 2, 8, 0.5)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("params.estimator = [mine]");
    assertThatThrownBy(() -> term("jsd", 3, 2, 8, -0.5)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("params.beta");
  }
}
