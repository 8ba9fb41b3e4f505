package io.ibreid.encoders.fast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ibreid.core.natives.NativeRuntime;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link DnnlMaxPool} against libnd4j's {@code maxpool2d}/{@code maxpool2d_bp} computed in double precision from the
 * same float inputs: the maxima are the same numbers, and so is the gradient up to float rounding of the sums where
 * windows overlap; repeated calls give identical results.
 */
class DnnlMaxPoolTest {
  @ParameterizedTest(name = "c{0} {1}x{2}, k{3} s{4} p{5}")
  @CsvSource({"8, 16, 8, 3, 2, 1", "3, 7, 5, 3, 2, 1", "16, 8, 4, 2, 2, 0", "4, 9, 9, 3, 1, 1", "5, 6, 6, 3, 3, 0"})
  void matchesLibnd4j(int c, int h, int w, int k, int s, int p) {
    assumeThat(NativeRuntime.dnnlLoaded()).as("oneDNN's binding loaded").isTrue();
    int n = 6;
    PoolUnit u = new PoolUnit("pool", c, k, s, p, h, w);
    Nd4j.getRandom().setSeed(5);
    INDArray x = Nd4j.rand(DataType.FLOAT, n, h, w, c).subi(0.5);
    INDArray dy = Nd4j.rand(DataType.FLOAT, n, u.outH(), u.outW(), c).subi(0.5);
    INDArray[] first = null;
    try (engine eng = new engine(engine.kind.cpu, 0); stream strm = new stream(eng);
        DnnlMaxPool pool = new DnnlMaxPool(u, n, eng, strm)) {
      for (int rep = 0; rep < 3; rep++) {
        INDArray y = Nd4j.create(DataType.FLOAT, dy.shape());
        INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
        pool.forward(x, y);
        pool.backward(dy, dx);
        if (first == null) {
          first = new INDArray[] {y, dx};
        } else {
          assertThat(y).as("y, call %d", rep).isEqualTo(first[0]);
          assertThat(dx).as("dx, call %d", rep).isEqualTo(first[1]);
        }
      }
    }
    MaxPooling ref = new Libnd4jMaxPooling(u, Layout.NHWC);
    INDArray xd = x.castTo(DataType.DOUBLE);
    INDArray yRef = Nd4j.create(DataType.DOUBLE, dy.shape());
    ref.forward(xd, yRef, true);
    INDArray dxRef = Nd4j.create(DataType.DOUBLE, x.shape());
    ref.backward(xd, yRef, dy.castTo(DataType.DOUBLE), dxRef);
    assertThat(first[0].castTo(DataType.DOUBLE)).as("y").isEqualTo(yRef);
    double err = first[1].castTo(DataType.DOUBLE).sub(dxRef).amaxNumber().doubleValue()
        / dxRef.amaxNumber().doubleValue();
    assertThat(err).as("dx: max |oneDNN − libnd4j (double)| / max |libnd4j|").isLessThan(1e-6);
  }
}
