package io.ibreid.eval.probe;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ridge regression of centred targets on standardised features: the minimiser of
 * <pre>  (1/n) ||Y - X W||^2 + lambda ||W||^2</pre>
 * in closed form, {@code W = (X'X + n lambda I)^-1 X'Y} when d &lt;= n, or the equal
 * {@code W = X' (X X' + n lambda I)^-1 Y} when d &gt; n; the linear system is solved by a Cholesky factorisation
 * (the matrix is symmetric positive definite for lambda &gt; 0). Matrix products in ND4J, double precision.
 */
final class RidgeRegression {
  private RidgeRegression() {}

  /** The Gram matrix a fit on {@code x} needs: X'X (d x d) when d &lt;= n, else X X' (n x n). */
  static double[][] gram(Matrix xm) {
    INDArray x = xm.toNd4j();
    INDArray g = x.rows() >= x.columns() ? x.transpose().mmul(x) : x.mmul(x.transpose());
    return g.toDoubleMatrix();
  }

  /**
   * W (d x k) for features {@code xm} (n x d), targets {@code y} (n x k, centred) and the Gram matrix from
   * {@link #gram}.
   */
  static double[][] fit(Matrix xm, double[][] y, double[][] gram, double lambda) {
    INDArray x = xm.toNd4j();
    int n = xm.rows();
    int m = gram.length;
    double[][] a = new double[m][];
    for (int i = 0; i < m; i++) {
      a[i] = gram[i].clone();
      a[i][i] += n * lambda;
    }
    double[][] l = cholesky(a);
    INDArray ys = Nd4j.create(y).castTo(DataType.DOUBLE);
    if (x.rows() >= x.columns()) {
      return solve(l, x.transpose().mmul(ys).toDoubleMatrix());
    }
    double[][] alpha = solve(l, y);
    return x.transpose().mmul(Nd4j.create(alpha).castTo(DataType.DOUBLE)).toDoubleMatrix();
  }

  /** Lower-triangular L with L L' = a (a symmetric positive definite). */
  static double[][] cholesky(double[][] a) {
    int m = a.length;
    double[][] l = new double[m][m];
    for (int j = 0; j < m; j++) {
      double[] lj = l[j];
      double s = a[j][j];
      for (int k = 0; k < j; k++) {
        s -= lj[k] * lj[k];
      }
      if (!(s > 0)) {
        throw new ArithmeticException("matrix is not positive definite at column " + j);
      }
      double diag = Math.sqrt(s);
      lj[j] = diag;
      for (int i = j + 1; i < m; i++) {
        double[] li = l[i];
        double t = a[i][j];
        for (int k = 0; k < j; k++) {
          t -= li[k] * lj[k];
        }
        li[j] = t / diag;
      }
    }
    return l;
  }

  /** X with L L' X = b, column by column. */
  static double[][] solve(double[][] l, double[][] b) {
    int m = l.length;
    int k = b[0].length;
    double[][] x = new double[m][k];
    double[] col = new double[m];
    for (int c = 0; c < k; c++) {
      for (int i = 0; i < m; i++) { // forward: L z = b
        double s = b[i][c];
        double[] li = l[i];
        for (int j = 0; j < i; j++) {
          s -= li[j] * col[j];
        }
        col[i] = s / li[i];
      }
      for (int i = m - 1; i >= 0; i--) { // backward: L' x = z
        double s = col[i];
        for (int j = i + 1; j < m; j++) {
          s -= l[j][i] * col[j];
        }
        col[i] = s / l[i][i];
      }
      for (int i = 0; i < m; i++) {
        x[i][c] = col[i];
      }
    }
    return x;
  }
}
