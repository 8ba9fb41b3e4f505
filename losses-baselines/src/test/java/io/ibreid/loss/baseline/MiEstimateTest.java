package io.ibreid.loss.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.loss.LossInput;
import io.ibreid.core.testing.GradientChecks;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The critic's MI estimate on a Gaussian pair with known mutual information: v ~ N(0, I_2),
 * z = ρ v + √(1−ρ²) n, so I(v;z) = −ln(1 − ρ²) nats (two independent dimensions). A fresh critic is trained
 * through the term's own compute/update for each ρ on fresh batches, then evaluated on held-out batches.
 */
class MiEstimateTest {
  private static final Logger LOG = LoggerFactory.getLogger(MiEstimateTest.class);
  private static final int DIM = 2;
  private static final int BATCH = 128;
  private static final int STEPS = 500;

  @BeforeAll
  static void doublePrecision() {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  private static LossInput sample(Random r, double rho, int n, long iteration) {
    double[][] v = new double[n][DIM];
    double[][] z = new double[n][DIM];
    double s = Math.sqrt(1 - rho * rho);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < DIM; j++) {
        v[i][j] = r.nextGaussian();
        z[i][j] = rho * v[i][j] + s * r.nextGaussian();
      }
    }
    int[] labels = new int[n];
    Map<String, INDArray> arrays = Map.of("v", Nd4j.create(v), "z", Nd4j.create(z),
        "z_logits", Nd4j.zeros(DataType.DOUBLE, n, 2));
    return GradientChecks.input(arrays, Map.of("v", labels, "z", labels, "z_logits", labels), iteration);
  }

  private static double estimate(double rho, int steps) {
    ClassicIbLoss.Params p = new ClassicIbLoss.Params();
    p.hidden = 32;
    p.criticLr = 5e-3;
    ClassicIbLoss term = new ClassicIbLoss(p, DIM, DIM, 11, "ib_gauss");
    Random r = new Random(Double.doubleToLongBits(rho));
    for (int i = 0; i < steps; i++) {
      term.compute(sample(r, rho, BATCH, i));
      term.update(i, 0);
    }
    double sum = 0;
    int evals = 20;
    for (int i = 0; i < evals; i++) {
      sum += term.compute(sample(r, rho, 512, steps + i)).diagnostics().get("mi");
    }
    return sum / evals;
  }

  @Test
  void estimateRisesWithTheTrueDependence() {
    double[] rhos = {0.0, 0.5, 0.8, 0.95};
    double[] est = new double[rhos.length];
    StringBuilder report = new StringBuilder();
    for (int k = 0; k < rhos.length; k++) {
      double truth = -DIM / 2.0 * Math.log(1 - rhos[k] * rhos[k]);
      est[k] = estimate(rhos[k], STEPS);
      report.append(String.format("rho %.2f: true %.3f nats, estimate %.3f, bias %+.3f%n", rhos[k], truth, est[k],
          est[k] - truth));
    }
    LOG.info("MI critic (jsd-trained, {} steps of batch {}, DV read-out on 20 x 512 held-out pairs):\n{}", STEPS,
        BATCH, report);
    for (int k = 1; k < rhos.length; k++) {
      assertThat(est[k]).as(report.toString()).isGreaterThan(est[k - 1] + 0.1);
    }
    assertThat(Math.abs(est[0])).as(report.toString()).isLessThan(0.1);
    double truthHigh = -Math.log(1 - 0.95 * 0.95);
    assertThat(est[3]).as(report.toString()).isBetween(0.5 * truthHigh, 1.2 * truthHigh);
  }
}
