package io.ibreid.loss.crossview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ibreid.core.ConfigException;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.testing.GradientChecks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The release's Sinkhorn mutual-learning term: a 2x2 plan in closed form, optimal-assignment limit, gradients. */
class SinkhornMutualLearningTest {
  static final List<Slot> SLOTS = new SinkhornMutualLearning.Factory().slots(new SinkhornMutualLearning.Params());

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  static SinkhornMutualLearning term(double eps) {
    SinkhornMutualLearning.Params p = new SinkhornMutualLearning.Params();
    p.epsilon = eps;
    p.maxIterations = 1000;
    p.tolerance = 1e-14;
    return new SinkhornMutualLearning(p);
  }

  static LossResult run(SinkhornMutualLearning t, INDArray p, INDArray q) {
    return t.compute(GradientChecks.input(Map.of("p", p, "q", q), Map.of(), 0));
  }

  @Test
  void twoByTwoPlanInClosedForm() {
    // With marginals (1/2, 1/2) the plan is [[x, 1/2-x], [1/2-x, x]]; the entropic optimum has
    // x / (1/2 - x) = exp(-D / (2 eps)), D = C11 + C22 - C12 - C21, so x = (1/2) e / (1 + e).
    double[][] c = {{0.1, 0.7}, {0.4, 0.2}};
    double eps = 0.25;
    SinkhornMutualLearning.Plan plan = SinkhornMutualLearning.plan(c, eps, 10_000, 1e-15);
    double e = Math.exp(-(0.1 + 0.2 - 0.7 - 0.4) / (2 * eps));
    double x = 0.5 * e / (1 + e);
    assertThat(plan.pi()[0][0]).isCloseTo(x, within(1e-12));
    assertThat(plan.pi()[1][1]).isCloseTo(x, within(1e-12));
    assertThat(plan.pi()[0][1]).isCloseTo(0.5 - x, within(1e-12));
    // and its cost gradient against finite differences of <pi*(C), C>
    double[][] g = SinkhornMutualLearning.costGradient(c, plan.pi(), eps);
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        double h = 1e-6;
        double[][] up = {c[0].clone(), c[1].clone()};
        double[][] down = {c[0].clone(), c[1].clone()};
        up[i][j] += h;
        down[i][j] -= h;
        double numeric = (cost(up, eps) - cost(down, eps)) / (2 * h);
        assertThat(g[i][j]).as("dL/dC[%d][%d]", i, j).isCloseTo(numeric, within(1e-7));
      }
    }
  }

  private static double cost(double[][] c, double eps) {
    double[][] pi = SinkhornMutualLearning.plan(c, eps, 10_000, 1e-15).pi();
    double v = 0;
    for (int i = 0; i < c.length; i++) {
      for (int j = 0; j < c[i].length; j++) {
        v += pi[i][j] * c[i][j];
      }
    }
    return v;
  }

  @Test
  void aPermutationOfTheSamePredictionsCostsNothingAsEpsilonVanishes() {
    INDArray p = Nd4j.create(new double[][] {{4, 0, 0}, {0, 4, 0}, {0, 0, 4}, {2, 2, -3}});
    INDArray q = Nd4j.create(new double[][] {{0, 0, 4}, {2, 2, -3}, {4, 0, 0}, {0, 4, 0}});
    assertThat(run(term(0.01), p, q).value()).isCloseTo(0, within(1e-9));
    // the same rows in the same order: also zero; a real mismatch costs about the squared distance
    assertThat(run(term(0.01), p, p).value()).isCloseTo(0, within(1e-9));
    INDArray far = Nd4j.create(new double[][] {{30, 0, 0}, {30, 0, 0}, {30, 0, 0}, {30, 0, 0}});
    INDArray other = Nd4j.create(new double[][] {{0, 30, 0}, {0, 30, 0}, {0, 30, 0}, {0, 30, 0}});
    assertThat(run(term(0.01), far, other).value()).isCloseTo(2, within(1e-9));
  }

  @Test
  void gradientMatchesFiniteDifferencesOnBothSides() {
    Nd4j.getRandom().setSeed(3);
    for (double eps : new double[] {0.5, 0.1}) {
      GradientChecks.Report r = GradientChecks.checkTerm(term(eps), SLOTS,
          Map.of("p", Nd4j.randn(DataType.DOUBLE, 5, 4).muli(2), "q", Nd4j.randn(DataType.DOUBLE, 6, 4).muli(2)),
          Map.of(), 1e-6);
      assertThat(r.checked()).isEqualTo(44);
      assertThat(r.maxRelativeError()).as("eps %s: %s", eps, r.worst()).isLessThan(1e-6);
      assertThat(r.gradientReturned()).containsEntry("p", true).containsEntry("q", true);
    }
  }

  @Test
  void theReleasesEpsilonConvergesOnPeakedPredictions() {
    // eight identities x four images, confident predictions: the release's epsilon 0.01 and the default tolerance
    Nd4j.getRandom().setSeed(5);
    INDArray p = Nd4j.zeros(DataType.DOUBLE, 32, 40);
    INDArray q = Nd4j.zeros(DataType.DOUBLE, 32, 40);
    for (int i = 0; i < 32; i++) {
      p.putScalar(i, i / 4, 6);
      q.putScalar(i, i / 4, 5);
    }
    p.addi(Nd4j.randn(DataType.DOUBLE, 32, 40));
    q.addi(Nd4j.randn(DataType.DOUBLE, 32, 40));
    LossResult r = run(new SinkhornMutualLearning(new SinkhornMutualLearning.Params()), p, q);
    assertThat(r.diagnostics().get("marginalError")).isLessThan(1e-12);
    assertThat(r.diagnostics().get("iterations")).isLessThan(200);
    assertThat(r.value()).isGreaterThan(0).isLessThan(2);
  }

  @Test
  void badParametersAndShapesAreNamed() {
    SinkhornMutualLearning.Params p = new SinkhornMutualLearning.Params();
    p.epsilon = 0;
    assertThatThrownBy(() -> new SinkhornMutualLearning(p)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("sinkhorn: params.epsilon");
    assertThatThrownBy(() -> run(term(0.1), Nd4j.zeros(DataType.DOUBLE, 2, 3), Nd4j.zeros(DataType.DOUBLE, 2, 4)))
        .hasMessageContaining("same classes");
    assertThatThrownBy(() -> new SinkhornMutualLearning.Factory().defaultInputs("visible",
        new SinkhornMutualLearning.Params())).isInstanceOf(ConfigException.class).hasMessageContaining("inputs.p");
  }
}
