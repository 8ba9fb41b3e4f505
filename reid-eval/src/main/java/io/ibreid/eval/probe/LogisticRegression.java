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
    /** The most probable class of every row of {@code x} (n x d, double). */
    int[] predict(INDArray x) {
      INDArray w = Nd4j.create(weights, new long[] {dim, classes}, DataType.DOUBLE);
      INDArray b = Nd4j.create(biases, new long[] {1, classes}, DataType.DOUBLE);
      INDArray z = x.mmul(w).addiRowVector(b);
      long[] arg = z.argMax(1).toLongVector();
      int[] out = new int[arg.length];
      for (int i = 0; i < arg.length; i++) {
        out[i] = (int) arg[i];
      }
      return out;
    }
  }

  private LogisticRegression() {}

  /**
   * Fits labels {@code y} (0..classes-1) from the rows of {@code x} (n x d, double precision).
   *
   * @param lambda L2 penalty on the weights
   */
  static Model fit(INDArray x, int[] y, int classes, double lambda, Lbfgs solver) {
    int n = (int) x.rows();
    int d = (int) x.columns();
    INDArray onehot = Nd4j.zeros(DataType.DOUBLE, n, classes);
    for (int i = 0; i < n; i++) {
      onehot.putScalar(i, y[i], 1.0);
    }
    INDArray xt = x.transpose().dup('c');
    Lbfgs.Objective f = (theta, grad) -> {
      double[] wData = new double[d * classes];
      System.arraycopy(theta, 0, wData, 0, wData.length);
      double[] bData = new double[classes];
      System.arraycopy(theta, wData.length, bData, 0, classes);
      INDArray w = Nd4j.create(wData, new long[] {d, classes}, DataType.DOUBLE);
      INDArray b = Nd4j.create(bData, new long[] {1, classes}, DataType.DOUBLE);
      INDArray z = x.mmul(w).addiRowVector(b);
      INDArray max = z.max(1).reshape(n, 1);
      INDArray e = z.subColumnVector(max);
      org.nd4j.linalg.ops.transforms.Transforms.exp(e, false);
      INDArray sum = e.sum(1).reshape(n, 1);
      INDArray logSum = org.nd4j.linalg.ops.transforms.Transforms.log(sum, true).addi(max);
      double picked = z.mul(onehot).sumNumber().doubleValue();
      double loss = (logSum.sumNumber().doubleValue() - picked) / n;
      double penalty = 0;
      for (double v : wData) {
        penalty += v * v;
      }
      loss += 0.5 * lambda * penalty;
      INDArray p = e.diviColumnVector(sum).subi(onehot);
      INDArray gw = xt.mmul(p).divi(n);
      double[] gwData = gw.dup('c').data().asDouble();
      for (int i = 0; i < gwData.length; i++) {
        grad[i] = gwData[i] + lambda * wData[i];
      }
      double[] gb = p.sum(0).divi(n).toDoubleVector();
      System.arraycopy(gb, 0, grad, gwData.length, classes);
      return loss;
    };
    Lbfgs.Result r = solver.minimise(f, new double[d * classes + classes]);
    double[] w = new double[d * classes];
    double[] b = new double[classes];
    System.arraycopy(r.x(), 0, w, 0, w.length);
    System.arraycopy(r.x(), w.length, b, 0, classes);
    return new Model(d, classes, w, b, r.iterations(), r.gradientNorm());
  }
}
