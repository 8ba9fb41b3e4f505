package io.ibreid.eval.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The probes' solvers against independent computations of the same optimum. */
class SolversTest {
  private static Matrix matrix(double[][] x) {
    return Matrix.of(x);
  }

  /**
   * Multinomial logistic regression: the L-BFGS fit equals the minimiser found by Newton's method, written here
   * independently in plain Java (gradient and Hessian of the same objective, bias unpenalised), to 1e-5; and the
   * gradient at the fit is zero.
   */
  @Test
  void logisticRegressionMatchesNewtonsMethod() {
    Random r = new Random(3);
    int n = 60;
    int d = 2;
    int k = 3;
    double[][] x = new double[n][d];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % k;
      x[i][0] = (y[i] == 1 ? 1.0 : 0.0) + r.nextGaussian();
      x[i][1] = (y[i] == 2 ? 1.2 : -0.3) + r.nextGaussian();
    }
    double lambda = 0.05;
    LogisticRegression.Model m = LogisticRegression.fit(matrix(x), y, k, lambda, new Lbfgs(10, 500, 1e-10));
    double[] newton = newton(x, y, k, lambda);
    double[] fitted = new double[d * k + k];
    System.arraycopy(m.weights(), 0, fitted, 0, d * k);
    System.arraycopy(m.biases(), 0, fitted, d * k, k);
    // the biases are determined up to a common constant (softmax is shift-invariant); compare centred biases
    centreBiases(fitted, d * k, k);
    centreBiases(newton, d * k, k);
    for (int i = 0; i < fitted.length; i++) {
      assertThat(fitted[i]).as("parameter " + i).isCloseTo(newton[i], within(1e-5));
    }
    assertThat(m.gradientNorm()).isLessThan(1e-8);
  }

  /** The plain-Java and the ND4J objective (small and large problems) give the same value and gradient. */
  @Test
  void javaAndNd4jObjectivesAgree() {
    Random r = new Random(11);
    int n = 40;
    int d = 7;
    int k = 4;
    double[][] x = new double[n][d];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = r.nextGaussian();
      }
      y[i] = r.nextInt(k);
    }
    double[] theta = new double[d * k + k];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = 0.3 * r.nextGaussian();
    }
    double[] g1 = new double[theta.length];
    double[] g2 = new double[theta.length];
    double v1 = LogisticRegression.javaObjective(matrix(x), y, k, 0.07).evaluate(theta, g1);
    double v2 = LogisticRegression.nd4jObjective(matrix(x), y, k, 0.07).evaluate(theta, g2);
    assertThat(v1).isCloseTo(v2, within(1e-12));
    for (int i = 0; i < theta.length; i++) {
      assertThat(g1[i]).as("gradient " + i).isCloseTo(g2[i], within(1e-12));
    }
    // and the gradient is the objective's: central differences
    for (int i = 0; i < theta.length; i += 5) {
      double[] plus = theta.clone();
      double[] minus = theta.clone();
      plus[i] += 1e-6;
      minus[i] -= 1e-6;
      double numeric = (LogisticRegression.javaObjective(matrix(x), y, k, 0.07).evaluate(plus, new double[theta
          .length]) - LogisticRegression.javaObjective(matrix(x), y, k, 0.07).evaluate(minus, new double[theta
          .length])) / 2e-6;
      assertThat(g1[i]).as("finite difference " + i).isCloseTo(numeric, within(1e-7));
    }
  }

  private static void centreBiases(double[] theta, int from, int k) {
    double mean = 0;
    for (int c = 0; c < k; c++) {
      mean += theta[from + c] / k;
    }
    for (int c = 0; c < k; c++) {
      theta[from + c] -= mean;
    }
  }

  /** Newton's method on the same objective, in plain Java; parameters W (d x k, row-major) then b (k). */
  static double[] newton(double[][] x, int[] y, int k, double lambda) {
    int n = x.length;
    int d = x[0].length;
    int p = d * k + k;
    double[] theta = new double[p];
    for (int it = 0; it < 100; it++) {
      double[] g = new double[p];
      double[][] h = new double[p][p];
      for (int i = 0; i < n; i++) {
        double[] feat = new double[d + 1];
        System.arraycopy(x[i], 0, feat, 0, d);
        feat[d] = 1;
        double[] z = new double[k];
        for (int c = 0; c < k; c++) {
          for (int j = 0; j < d; j++) {
            z[c] += x[i][j] * theta[j * k + c];
          }
          z[c] += theta[d * k + c];
        }
        double max = Math.max(z[0], Math.max(z[1], z[2]));
        double sum = 0;
        double[] prob = new double[k];
        for (int c = 0; c < k; c++) {
          prob[c] = Math.exp(z[c] - max);
          sum += prob[c];
        }
        for (int c = 0; c < k; c++) {
          prob[c] /= sum;
        }
        for (int c = 0; c < k; c++) {
          double res = prob[c] - (y[i] == c ? 1 : 0);
          for (int j = 0; j <= d; j++) {
            int a = j < d ? j * k + c : d * k + c;
            g[a] += res * feat[j] / n;
            for (int c2 = 0; c2 < k; c2++) {
              double hw = prob[c] * ((c == c2 ? 1 : 0) - prob[c2]);
              for (int j2 = 0; j2 <= d; j2++) {
                int b = j2 < d ? j2 * k + c2 : d * k + c2;
                h[a][b] += hw * feat[j] * feat[j2] / n;
              }
            }
          }
        }
      }
      for (int a = 0; a < d * k; a++) {
        g[a] += lambda * theta[a];
        h[a][a] += lambda;
      }
      for (int a = d * k; a < p; a++) {
        h[a][a] += 1e-9; // the bias directions along (1,...,1) are flat; a tiny ridge makes the system solvable
      }
      double[] step = gauss(h, g);
      for (int a = 0; a < p; a++) {
        theta[a] -= step[a];
      }
    }
    return theta;
  }

  /** Solves a x = b by Gaussian elimination with partial pivoting. */
  static double[] gauss(double[][] a0, double[] b0) {
    int m = b0.length;
    double[][] a = new double[m][];
    for (int i = 0; i < m; i++) {
      a[i] = a0[i].clone();
    }
    double[] b = b0.clone();
    for (int c = 0; c < m; c++) {
      int piv = c;
      for (int i = c + 1; i < m; i++) {
        if (Math.abs(a[i][c]) > Math.abs(a[piv][c])) {
          piv = i;
        }
      }
      double[] t = a[c];
      a[c] = a[piv];
      a[piv] = t;
      double tb = b[c];
      b[c] = b[piv];
      b[piv] = tb;
      for (int i = c + 1; i < m; i++) {
        double f = a[i][c] / a[c][c];
        for (int j = c; j < m; j++) {
          a[i][j] -= f * a[c][j];
        }
        b[i] -= f * b[c];
      }
    }
    double[] x = new double[m];
    for (int i = m - 1; i >= 0; i--) {
      double s = b[i];
      for (int j = i + 1; j < m; j++) {
        s -= a[i][j] * x[j];
      }
      x[i] = s / a[i][i];
    }
    return x;
  }

  /** One feature, one output: the ridge weight is sum(xy) / (sum(x^2) + n lambda), by hand. */
  @Test
  void ridgeOnOneFeatureIsTheHandFormula() {
    double[][] x = {{1}, {-2}, {3}, {0.5}};
    double[][] y = {{2}, {-3}, {7}, {1}};
    double lambda = 0.25;
    Matrix xs = matrix(x);
    double[][] w = RidgeRegression.fit(xs, y, RidgeRegression.gram(xs), lambda);
    double sxy = 1 * 2 + -2 * -3 + 3 * 7 + 0.5 * 1;
    double sxx = 1 + 4 + 9 + 0.25;
    assertThat(w[0][0]).isCloseTo(sxy / (sxx + 4 * lambda), within(1e-12));
  }

  /** The primal (d <= n) and the dual (d > n) forms give the same weights as a direct solve of the normal equations. */
  @Test
  void ridgePrimalAndDualAgreeWithTheNormalEquations() {
    Random r = new Random(5);
    for (int[] shape : new int[][] {{20, 5}, {6, 15}}) {
      int n = shape[0];
      int d = shape[1];
      double[][] x = new double[n][d];
      double[][] y = new double[n][2];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          x[i][j] = r.nextGaussian();
        }
        y[i][0] = r.nextGaussian();
        y[i][1] = r.nextGaussian();
      }
      double lambda = 0.3;
      Matrix xs = matrix(x);
      double[][] w = RidgeRegression.fit(xs, y, RidgeRegression.gram(xs), lambda);
      // normal equations (X'X + n lambda I) W = X'Y, solved by Gaussian elimination
      double[][] a = new double[d][d];
      double[][] rhs = new double[d][2];
      for (int p = 0; p < d; p++) {
        for (int q = 0; q < d; q++) {
          for (int i = 0; i < n; i++) {
            a[p][q] += x[i][p] * x[i][q];
          }
        }
        a[p][p] += n * lambda;
        for (int i = 0; i < n; i++) {
          rhs[p][0] += x[i][p] * y[i][0];
          rhs[p][1] += x[i][p] * y[i][1];
        }
      }
      for (int o = 0; o < 2; o++) {
        double[] col = new double[d];
        for (int p = 0; p < d; p++) {
          col[p] = rhs[p][o];
        }
        double[] ref = gauss(a, col);
        for (int p = 0; p < d; p++) {
          assertThat(w[p][o]).as(n + "x" + d + " w[" + p + "," + o + "]").isCloseTo(ref[p],
              within(1e-9));
        }
      }
    }
  }

  /** Cholesky: L L' reproduces the matrix. */
  @Test
  void choleskyFactorsASymmetricPositiveDefiniteMatrix() {
    double[][] a = {{4, 2, 0.4}, {2, 5, 1}, {0.4, 1, 3}};
    double[][] l = RidgeRegression.cholesky(a);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
          s += l[i][k] * l[j][k];
        }
        assertThat(s).isCloseTo(a[i][j], within(1e-12));
      }
    }
  }
}
