package io.ibreid.encoders.fast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * libnd4j's max pooling as {@link Libnd4jMaxPooling} calls it: a hand-computed case with padding that must never
 * win (all inputs negative), in both layouts, and the gradient against finite differences in double precision.
 */
class MaxPoolingTest {
  /** x[i][j] = −(4i + j) − 1 on a 4×4 map, so the top-left of every window is its maximum. */
  static INDArray negativeRamp(Layout layout) {
    INDArray x = Nd4j.create(DataType.DOUBLE, layout.shape(1, 1, 4, 4));
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        double v = -(4 * i + j) - 1;
        if (layout == Layout.NHWC) {
          x.putScalar(new long[] {0, i, j, 0}, v);
        } else {
          x.putScalar(new long[] {0, 0, i, j}, v);
        }
      }
    }
    return x;
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void torchvisionsStemPoolingOnAHandCase(Layout layout) {
    PoolUnit u = new PoolUnit("pool", 1, 3, 2, 1, 4, 4);
    assertThat(u.outH()).isEqualTo(2);
    assertThat(u.outW()).isEqualTo(2);
    INDArray x = negativeRamp(layout);
    INDArray y = Nd4j.create(DataType.DOUBLE, layout.shape(1, 1, 2, 2));
    MaxPooling pool = new Libnd4jMaxPooling(u, layout);
    pool.forward(x, y, true);
    // windows (rows × cols, padding outside 0..3): [0,1]×[0,1], [0,1]×[1,3], [1,3]×[0,1], [1,3]×[1,3]; their
    // maxima are the top-left cells x[0][0], x[0][1], x[1][0], x[1][1] (a padded 0 would win if it counted)
    assertThat(y.reshape(4).toDoubleVector()).containsExactly(-1, -2, -5, -6);
    INDArray dy = Nd4j.create(new double[] {1, 10, 100, 1000}, layout.shape(1, 1, 2, 2));
    INDArray dx = Nd4j.create(DataType.DOUBLE, x.shape());
    pool.backward(x, y, dy, dx);
    double[] expected = new double[16];
    expected[0] = 1;
    expected[1] = 10;
    expected[4] = 100;
    expected[5] = 1000;
    assertThat(dx.reshape(16).toDoubleVector()).containsExactly(expected);
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void gradientMatchesFiniteDifferences(Layout layout) {
    PoolUnit u = new PoolUnit("pool", 3, 3, 2, 1, 7, 6);
    MaxPooling pool = new Libnd4jMaxPooling(u, layout);
    Nd4j.getRandom().setSeed(12);
    INDArray x = Nd4j.rand(DataType.DOUBLE, layout.shape(2, 3, 7, 6)).subi(0.5);
    INDArray r = Nd4j.rand(DataType.DOUBLE, layout.shape(2, 3, u.outH(), u.outW())).subi(0.5);
    INDArray y = Nd4j.create(DataType.DOUBLE, r.shape());
    pool.forward(x, y, true);
    INDArray dx = Nd4j.create(DataType.DOUBLE, x.shape());
    pool.backward(x, y, r, dx);
    // L = Σ r·pool(x); central differences at every input
    double h = 1e-6;
    double worst = 0;
    INDArray flat = x.reshape(x.length());
    INDArray grad = dx.reshape(dx.length());
    for (long i = 0; i < flat.length(); i++) {
      double v = flat.getDouble(i);
      flat.putScalar(i, v + h);
      double plus = loss(pool, x, r);
      flat.putScalar(i, v - h);
      double minus = loss(pool, x, r);
      flat.putScalar(i, v);
      worst = Math.max(worst, Math.abs((plus - minus) / (2 * h) - grad.getDouble(i)));
    }
    assertThat(worst).as("max |numeric − analytic| over %d inputs", flat.length()).isLessThan(1e-8);
    assertThat(Transforms.abs(dx).sumNumber().doubleValue()).as("some gradient reached the input").isGreaterThan(1);
  }

  private static double loss(MaxPooling pool, INDArray x, INDArray r) {
    INDArray y = Nd4j.create(DataType.DOUBLE, r.shape());
    pool.forward(x, y, true);
    return y.mul(r).sumNumber().doubleValue();
  }

  @Test
  void refusesPaddingWiderThanHalfTheKernel() {
    assertThatThrownBy(() -> new PoolUnit("pool", 1, 3, 2, 2, 8, 8)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pad 2");
  }
}
