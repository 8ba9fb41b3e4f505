package io.ibreid.eval.probe;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multinomial logistic regression with an L2 penalty on the weights (not on the biases), fitted by
 * {@link Lbfgs} on the whole batch; the matrix products run in ND4J (double precision). The objective is
 * <pre>  (1/n) sum_i [ log sum_k exp(x_i w_k + b_k) - (x_i w_{y_i} + b_{y_i}) ] + (lambda/2) ||W||^2</pre>
 * which is strictly convex for lambda &gt; 0, so the fit is the unique minimiser whatever the start (zeros).
 */
final class LogisticRegression {
  /** A fitted model: weights d x K (row-major) and K biases. */
  record Model(int dim, int classes, double[] weights, double[] biases, int iterations, double gradientNorm) {
    /** The most probable class of every row of {@code x} (ties: the lowest class). */
    int[] predict(Matrix x) {
      double[] z = x.times(weights, classes, biases);
      int[] out = new int[x.rows()];
      for (int i = 0; i < out.length; i++) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
          if (z[i * classes + c] > z[i * classes + best]) {
            best = c;
          }
        }
        out[i] = best;
      }
      return out;
    }
  }

  private LogisticRegression() {}

  /**
   * Problems with n x d x K up to this size are computed in plain Java, larger ones with ND4J's matrix products.
   * Measured on 2 shared cores (n 1440, d 512): K = 4 Java 8-24 ms per evaluation, ND4J 59-75 ms (each ND4J call
   * has a fixed cost); K = 96 Java 137-156 ms, ND4J 75-100 ms.
   */
  static final long JAVA_LIMIT = 20_000_000L;

  /**
   * Fits labels {@code y} (0..classes-1) from the rows of {@code x} (n x d, double precision), starting from
   * {@code start} (weights then biases; null = zeros).
   *
   * @param lambda L2 penalty on the weights
   */
  static Model fit(Matrix x, int[] y, int classes, double lambda, Lbfgs solver, double[] start) {
    int n = x.rows();
    int d = x.cols();
    Lbfgs.Objective f = (long) n * d * classes <= JAVA_LIMIT ? javaObjective(x, y, classes, lambda)
        : nd4jObjective(x, y, classes, lambda);
    Lbfgs.Result r = solver.minimise(f, start != null ? start : new double[d * classes + classes]);
    double[] w = new double[d * classes];
    double[] b = new double[classes];
    System.arraycopy(r.x(), 0, w, 0, w.length);
    System.arraycopy(r.x(), w.length, b, 0, classes);
    return new Model(d, classes, w, b, r.iterations(), r.gradientNorm());
  }

  static Model fit(Matrix x, int[] y, int classes, double lambda, Lbfgs solver) {
    return fit(x, y, classes, lambda, solver, null);
  }

  /** The parameters of {@code m} as a start vector for {@link #fit}. */
  static double[] parameters(Model m) {
    double[] theta = new double[m.weights().length + m.biases().length];
    System.arraycopy(m.weights(), 0, theta, 0, m.weights().length);
    System.arraycopy(m.biases(), 0, theta, m.weights().length, m.biases().length);
    return theta;
  }

  static Lbfgs.Objective javaObjective(Matrix xs, int[] y, int classes, double lambda) {
    int n = xs.rows();
    int d = xs.cols();
    double[] x = xs.data();
    return (theta, grad) -> {
      java.util.Arrays.fill(grad, 0);
      double loss = 0;
      double[] z = new double[classes];
      int bias = d * classes;
      for (int i = 0; i < n; i++) {
        int row = i * d;
        for (int c = 0; c < classes; c++) {
          z[c] = theta[bias + c];
        }
        for (int j = 0; j < d; j++) {
          double xij = x[row + j];
          if (xij != 0) {
            int w = j * classes;
            for (int c = 0; c < classes; c++) {
              z[c] += xij * theta[w + c];
            }
          }
        }
        double max = z[0];
        for (int c = 1; c < classes; c++) {
          max = Math.max(max, z[c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
          z[c] = Math.exp(z[c] - max);
          sum += z[c];
        }
        loss += max + Math.log(sum) - (Math.log(z[y[i]]) + max);
        for (int c = 0; c < classes; c++) {
          z[c] = (z[c] / sum - (c == y[i] ? 1 : 0)) / n;
          grad[bias + c] += z[c];
        }
        for (int j = 0; j < d; j++) {
          double xij = x[row + j];
          if (xij != 0) {
            int w = j * classes;
            for (int c = 0; c < classes; c++) {
              grad[w + c] += xij * z[c];
            }
          }
        }
      }
      loss /= n;
      double penalty = 0;
      for (int k = 0; k < bias; k++) {
        penalty += theta[k] * theta[k];
        grad[k] += lambda * theta[k];
      }
      return loss + 0.5 * lambda * penalty;
    };
  }

  /**
   * The same objective with the two matrix products (X W and X' P) in ND4J (BLAS) and the rest in Java: two ND4J
   * products per evaluation, since every ND4J call has a fixed cost that many small element-wise calls would
   * multiply.
   */
  static Lbfgs.Objective nd4jObjective(Matrix xm, int[] y, int classes, double lambda) {
    int n = xm.rows();
    int d = xm.cols();
    INDArray x = xm.toNd4j();
    INDArray xt = x.transpose().dup('c');
    return (theta, grad) -> {
      int bias = d * classes;
      double[] wData = new double[bias];
      System.arraycopy(theta, 0, wData, 0, bias);
      INDArray w = Nd4j.create(wData, new long[] {d, classes}, DataType.DOUBLE);
      double[] z = x.mmul(w).dup('c').data().asDouble();
      double loss = 0;
      double[] gb = new double[classes];
      for (int i = 0; i < n; i++) {
        int o = i * classes;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
          z[o + c] += theta[bias + c];
          max = Math.max(max, z[o + c]);
        }
        double sum = 0;
        double picked = z[o + y[i]];
        for (int c = 0; c < classes; c++) {
          z[o + c] = Math.exp(z[o + c] - max);
          sum += z[o + c];
        }
        loss += max + Math.log(sum) - picked;
        for (int c = 0; c < classes; c++) {
          z[o + c] = (z[o + c] / sum - (c == y[i] ? 1 : 0)) / n;
          gb[c] += z[o + c];
        }
      }
      INDArray p = Nd4j.create(z, new long[] {n, classes}, DataType.DOUBLE);
      double[] gw = xt.mmul(p).dup('c').data().asDouble();
      double penalty = 0;
      for (int k = 0; k < bias; k++) {
        penalty += wData[k] * wData[k];
        grad[k] = gw[k] + lambda * wData[k];
      }
      System.arraycopy(gb, 0, grad, bias, classes);
      return loss / n + 0.5 * lambda * penalty;
    };
  }
}
