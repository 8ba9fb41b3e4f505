package io.ibreid.eval.embedding;

import io.ibreid.core.IbreidException;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact t-SNE (van der Maaten and Hinton, JMLR 2008): input similarities from {@link Affinities}, a Student-t
 * (one degree of freedom) kernel {@code q_ij = (1 + |y_i - y_j|^2)^-1 / Z} in the embedding, and gradient descent on
 * {@code KL(P || Q)} with early exaggeration, momentum and per-coordinate gains (Jacobs 1988), as in the authors'
 * reference implementations. Every iteration costs O(n^2) time and the joint P costs {@code 8 n^2} bytes, so this is
 * meant for up to a few thousand points (2,000 points: 32 MB).
 *
 * <p>The result depends only on the input and {@link Options#seed()}: the initial layout is drawn from a seeded
 * generator and every sum runs in a fixed order (rows are computed in parallel, each by one thread).
 */
public final class Tsne {
  private static final Logger LOG = LoggerFactory.getLogger(Tsne.class);

  /**
   * Optimisation settings. Defaults ({@link #defaults(double, long)}): 1,000 iterations; exaggeration 12 during the
   * first 250; momentum 0.5, then 0.8 from iteration 250; learning rate {@code max(n / 48, 50)} (the "auto" rate of
   * Belkina et al. 2019 for the gradient with its factor 4); initial layout {@code N(0, 1e-4 I)}.
   *
   * @param learningRate a positive step size, or {@code 0} for the automatic one
   */
  public record Options(int dims, double perplexity, int iterations, double learningRate, double exaggeration,
      int exaggerationIterations, double initialMomentum, double finalMomentum, int momentumSwitch,
      double minGain, long seed) {
    public Options {
      if (dims < 1) {
        throw new IbreidException("t-SNE output dimensions must be >= 1, got " + dims);
      }
      if (iterations < 1) {
        throw new IbreidException("t-SNE iterations must be >= 1, got " + iterations);
      }
      if (learningRate < 0 || !Double.isFinite(learningRate)) {
        throw new IbreidException("t-SNE learning rate must be > 0 (or 0 for automatic), got " + learningRate);
      }
      if (!(exaggeration >= 1)) {
        throw new IbreidException("t-SNE early exaggeration must be >= 1, got " + exaggeration);
      }
    }

    public static Options defaults(double perplexity, long seed) {
      return new Options(2, perplexity, 1000, 0, 12, 250, 0.5, 0.8, 250, 0.01, seed);
    }

    public Options withIterations(int n) {
      return new Options(dims, perplexity, n, learningRate, exaggeration, exaggerationIterations, initialMomentum,
          finalMomentum, momentumSwitch, minGain, seed);
    }

    public Options withLearningRate(double rate) {
      return new Options(dims, perplexity, iterations, rate, exaggeration, exaggerationIterations, initialMomentum,
          finalMomentum, momentumSwitch, minGain, seed);
    }

    /** The step size used for {@code n} points. */
    public double learningRate(int n) {
      return learningRate > 0 ? learningRate : Math.max(n / 48.0, 50.0);
    }
  }

  /**
   * @param y the embedding, row-major {@code n x dims}, centred on the origin
   * @param kl {@code KL(P || Q)} of the final embedding (nats, without exaggeration)
   * @param learningRate the step size that was used
   */
  public record Result(int n, int dims, double[] y, double kl, double learningRate) {
    public double get(int i, int d) {
      return y[i * dims + d];
    }
  }

  private final Options options;

  public Tsne(Options options) {
    this.options = options;
  }

  /** Embeds {@code n} points given their {@code n x n} squared distances (row-major). */
  public Result embed(double[] squaredDistances, int n) {
    double[] p = Affinities.joint(squaredDistances, n, options.perplexity());
    return embedJoint(p, n);
  }

  /** Embeds points given as rows (Euclidean distances). */
  public Result embed(double[][] points) {
    return embed(squaredEuclidean(points), points.length);
  }

  /** Runs the optimisation on a joint distribution {@code p} (symmetric, zero diagonal, summing to 1). */
  public Result embedJoint(double[] p, int n) {
    int dims = options.dims();
    double rate = options.learningRate(n);
    SplittableRandom random = new SplittableRandom(options.seed());
    double[] y = new double[n * dims];
    for (int k = 0; k < y.length; k++) {
      y[k] = 1e-2 * gaussian(random);
    }
    double[] grad = new double[n * dims];
    double[] update = new double[n * dims];
    double[] gains = new double[n * dims];
    java.util.Arrays.fill(gains, 1.0);
    for (int it = 0; it < options.iterations(); it++) {
      double exaggeration = it < options.exaggerationIterations() ? options.exaggeration() : 1.0;
      double momentum = it < options.momentumSwitch() ? options.initialMomentum() : options.finalMomentum();
      gradient(p, exaggeration, y, n, dims, grad);
      for (int k = 0; k < y.length; k++) {
        // grow the gain while the step keeps its direction (gradient opposes the last update), else shrink it
        gains[k] = Math.signum(grad[k]) != Math.signum(update[k]) ? gains[k] + 0.2 : gains[k] * 0.8;
        gains[k] = Math.max(gains[k], options.minGain());
        update[k] = momentum * update[k] - rate * gains[k] * grad[k];
        y[k] += update[k];
      }
      centre(y, n, dims);
      if (LOG.isDebugEnabled() && (it + 1) % 100 == 0) {
        LOG.debug("t-SNE iteration {}: KL {}", it + 1, String.format("%.4f", kl(p, y, n, dims)));
      }
    }
    double kl = kl(p, y, n, dims);
    LOG.info("t-SNE of {} points: {} iterations, learning rate {}, KL(P||Q) {}", n, options.iterations(),
        String.format("%.1f", rate), String.format("%.4f", kl));
    return new Result(n, dims, y, kl, rate);
  }

  /**
   * The gradient of {@code KL(alpha P || Q)} with respect to the layout {@code y} ({@code n x dims}, row-major):
   * {@code dC/dy_i = 4 sum_j (alpha p_ij - q_ij) (1 + |y_i - y_j|^2)^-1 (y_i - y_j)} (equation 5 of the paper). It
   * is computed as {@code 4 (A_i - R_i / Z)} with the attraction {@code A_i = sum_j alpha p_ij w_ij (y_i - y_j)}, the
   * repulsion {@code R_i = sum_j w_ij^2 (y_i - y_j)} and {@code Z = sum_{k != l} w_kl}, {@code w = (1 + d^2)^-1},
   * in one pass over the pairs.
   */
  static void gradient(double[] p, double alpha, double[] y, int n, int dims, double[] grad) {
    double[] zRow = new double[n];
    double[] repulsion = new double[n * dims];
    forEachRow(n, i -> {
      if (dims == 2) {
        zRow[i] = gradientRow2d(p, alpha, y, n, i, grad, repulsion);
        return;
      }
      int pi = i * n;
      int yi = i * dims;
      double z = 0;
      for (int d = 0; d < dims; d++) {
        grad[yi + d] = 0;
      }
      for (int j = 0; j < n; j++) {
        if (j == i) {
          continue;
        }
        int yj = j * dims;
        double d2 = 0;
        for (int d = 0; d < dims; d++) {
          double diff = y[yi + d] - y[yj + d];
          d2 += diff * diff;
        }
        double w = 1.0 / (1.0 + d2);
        z += w;
        double a = alpha * p[pi + j] * w;
        double r = w * w;
        for (int d = 0; d < dims; d++) {
          double diff = y[yi + d] - y[yj + d];
          grad[yi + d] += a * diff;
          repulsion[yi + d] += r * diff;
        }
      }
      zRow[i] = z;
    });
    double z = 0;
    for (int i = 0; i < n; i++) {
      z += zRow[i];
    }
    for (int k = 0; k < n * dims; k++) {
      grad[k] = 4 * (grad[k] - repulsion[k] / z);
    }
  }

  /** Row i of the gradient pass for a 2-D layout, with the sums in local variables (the common case, 3x faster). */
  private static double gradientRow2d(double[] p, double alpha, double[] y, int n, int i, double[] grad,
      double[] repulsion) {
    int pi = i * n;
    double xi = y[2 * i];
    double yi = y[2 * i + 1];
    double ax = 0;
    double ay = 0;
    double rx = 0;
    double ry = 0;
    double z = 0;
    for (int j = 0; j < n; j++) {
      if (j == i) {
        continue;
      }
      double dx = xi - y[2 * j];
      double dy = yi - y[2 * j + 1];
      double w = 1.0 / (1.0 + (dx * dx + dy * dy));
      z += w;
      double a = alpha * p[pi + j] * w;
      double r = w * w;
      ax += a * dx;
      ay += a * dy;
      rx += r * dx;
      ry += r * dy;
    }
    grad[2 * i] = ax;
    grad[2 * i + 1] = ay;
    repulsion[2 * i] = rx;
    repulsion[2 * i + 1] = ry;
    return z;
  }

  /** {@code KL(P || Q) = sum p_ij ln(p_ij / q_ij)} over pairs with {@code p_ij > 0}. */
  static double kl(double[] p, double[] y, int n, int dims) {
    double[] zRow = new double[n];
    double[] crossRow = new double[n];
    forEachRow(n, i -> {
      double z = 0;
      double cross = 0;
      for (int j = 0; j < n; j++) {
        if (j == i) {
          continue;
        }
        double d2 = 0;
        for (int d = 0; d < dims; d++) {
          double diff = y[i * dims + d] - y[j * dims + d];
          d2 += diff * diff;
        }
        z += 1.0 / (1.0 + d2);
        double pij = p[i * n + j];
        if (pij > 0) {
          // p ln(p / q) = p ln p - p ln w + p ln Z, with ln w = -ln(1 + d2)
          cross += pij * (Math.log(pij) + Math.log1p(d2));
        }
      }
      zRow[i] = z;
      crossRow[i] = cross;
    });
    double z = 0;
    double cross = 0;
    double mass = 0;
    for (int i = 0; i < n; i++) {
      z += zRow[i];
      cross += crossRow[i];
    }
    for (double v : p) {
      mass += v;
    }
    return cross + mass * Math.log(z);
  }

  /** Row-major {@code n x n} squared Euclidean distances between the rows of {@code points}. */
  public static double[] squaredEuclidean(double[][] points) {
    int n = points.length;
    double[] out = new double[n * n];
    forEachRow(n, i -> {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int d = 0; d < points[i].length; d++) {
          double diff = points[i][d] - points[j][d];
          s += diff * diff;
        }
        out[i * n + j] = s;
      }
    });
    return out;
  }

  private static void centre(double[] y, int n, int dims) {
    for (int d = 0; d < dims; d++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += y[i * dims + d];
      }
      mean /= n;
      for (int i = 0; i < n; i++) {
        y[i * dims + d] -= mean;
      }
    }
  }

  /** Standard normal draw (Box-Muller; the second value is discarded to keep the stream simple). */
  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Runs {@code body} for every row, in parallel for large n; each row by one thread. */
  private static void forEachRow(int n, IntConsumer body) {
    IntStream rows = IntStream.range(0, n);
    (n >= 256 ? rows.parallel() : rows).forEach(body);
  }
}
