package io.ibreid.loss.crossview;

import io.ibreid.core.ConfigException;
import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.LossInput;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.Slot;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The "conventional mutual learning" (CML) term of the authors' public release: the entropic optimal-transport cost
 * between two sets of identity predictions (the release ties the two modality-specific branches' observation
 * predictions of the same images with it, weight 8). With {@code P = softmax(p)} (N rows), {@code Q = softmax(q)}
 * (M rows), the cost {@code C_ij = ‖P_i − Q_j‖²}, uniform marginals {@code a = 1/N}, {@code b = 1/M} and the entropic
 * plan {@code π* = argmin_π ⟨π, C⟩ + ε Σ π (log π − 1)} (Cuturi 2013), the value is {@code ⟨π*, C⟩}. π* is found by
 * Sinkhorn's iterations in the log domain until the marginals are met to {@code tolerance}; the gradient is the
 * exact derivative of ⟨π*(C), C⟩ by implicit differentiation of the optimality conditions,
 * {@code ∂L/∂C_ij = π_ij (1 + (α_i + β_j − C_ij)/ε)} where {@code [A Π; Πᵀ B][α; β] = [s; t]},
 * {@code s_i = Σ_j C_ij π_ij}, {@code t_j = Σ_i C_ij π_ij} (A, B the plan's row and column sums; the system's one free
 * direction is fixed by β_M = 0). It is the limit of back-propagating through the iterations, which the release does
 * for at most 100 of them. Both sides receive gradient. Diagnostics: {@code iterations}, {@code marginalError}.
 */
public final class SinkhornMutualLearning implements LossTerm {
  /** Parameters of {@code sinkhorn}. */
  public static final class Params {
    /** Entropic regularisation ε &gt; 0 (the release: 0.01). */
    public double epsilon = 0.01;
    /** Most steps (Sinkhorn sweeps, then Newton steps) to find the plan. */
    public int maxIterations = 200;
    /** Stop when the plan's row and column sums are within this L1 distance of the marginals. */
    public double tolerance = 1e-12;
  }

  /** The first set of logits (the release: the infrared-specific branch's observation predictions). */
  public static final String P = "p";
  /** The second set of logits (the release: the visible-specific branch's). */
  public static final String Q = "q";

  private final double epsilon;
  private final int maxIterations;
  private final double tolerance;

  public SinkhornMutualLearning(Params p) {
    if (!(p.epsilon > 0) || Double.isInfinite(p.epsilon)) {
      throw new ConfigException("sinkhorn: params.epsilon must be a finite number > 0, got " + p.epsilon);
    }
    if (p.maxIterations < 1) {
      throw new ConfigException("sinkhorn: params.maxIterations must be >= 1, got " + p.maxIterations);
    }
    if (!(p.tolerance > 0)) {
      throw new ConfigException("sinkhorn: params.tolerance must be > 0, got " + p.tolerance);
    }
    this.epsilon = p.epsilon;
    this.maxIterations = p.maxIterations;
    this.tolerance = p.tolerance;
  }

  /** The entropic plan of a cost matrix and its Sinkhorn bookkeeping. */
  record Plan(double[][] pi, int iterations, double marginalError) {}

