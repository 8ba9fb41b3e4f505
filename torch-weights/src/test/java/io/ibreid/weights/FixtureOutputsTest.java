package io.ibreid.weights;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The fixtures' PyTorch outputs agree with the weights read here, recomputed in plain Java in double: the stem
 * (7x7/2 convolution, batch norm, ReLU, 3x3/2 max-pool), the global average pool, the BN-neck in eval and in
 * training mode, and the classifier. This pins down the fixtures' meaning (layouts, eps, batch statistics) for the
 * ResNet forward tests, and that weights are read in PyTorch's element order.
 */
class FixtureOutputsTest {
  static final double EPS = 1e-5; // PyTorch's batch-norm default
  static final double TOL = 1e-12;

  static double[] d(String name) {
    return Fixtures.npy(name).toDoubleArray();
  }

  @Test
  void shapesAreAsDocumented() {
    assertThat(Fixtures.npy("resnet50-w4/input-f64.npy").shape()).containsExactly(2, 3, 64, 32);
    assertThat(Fixtures.npy("resnet50-w4/eval-f64/stem.npy").shape()).containsExactly(2, 4, 16, 8);
    assertThat(Fixtures.npy("resnet50-w4/eval-f64/layer1.npy").shape()).containsExactly(2, 16, 16, 8);
    assertThat(Fixtures.npy("resnet50-w4/train-f32/layer2.npy").shape()).containsExactly(2, 32, 8, 4);
    assertThat(Fixtures.npy("resnet50-w4/eval-f64/layer3.npy").shape()).containsExactly(2, 64, 4, 2);
    assertThat(Fixtures.npy("resnet50-w4/eval-ls1-f64/layer4.npy").shape()).containsExactly(2, 128, 4, 2);
    assertThat(Fixtures.npy("resnet50-w4/eval-ls2-f64/layer4.npy").shape()).containsExactly(2, 128, 2, 1);
    assertThat(Fixtures.npy("resnet50-w4/train-ls1-f32/pool.npy").shape()).containsExactly(2, 128);
    assertThat(Fixtures.npy("resnet50-w4/train-ls1-f32/pool.npy").dtype()).isEqualTo(DType.F32);
    assertThat(Fixtures.npy("resnet50-w4/eval-ls2-f64/logits.npy").shape()).containsExactly(2, 10);
    assertThat(Fixtures.npy("resnet18-w2/eval-ls2-f64/pool.npy").shape()).containsExactly(2, 16);
  }

  @Test
  void theFloatInputIsTheDoubleOneRounded() {
    double[] x = d("resnet50-w4/input-f64.npy");
    float[] f = Fixtures.npy("resnet50-w4/input-f32.npy").toFloatArray();
    for (int i = 0; i < x.length; i++) {
      assertThat(f[i]).isEqualTo((float) x[i]);
    }
  }

