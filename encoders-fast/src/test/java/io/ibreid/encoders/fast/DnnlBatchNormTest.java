package io.ibreid.encoders.fast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ibreid.core.natives.NativeRuntime;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link DnnlBatchNorm} against batch normalisation written out in double precision from the same float inputs:
 * μ and σ² per channel over N·H·W, y = γ(x − μ)/√(σ² + ε) + β, then (fused) max(0, y); and its backward
 * dβ = Σ g, dγ = Σ g·x̂, dx = γ/√(σ² + ε)·(g − dβ/M − x̂·dγ/M) with g the gradient after the ReLU's mask.
 */
class DnnlBatchNormTest {
  @ParameterizedTest(name = "relu fused: {0}")
  @ValueSource(booleans = {false, true})
  void matchesTheFormulasInDoublePrecision(boolean relu) {
    assumeThat(NativeRuntime.dnnlLoaded()).as("oneDNN's binding loaded").isTrue();
    int n = 3;
    int h = 5;
    int w = 4;
    int c = 6;
    double eps = 1e-5;
    Nd4j.getRandom().setSeed(9);
    INDArray x = Nd4j.rand(DataType.FLOAT, n, h, w, c).muli(2).addi(0.3);
    INDArray gamma = Nd4j.rand(DataType.FLOAT, c).addi(0.5);
    INDArray beta = Nd4j.rand(DataType.FLOAT, c).subi(0.5);
    INDArray g = Nd4j.rand(DataType.FLOAT, n, h, w, c).subi(0.5);
    INDArray y = Nd4j.create(DataType.FLOAT, x.shape());
    INDArray mean = Nd4j.create(DataType.FLOAT, 1, c);
    INDArray var = Nd4j.create(DataType.FLOAT, 1, c);
    INDArray dx = Nd4j.create(DataType.FLOAT, x.shape());
    INDArray dGamma = Nd4j.create(DataType.FLOAT, c);
    INDArray dBeta = Nd4j.create(DataType.FLOAT, c);
    try (engine eng = new engine(engine.kind.cpu, 0); stream strm = new stream(eng);
        DnnlBatchNorm bn = new DnnlBatchNorm(n, c, h, w, eps, relu, eng, strm)) {
      bn.forward(x, gamma, beta, y, mean, var);
      bn.backward(x, gamma, beta, mean, var, g, dx, dGamma, dBeta);
    }
    // the reference, on the M×C matrix in double precision
    int m = n * h * w;
    INDArray xd = x.castTo(DataType.DOUBLE).reshape(m, c);
    INDArray mu = xd.mean(0);
    INDArray xc = xd.subRowVector(mu);
    INDArray sigma2 = xc.mul(xc).mean(0);
    INDArray inv = Transforms.pow(sigma2.add(eps), -0.5);
    INDArray xhat = xc.mulRowVector(inv);
    INDArray gd = gamma.castTo(DataType.DOUBLE);
    INDArray yd = xhat.mulRowVector(gd).addRowVector(beta.castTo(DataType.DOUBLE));
    INDArray gg = g.castTo(DataType.DOUBLE).reshape(m, c);
    if (relu) {
      gg = gg.mul(yd.gt(0).castTo(DataType.DOUBLE));
      yd = Transforms.relu(yd);
    }
    INDArray dBetaRef = gg.sum(0);
    INDArray dGammaRef = gg.mul(xhat).sum(0);
    INDArray dxRef = gg.subRowVector(dBetaRef.div(m)).sub(xhat.mulRowVector(dGammaRef.div(m)))
        .mulRowVector(gd.mul(inv));
    close("mean", mean.reshape(c), mu);
    close("variance (biased)", var.reshape(c), sigma2);
    close("y", y.reshape(m, c), yd);
    close("dβ", dBeta, dBetaRef);
    close("dγ", dGamma, dGammaRef);
    close("dx", dx.reshape(m, c), dxRef);
  }

  private static void close(String what, INDArray actual, INDArray expected) {
    double scale = Math.max(1e-12, expected.amaxNumber().doubleValue());
    double err = actual.castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue() / scale;
    assertThat(err).as("%s: max |oneDNN − reference| / max |reference|", what).isLessThan(1e-5);
  }
}