  @Override
  public LossResult compute(LossInput input) {
    INDArray pIn = input.get(P);
    INDArray qIn = input.get(Q);
    if (pIn.columns() != qIn.columns()) {
      throw new io.ibreid.core.IbreidException("sinkhorn: inputs [p] " + Arrays.toString(pIn.shape()) + " and [q] "
          + Arrays.toString(qIn.shape()) + " must have the same classes");
    }
    DataType type = pIn.dataType();
    double[][] pp = softmax(pIn.castTo(DataType.DOUBLE).toDoubleMatrix());
    double[][] qq = softmax(qIn.castTo(DataType.DOUBLE).toDoubleMatrix());
    int n = pp.length;
    int m = qq.length;
    double[][] c = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double s = 0;
        for (int k = 0; k < pp[i].length; k++) {
          double d = pp[i][k] - qq[j][k];
          s += d * d;
        }
        c[i][j] = s;
      }
    }
    Plan plan = plan(c, epsilon, maxIterations, tolerance);
    double[][] pi = plan.pi();
    double value = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        value += pi[i][j] * c[i][j];
      }
    }
    double[][] g = costGradient(c, pi, epsilon);
    // dL/dP_i = 2 Σ_j g_ij (P_i − Q_j); dL/dQ_j = −2 Σ_i g_ij (P_i − Q_j)
    int k = pp[0].length;
    double[][] gp = new double[n][k];
    double[][] gq = new double[m][k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double w = 2 * g[i][j];
        if (w == 0) {
          continue;
        }
        for (int l = 0; l < k; l++) {
          double d = w * (pp[i][l] - qq[j][l]);
          gp[i][l] += d;
          gq[j][l] -= d;
        }
      }
    }
    return new LossResult(value, Map.of(P, Nd4j.create(throughSoftmax(pp, gp)).castTo(type),
        Q, Nd4j.create(throughSoftmax(qq, gq)).castTo(type)),
        Map.of("iterations", (double) plan.iterations(), "marginalError", plan.marginalError()));
  }

  /** Row-wise softmax, max-shifted. */
  static double[][] softmax(double[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      double max = Arrays.stream(x[i]).max().orElse(0);
      double sum = 0;
      out[i] = new double[x[i].length];
      for (int k = 0; k < x[i].length; k++) {
        out[i][k] = Math.exp(x[i][k] - max);
        sum += out[i][k];
      }
      for (int k = 0; k < x[i].length; k++) {
        out[i][k] /= sum;
      }
    }
    return out;
  }

  /** dL/dlogits from dL/dprobabilities: {@code P ⊙ (g − ⟨g, P⟩)} per row. */
  private static double[][] throughSoftmax(double[][] p, double[][] g) {
    double[][] out = new double[p.length][];
    for (int i = 0; i < p.length; i++) {
      double dot = 0;
      for (int k = 0; k < p[i].length; k++) {
        dot += g[i][k] * p[i][k];
      }
      out[i] = new double[p[i].length];
      for (int k = 0; k < p[i].length; k++) {
        out[i][k] = p[i][k] * (g[i][k] - dot);
      }
    }
    return out;
  }

  /**
   * The entropic plan of {@code c} with uniform marginals. Log-domain Sinkhorn from zero potentials, alternating
   * {@code f_i = ε log a_i − ε LSE_j((g_j − C_ij)/ε)} and {@code g_j = ε log b_j − ε LSE_i((f_i − C_ij)/ε)}, for at most
   * {@link #SINKHORN_STEPS} sweeps; then Newton's method on the same dual (its Hessian is the matrix of
   * {@link #costGradient}'s system), with backtracking on the dual objective (or on the marginal error), until the L1 error of the row and column sums is below
   * {@code tolerance} or {@code maxIterations} steps in all were made. Sinkhorn alone needs tens of thousands of
   * sweeps at the release's ε = 0.01 on confident predictions; Newton converges in a few steps from its warm start.
   */
  static Plan plan(double[][] c, double eps, int maxIterations, double tolerance) {
    int n = c.length;
    int m = c[0].length;
    double logA = -Math.log(n);
    double logB = -Math.log(m);
    double[] f = new double[n];
    double[] g = new double[m];
    double[] tmp = new double[Math.max(n, m)];
    double err = Double.POSITIVE_INFINITY;
    int it = 0;
    while (it < Math.min(maxIterations, SINKHORN_STEPS) && err > tolerance) {
      it++;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          tmp[j] = (g[j] - c[i][j]) / eps;
        }
        f[i] = eps * (logA - lse(tmp, m));
      }
      for (int j = 0; j < m; j++) {
        for (int i = 0; i < n; i++) {
          tmp[i] = (f[i] - c[i][j]) / eps;
        }
        g[j] = eps * (logB - lse(tmp, n));
      }
      err = marginalError(pi(c, f, g, eps), n, m);
    }
    while (it < maxIterations && err > tolerance) {
      it++;
      double[][] pi = pi(c, f, g, eps);
      int size = n + m - 1;
      double[][] h = hessian(pi, size);
      for (int i = 0; i < n; i++) {
        double row = 0;
        for (int j = 0; j < m; j++) {
          row += pi[i][j];
        }
        h[i][size] = -eps * (row - 1.0 / n);
      }
      for (int j = 0; j < m - 1; j++) {
        double col = 0;
        for (int i = 0; i < n; i++) {
          col += pi[i][j];
        }
        h[n + j][size] = -eps * (col - 1.0 / m);
      }
      double[] step = solve(h, size);
      // backtracking on the dual objective (concave; Newton's direction ascends it)
      double dual = dual(c, f, g, eps);
      double slope = 0;
      for (int k = 0; k < size; k++) {
        slope += -h[k][size] / eps * step[k]; // ∇D · step, ∇D = (a − rows, b − cols)
      }
      double t = 1;
      boolean moved = false;
      for (int k = 0; k < 40; k++, t /= 2) {
        double[] f2 = f.clone();
        double[] g2 = g.clone();
        for (int i = 0; i < n; i++) {
          f2[i] += t * step[i];
        }
        for (int j = 0; j < m - 1; j++) {
          g2[j] += t * step[n + j];
        }
        // near the optimum the dual's gains fall below double precision: a smaller marginal error also counts
        double e2 = marginalError(pi(c, f2, g2, eps), n, m);
        if (e2 < err || dual(c, f2, g2, eps) >= dual + 1e-4 * t * slope) {
          f = f2;
          g = g2;
          err = e2;
          moved = true;
          break;
        }
      }
      if (!moved) {
        break; // at the limit of double precision
      }
    }
    return new Plan(pi(c, f, g, eps), it, err);
  }

  /** The dual objective {@code Σ f_i/n + Σ g_j/m − ε Σ_ij π_ij} (maximised by the plan's potentials). */
  private static double dual(double[][] c, double[] f, double[] g, double eps) {
    double s = 0;
    for (double x : f) {
      s += x / f.length;
    }
    for (double x : g) {
      s += x / g.length;
    }
    double mass = 0;
    for (int i = 0; i < c.length; i++) {
      for (int j = 0; j < c[0].length; j++) {
        mass += Math.exp((f[i] + g[j] - c[i][j]) / eps);
      }
    }
    return s - eps * mass;
  }

  /** Sinkhorn sweeps before Newton's method takes over. */
  static final int SINKHORN_STEPS = 100;

  private static double[][] pi(double[][] c, double[] f, double[] g, double eps) {
    double[][] pi = new double[c.length][c[0].length];
    for (int i = 0; i < c.length; i++) {
      for (int j = 0; j < c[0].length; j++) {
        pi[i][j] = Math.exp((f[i] + g[j] - c[i][j]) / eps);
      }
    }
    return pi;
  }

  /** The L1 distance of the plan's row and column sums from the uniform marginals. */
  private static double marginalError(double[][] pi, int n, int m) {
    double err = 0;
    double[] col = new double[m];
    for (int i = 0; i < n; i++) {
      double row = 0;
      for (int j = 0; j < m; j++) {
        row += pi[i][j];
        col[j] += pi[i][j];
      }
      err += Math.abs(row - 1.0 / n);
    }
    for (int j = 0; j < m; j++) {
      err += Math.abs(col[j] - 1.0 / m);
    }
    return err;
  }

  /**
   * The (n + m − 1)-square matrix {@code [A Π; Πᵀ B]} of a plan (A, B its row and column sums) without the last
   * column's row and column, in an augmented array with one free last column.
   */
  private static double[][] hessian(double[][] pi, int size) {
    int n = pi.length;
    int m = pi[0].length;
    double[][] h = new double[size][size + 1];
    for (int i = 0; i < n; i++) {
      double row = 0;
      for (int j = 0; j < m; j++) {
        row += pi[i][j];
        if (j < m - 1) {
          h[i][n + j] = pi[i][j];
          h[n + j][i] = pi[i][j];
        }
      }
      h[i][i] = row;
    }
    for (int j = 0; j < m - 1; j++) {
      double col = 0;
      for (int i = 0; i < n; i++) {
        col += pi[i][j];
      }
      h[n + j][n + j] = col;
    }
    return h;
  }

  private static double lse(double[] x, int len) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < len; i++) {
      max = Math.max(max, x[i]);
    }
    double s = 0;
    for (int i = 0; i < len; i++) {
      s += Math.exp(x[i] - max);
    }
    return max + Math.log(s);
  }

  /** ∂⟨π*(C), C⟩/∂C by implicit differentiation (see the class comment). */
  static double[][] costGradient(double[][] c, double[][] pi, double eps) {
    int n = c.length;
    int m = c[0].length;
    int size = n + m - 1; // β_{m-1} = 0
    double[][] h = hessian(pi, size);
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < m; j++) {
        s += c[i][j] * pi[i][j];
      }
      h[i][size] = s;
    }
    for (int j = 0; j < m - 1; j++) {
      double t = 0;
      for (int i = 0; i < n; i++) {
        t += c[i][j] * pi[i][j];
      }
      h[n + j][size] = t;
    }
    double[] x = solve(h, size);
    double[][] g = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double beta = j < m - 1 ? x[n + j] : 0;
        g[i][j] = pi[i][j] * (1 + (x[i] + beta - c[i][j]) / eps);
      }
    }
    return g;
  }

  /** Gaussian elimination with partial pivoting on an augmented size × (size + 1) matrix (overwritten). */
  private static double[] solve(double[][] a, int size) {
    for (int col = 0; col < size; col++) {
      int pivot = col;
      for (int r = col + 1; r < size; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = a[col];
      a[col] = a[pivot];
      a[pivot] = t;
      double d = a[col][col];
      if (d == 0) {
        continue; // a plan with an empty row: that potential is free, its equation contributes nothing
      }
      for (int r = col + 1; r < size; r++) {
        double f = a[r][col] / d;
        if (f != 0) {
          for (int k = col; k <= size; k++) {
            a[r][k] -= f * a[col][k];
          }
        }
      }
    }
    double[] x = new double[size];
    for (int r = size - 1; r >= 0; r--) {
      double s = a[r][size];
      for (int k = r + 1; k < size; k++) {
        s -= a[r][k] * x[k];
      }
      x[r] = a[r][r] == 0 ? 0 : s / a[r][r];
    }
    return x;
  }

  /** The {@code sinkhorn} plug-in. */
  public static final class Factory implements LossFactory<Params> {
    @Override
    public String name() {
      return "sinkhorn";
    }

    @Override
    public String description() {
      return "the release's mutual-learning term: entropic OT cost <pi*, C> between softmax(p) and softmax(q), "
          + "C = squared distance (epsilon, maxIterations, tolerance); bind inputs p and q";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public List<Slot> slots(Params params) {
      return List.of(Slot.differentiable(P, "first set of identity logits, one row per image"),
          Slot.differentiable(Q, "second set of identity logits, same classes"));
    }

    /** It ties two branches, so it has no shorthand: bind {@code inputs: {p: ..., q: ...}}. */
    @Override
    public Map<String, String> defaultInputs(String branch, Params params) {
      throw new ConfigException("sinkhorn ties two branches' predictions: give inputs.p and inputs.q (the release: "
          + "p = infrared.v_logits, q = visible.v_logits) instead of branch:");
    }

    @Override
    public LossTerm create(Params params, LossContext context) {
      return new SinkhornMutualLearning(params);
    }
  }
}
