package io.ibreid.eval.probe;

/**
 * Limited-memory BFGS (Nocedal and Wright, "Numerical Optimization", algorithm 7.4 with the two-loop recursion)
 * with a backtracking line search that keeps the Armijo condition, for smooth convex objectives such as the
 * L2-regularised multinomial logistic loss. Deterministic: the same start and objective give the same iterates.
 */
final class Lbfgs {
  /** An objective: writes the gradient at {@code x} into {@code gradient} and returns the value. */
  interface Objective {
    double evaluate(double[] x, double[] gradient);
  }

  /** Where the minimisation stopped. */
  record Result(double[] x, double value, double gradientNorm, int iterations) {}

  private final int memory;
  private final int maxIterations;
  private final double gradientTolerance;

  /**
   * @param memory number of correction pairs kept
   * @param maxIterations iteration limit
   * @param gradientTolerance stop when the largest gradient entry is below this
   */
  Lbfgs(int memory, int maxIterations, double gradientTolerance) {
    this.memory = memory;
    this.maxIterations = maxIterations;
    this.gradientTolerance = gradientTolerance;
  }

  Result minimise(Objective f, double[] start) {
    int n = start.length;
    double[] x = start.clone();
    double[] g = new double[n];
    double fx = f.evaluate(x, g);
    double[][] s = new double[memory][];
    double[][] y = new double[memory][];
    double[] rho = new double[memory];
    double[] alpha = new double[memory];
    int stored = 0;
    int next = 0;
    double[] d = new double[n];
    double[] xNew = new double[n];
    double[] gNew = new double[n];
    int it = 0;
    for (; it < maxIterations && maxAbs(g) > gradientTolerance; it++) {
      // two-loop recursion: d = -H g
      System.arraycopy(g, 0, d, 0, n);
      for (int k = 0; k < stored; k++) {
        int i = Math.floorMod(next - 1 - k, memory);
        alpha[i] = rho[i] * dot(s[i], d);
        axpy(-alpha[i], y[i], d);
      }
      double gamma = 1;
      if (stored > 0) {
        int last = Math.floorMod(next - 1, memory);
        gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
      } else {
        gamma = 1 / Math.max(1e-12, Math.sqrt(dot(g, g)));
      }
      scale(d, gamma);
      for (int k = stored - 1; k >= 0; k--) {
        int i = Math.floorMod(next - 1 - k, memory);
        double beta = rho[i] * dot(y[i], d);
        axpy(alpha[i] - beta, s[i], d);
      }
      scale(d, -1);
      double slope = dot(g, d);
      if (slope >= 0) { // not a descent direction (numerical trouble): restart from steepest descent
        for (int i = 0; i < n; i++) {
          d[i] = -g[i];
        }
        slope = -dot(g, g);
        stored = 0;
        next = 0;
      }
      double step = 1;
      double fNew;
      int backtracks = 0;
      while (true) {
        for (int i = 0; i < n; i++) {
          xNew[i] = x[i] + step * d[i];
        }
        fNew = f.evaluate(xNew, gNew);
        if (fNew <= fx + 1e-4 * step * slope || backtracks >= 40) {
          break;
        }
        step *= 0.5;
        backtracks++;
      }
      if (!(fNew < fx) && backtracks >= 40) {
        break; // no decrease possible at machine precision
      }
      double[] sk = new double[n];
      double[] yk = new double[n];
      for (int i = 0; i < n; i++) {
        sk[i] = xNew[i] - x[i];
        yk[i] = gNew[i] - g[i];
      }
      double sy = dot(sk, yk);
      if (sy > 1e-12 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
        s[next] = sk;
        y[next] = yk;
        rho[next] = 1 / sy;
        next = (next + 1) % memory;
        stored = Math.min(stored + 1, memory);
      }
      double decrease = fx - fNew;
      System.arraycopy(xNew, 0, x, 0, n);
      System.arraycopy(gNew, 0, g, 0, n);
      fx = fNew;
      if (decrease <= 1e-12 * Math.max(1, Math.abs(fx))) {
        it++;
        break;
      }
    }
    return new Result(x, fx, maxAbs(g), it);
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static void scale(double[] x, double a) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= a;
    }
  }

  static double maxAbs(double[] x) {
    double m = 0;
    for (double v : x) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
