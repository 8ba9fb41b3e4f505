package io.ibreid.eval.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Probes on features whose answer is known: a factor plus noise is found, a random feature is at chance. */
class LinearProbeTest {
  private static final int N = 600;

  /** 20 columns: the first carries {@code signal} (times {@code strength}), the rest are Gaussian noise. */
  private static Matrix features(double[][] signal, double strength, long seed) {
    Random r = new Random(seed);
    int d = 20;
    double[][] x = new double[signal.length][d];
    for (int i = 0; i < signal.length; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = r.nextGaussian();
      }
      for (int j = 0; j < signal[i].length; j++) {
        x[i][j] = strength * signal[i][j] + 0.1 * r.nextGaussian();
      }
    }
    return Matrix.of(x);
  }

  private static boolean[] halves(int n, long seed) {
    Random r = new Random(seed);
    boolean[] b = new boolean[n];
    for (int i = 0; i < n; i++) {
      b[i] = r.nextBoolean();
    }
    return b;
  }

  @Test
  void aCategoricalFactorPlusNoiseIsFoundAndARandomFeatureIsAtChance() {
    Random r = new Random(1);
    int k = 5;
    int[] labels = new int[N];
    double[][] onehot = new double[N][k];
    for (int i = 0; i < N; i++) {
      labels[i] = r.nextInt(k);
      onehot[i][labels[i]] = 1;
    }
    boolean[] fit = halves(N, 2);
    boolean[] inner = halves(N, 3);
    LinearProbe probe = new LinearProbe();
    LinearProbe.Score found = probe.categorical(features(onehot, 1, 4), labels, fit, inner);
    assertThat(found.metric()).isEqualTo("accuracy");
    assertThat(found.value()).isGreaterThan(0.98);
    assertThat(found.chance()).isBetween(0.12, 0.3);
    assertThat(found.normalised()).isGreaterThan(0.97);
    LinearProbe.Score random = probe.categorical(features(new double[N][0], 0, 5), labels, fit, inner);
    // 5 balanced classes, ~300 scored images: chance 0.2 +- 0.023 (one s.d.); the probe sits near it
    assertThat(random.value()).isBetween(0.12, 0.30);
    assertThat(random.normalised()).isLessThan(0.1);
  }

  @Test
  void aContinuousFactorPlusNoiseIsFoundAndARandomFeatureGivesNoR2() {
    Random r = new Random(7);
    double[][] values = new double[N][2];
    for (int i = 0; i < N; i++) {
      values[i][0] = r.nextDouble();
      values[i][1] = 3 * r.nextGaussian();
    }
    boolean[] fit = halves(N, 8);
    boolean[] inner = halves(N, 9);
    LinearProbe probe = new LinearProbe();
    LinearProbe.Score found = probe.continuous(features(values, 2, 10), values, fit, inner);
    assertThat(found.metric()).isEqualTo("r2");
    assertThat(found.value()).isGreaterThan(0.98);
    LinearProbe.Score random = probe.continuous(features(new double[N][0], 0, 11), values, fit, inner);
    assertThat(random.value()).isBetween(-0.1, 0.05);
    assertThat(random.normalised()).isLessThan(0.05);
  }

  @Test
  void theSameInputsGiveTheSameScores() {
    Random r = new Random(12);
    int[] labels = new int[N];
    double[][] signal = new double[N][1];
    for (int i = 0; i < N; i++) {
      labels[i] = r.nextInt(3);
      signal[i][0] = labels[i];
    }
    boolean[] fit = halves(N, 13);
    boolean[] inner = halves(N, 14);
    LinearProbe.Score a = new LinearProbe().categorical(features(signal, 0.3, 15), labels, fit, inner);
    LinearProbe.Score b = new LinearProbe().categorical(features(signal, 0.3, 15), labels, fit, inner);
    assertThat(b).isEqualTo(a);
  }
}