  @Test
  void theStemIsConvolutionBatchNormReluMaxPool() {
    StateDict sd = Fixtures.stateDict("resnet50-w4.pth");
    double[] x = d("resnet50-w4/input-f64.npy");
    double[] w = sd.get("conv1.weight").toDoubleArray(); // [4, 3, 7, 7]
    double[] g = sd.get("bn1.weight").toDoubleArray();
    double[] b = sd.get("bn1.bias").toDoubleArray();
    double[] mean = sd.get("bn1.running_mean").toDoubleArray();
    double[] var = sd.get("bn1.running_var").toDoubleArray();
    int n = 2, c = 4, h = 64, wi = 32, oh = 32, ow = 16;
    double[] conv = new double[n * c * oh * ow];
    for (int s = 0; s < n; s++) {
      for (int o = 0; o < c; o++) {
        for (int y = 0; y < oh; y++) {
          for (int z = 0; z < ow; z++) {
            double acc = 0;
            for (int i = 0; i < 3; i++) {
              for (int ky = 0; ky < 7; ky++) {
                for (int kx = 0; kx < 7; kx++) {
                  int iy = 2 * y - 3 + ky;
                  int ix = 2 * z - 3 + kx;
                  if (iy >= 0 && iy < h && ix >= 0 && ix < wi) {
                    acc += w[((o * 3 + i) * 7 + ky) * 7 + kx] * x[((s * 3 + i) * h + iy) * wi + ix];
                  }
                }
              }
            }
            double bn = (acc - mean[o]) / Math.sqrt(var[o] + EPS) * g[o] + b[o];
            conv[((s * c + o) * oh + y) * ow + z] = Math.max(bn, 0);
          }
        }
      }
    }
    double[] stem = d("resnet50-w4/eval-f64/stem.npy"); // [2, 4, 16, 8]
    for (int s = 0; s < n; s++) {
      for (int o = 0; o < c; o++) {
        for (int y = 0; y < 16; y++) {
          for (int z = 0; z < 8; z++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int ky = -1; ky <= 1; ky++) {
              for (int kx = -1; kx <= 1; kx++) {
                int iy = 2 * y + ky;
                int ix = 2 * z + kx;
                if (iy >= 0 && iy < oh && ix >= 0 && ix < ow) {
                  max = Math.max(max, conv[((s * c + o) * oh + iy) * ow + ix]);
                }
              }
            }
            assertThat(stem[((s * c + o) * 16 + y) * 8 + z]).isCloseTo(max, org.assertj.core.data.Offset.offset(TOL));
          }
        }
      }
    }
  }

  @Test
  void poolNeckAndLogitsFollowFromLayer4() {
    StateDict neck = Fixtures.stateDict("resnet50-w4-neck.safetensors");
    StateDict sd = Fixtures.stateDict("resnet50-w4.safetensors");
    for (String mode : new String[] {"eval", "train"}) {
      for (int ls = 1; ls <= 2; ls++) {
        String dir = "resnet50-w4/" + mode + "-ls" + ls + "-f64/";
        double[] layer4 = d(dir + "layer4.npy");
        double[] pool = d(dir + "pool.npy");
        int cells = layer4.length / pool.length;
        for (int i = 0; i < pool.length; i++) {
          double sum = 0;
          for (int k = 0; k < cells; k++) {
            sum += layer4[i * cells + k];
          }
          assertThat(pool[i]).as(dir + "pool").isCloseTo(sum / cells, org.assertj.core.data.Offset.offset(TOL));
        }
        assertBatchNorm(pool, neck, mode.equals("train"), d(dir + "neck.npy"), dir + "neck");
        double[] fcw = sd.get("fc.weight").toDoubleArray();
        double[] fcb = sd.get("fc.bias").toDoubleArray();
        double[] logits = d(dir + "logits.npy");
        for (int s = 0; s < 2; s++) {
          for (int k = 0; k < 10; k++) {
            double acc = fcb[k];
            for (int j = 0; j < 128; j++) {
              acc += fcw[k * 128 + j] * pool[s * 128 + j];
            }
            assertThat(logits[s * 10 + k]).as(dir + "logits").isCloseTo(acc, org.assertj.core.data.Offset.offset(TOL));
          }
        }
      }
    }
  }

  /** BatchNorm1d over a [2, C] batch: running statistics, or the batch's mean and biased variance. */
  static void assertBatchNorm(double[] x, StateDict bn, boolean train, double[] expected, String what) {
    double[] g = bn.get("weight").toDoubleArray();
    double[] b = bn.get("bias").toDoubleArray();
    double[] mean = bn.get("running_mean").toDoubleArray();
    double[] var = bn.get("running_var").toDoubleArray();
    int c = g.length;
    for (int j = 0; j < c; j++) {
      double m = train ? (x[j] + x[c + j]) / 2 : mean[j];
      double v = train ? ((x[j] - m) * (x[j] - m) + (x[c + j] - m) * (x[c + j] - m)) / 2 : var[j];
      for (int s = 0; s < 2; s++) {
        double y = (x[s * c + j] - m) / Math.sqrt(v + EPS) * g[j] + b[j];
        assertThat(expected[s * c + j]).as(what).isCloseTo(y, org.assertj.core.data.Offset.offset(1e-9));
      }
    }
  }
}
