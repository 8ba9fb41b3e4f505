package io.ibreid.eval.embedding;

import io.ibreid.core.IbreidException;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * t-SNE (van der Maaten and Hinton, JMLR 2008): input similarities from {@link Affinities}, a Student-t (one degree
 * of freedom) kernel {@code q_ij = (1 + |y_i - y_j|^2)^-1 / Z} in the embedding, and gradient descent on
 * {@code KL(P || Q)} with early exaggeration, momentum and per-coordinate gains (Jacobs 1988), as in the authors'
 * reference implementations.
 *
 * <p>Two ways to compute the gradient, chosen by {@link Options#theta()}:
 * <ul>
 *   <li>{@code theta = 0}: exact. Dense P over all pairs; every iteration costs O(n^2) time and P costs
 *       {@code 8 n^2} bytes, so this is for up to a few thousand points (2,000 points: 32 MB).</li>
 *   <li>{@code theta > 0} (2-D only): Barnes-Hut (van der Maaten, JMLR 2014). P is calibrated over the
 *       {@code floor(3 * perplexity)} nearest neighbours of each point only (sparse), and the repulsion is
 *       approximated with a {@link QuadTree}: a cell whose width over its distance to the point is below theta acts
 *       as one body at its centre of mass. O(n log n) per iteration; 0.5 is the usual theta.</li>
 * </ul>
 *
 * <p>The result depends only on the input and {@link Options#seed()}: the initial layout is drawn from a seeded
 * generator and every sum runs in a fixed order (rows are computed in parallel, each by one thread).
 */
public final class Tsne {
  private static final Logger LOG = LoggerFactory.getLogger(Tsne.class);

  /**
   * Optimisation settings. Defaults ({@link #defaults(double, long)}): exact gradient (theta 0); 1,000 iterations;
   * exaggeration 12 during the
   * first 250; momentum 0.5, then 0.8 from iteration 250; learning rate {@code max(n / 48, 50)} (the "auto" rate of
   * Belkina et al. 2019 for the gradient with its factor 4); initial layout {@code N(0, 1e-4 I)}.
   *
   * @param learningRate a positive step size, or {@code 0} for the automatic one
   * @param theta 0 for the exact gradient, else the Barnes-Hut accuracy (smaller is more accurate)
   */
  public record Options(int dims, double perplexity, int iterations, double learningRate, double exaggeration,
      int exaggerationIterations, double initialMomentum, double finalMomentum, int momentumSwitch,
      double minGain, long seed, double theta) {
    public Options {
      if (!(theta >= 0) || Double.isInfinite(theta)) {
        throw new IbreidException("t-SNE theta must be >= 0 (0 = exact), got " + theta);
      }
      if (theta > 0 && dims != 2) {
        throw new IbreidException("Barnes-Hut t-SNE (theta > 0) embeds in 2-D only, got " + dims + " dimensions");
      }
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
      return new Options(2, perplexity, 1000, 0, 12, 250, 0.5, 0.8, 250, 0.01, seed, 0);
    }

    public Options withIterations(int n) {
      return new Options(dims, perplexity, n, learningRate, exaggeration, exaggerationIterations, initialMomentum,
          finalMomentum, momentumSwitch, minGain, seed, theta);
    }

    public Options withLearningRate(double rate) {
      return new Options(dims, perplexity, iterations, rate, exaggeration, exaggerationIterations, initialMomentum,
          finalMomentum, momentumSwitch, minGain, seed, theta);
    }

    /** The same with Barnes-Hut parameter {@code t} (0 = exact). */
    public Options withTheta(double t) {
      return new Options(dims, perplexity, iterations, learningRate, exaggeration, exaggerationIterations,
          initialMomentum, finalMomentum, momentumSwitch, minGain, seed, t);
    }

    /** Neighbours per point of the sparse P used by Barnes-Hut: {@code floor(3 * perplexity)}, at most n - 1. */
    public int neighbours(int n) {
      return (int) Math.min(n - 1, Math.floor(3 * perplexity));
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
    if (options.theta() > 0) {
      return embed(BlockDistances.dense(squaredDistances, n));
    }
    return embedJoint(Affinities.joint(squaredDistances, n, options.perplexity()), n);
  }

  /** Embeds points given as rows (Euclidean distances). */
  public Result embed(double[][] points) {
    return embed(squaredEuclidean(points), points.length);
  }

  /**
   * Embeds the points of a distance source (squared distances). Barnes-Hut reads it block by block for the nearest
   * neighbours and never holds it whole; the exact method reads it into an {@code n x n} matrix.
   */
  public Result embed(BlockDistances squaredDistances) {
    int n = squaredDistances.size();
    if (options.theta() == 0) {
      double[] all = new double[n * n];
      for (int from = 0; from < n; from += Neighbours.BLOCK) {
        int count = Math.min(Neighbours.BLOCK, n - from);
        double[] block = new double[count * n];
        squaredDistances.rows(from, count, block);
        System.arraycopy(block, 0, all, from * n, count * n);
      }
      return embed(all, n);
    }
    if (n < 2) {
      throw new IbreidException("t-SNE needs at least 2 points, got " + n);
    }
    Neighbours nb = Neighbours.of(squaredDistances, options.neighbours(n));
    return embedSparse(Affinities.sparseJoint(nb, options.perplexity()));
  }

  /** Runs the exact optimisation on a dense joint distribution {@code p} (symmetric, zero diagonal, sum 1). */
  public Result embedJoint(double[] p, int n) {
    int dims = options.dims();
    return optimise(n, (alpha, y, grad) -> gradient(p, alpha, y, n, dims, grad), y -> kl(p, y, n, dims));
  }

  /** Runs the Barnes-Hut optimisation (theta > 0) on a sparse joint distribution. */
  public Result embedSparse(SparseJoint p) {
    if (options.theta() == 0 || options.dims() != 2) {
      throw new IllegalStateException("Barnes-Hut needs theta > 0 and a 2-D layout");
    }
    return optimise(p.n(), (alpha, y, grad) -> gradientBarnesHut(p, alpha, y, options.theta(), grad),
        y -> kl(p, y));
  }

  private interface GradientFn {
    void compute(double alpha, double[] y, double[] grad);
  }

  private interface CostFn {
    double cost(double[] y);
  }

  private Result optimise(int n, GradientFn gradientFn, CostFn costFn) {
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
      gradientFn.compute(exaggeration, y, grad);
      for (int k = 0; k < y.length; k++) {
        // grow the gain while the step keeps its direction (gradient opposes the last update), else shrink it
        gains[k] = Math.signum(grad[k]) != Math.signum(update[k]) ? gains[k] + 0.2 : gains[k] * 0.8;
        gains[k] = Math.max(gains[k], options.minGain());
        update[k] = momentum * update[k] - rate * gains[k] * grad[k];
        y[k] += update[k];
      }
      centre(y, n, dims);
      if (LOG.isDebugEnabled() && (it + 1) % 100 == 0) {
        LOG.debug("t-SNE iteration {}: KL {}", it + 1, String.format("%.4f", costFn.cost(y)));
      }
    }
    double kl = costFn.cost(y);
    LOG.info("t-SNE of {} points ({}): {} iterations, learning rate {}, KL(P||Q) {}", n,
        options.theta() == 0 ? "exact" : "Barnes-Hut, theta " + options.theta(), options.iterations(),
        String.format("%.1f", rate), String.format("%.4f", kl));
    return new Result(n, dims, y, kl, rate);
  }

  /**
   * Barnes-Hut gradient for a 2-D layout: the attraction exactly over the sparse P, the repulsion and Z from a
   * {@link QuadTree}; then {@code 4 (A_i - R_i / Z)} as in {@link #gradient}. With theta = 0 it equals the exact
   * gradient of the same (sparse) P up to summation order.
   */
  static void gradientBarnesHut(SparseJoint p, double alpha, double[] y, double theta, double[] grad) {
    int n = p.n();
    QuadTree tree = new QuadTree(y, n);
    double[] zRow = new double[n];
    double[] repulsion = new double[2 * n];
    forEachRow(n, i -> {
      double[] acc = new double[3];
      tree.repulsion(i, theta, acc, new int[QuadTree.stackSize()]);
      zRow[i] = acc[0];
      repulsion[2 * i] = acc[1];
      repulsion[2 * i + 1] = acc[2];
      double xi = y[2 * i];
      double yi = y[2 * i + 1];
      double ax = 0;
      double ay = 0;
      for (int e = p.rowStart()[i]; e < p.rowStart()[i + 1]; e++) {
        int j = p.column()[e];
        double dx = xi - y[2 * j];
        double dy = yi - y[2 * j + 1];
        double a = alpha * p.value()[e] / (1.0 + (dx * dx + dy * dy));
        ax += a * dx;
        ay += a * dy;
      }
      grad[2 * i] = ax;
      grad[2 * i + 1] = ay;
    });
    double z = 0;
    for (int i = 0; i < n; i++) {
      z += zRow[i];
    }
    for (int k = 0; k < 2 * n; k++) {
      grad[k] = 4 * (grad[k] - repulsion[k] / z);
    }
  }

  /** {@code KL(P || Q)} for a sparse P, with the exact normaliser Z (one O(n^2) pass, no storage). */
  static double kl(SparseJoint p, double[] y) {
    int n = p.n();
    double[] zRow = new double[n];
    double[] crossRow = new double[n];
    forEachRow(n, i -> {
      double z = 0;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          double dx = y[2 * i] - y[2 * j];
          double dy = y[2 * i + 1] - y[2 * j + 1];
          z += 1.0 / (1.0 + (dx * dx + dy * dy));
        }
      }
      double cross = 0;
      for (int e = p.rowStart()[i]; e < p.rowStart()[i + 1]; e++) {
        int j = p.column()[e];
        double v = p.value()[e];
        if (v > 0) {
          double dx = y[2 * i] - y[2 * j];
          double dy = y[2 * i + 1] - y[2 * j + 1];
          cross += v * (Math.log(v) + Math.log1p(dx * dx + dy * dy));
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
    for (double v : p.value()) {
      mass += v;
    }
    return cross + mass * Math.log(z);
  }

  /**
   * The exact gradient with respect to the layout {@code y} ({@code n x dims}, row-major):
   * {@code dC/dy_i = 4 sum_j (alpha p_ij - q_ij) (1 + |y_i - y_j|^2)^-1 (y_i - y_j)} (equation 5 of the paper), the
   * gradient of {@code C = -alpha sum p_ij ln w_ij + ln Z}, which is {@code KL(P || Q)} up to a constant for the
   * exaggeration {@code alpha = 1}. It
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
