package io.ibreid.eval.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A linear probe: how well a feature predicts a factor on images it was not fitted on. Features are standardised
 * with the fitting part's mean and standard deviation; a categorical factor gets multinomial logistic regression
 * (scored by accuracy, against the chance level of always answering the fitting part's most frequent class), a
 * continuous one ridge regression (scored by R² = 1 - SSE / SST over every output, SST around the scored part's own
 * mean, so 0 is what the mean predicts and negative is worse). The regularisation strength is the one of a fixed
 * grid that scores best on an inner split of the fitting part (ties: the stronger; the logistic fits run from the
 * strongest penalty to the weakest, each starting from the previous solution), then the probe is refitted on the
 * whole fitting part.
 */
public final class LinearProbe {
  /** L2 strengths tried for logistic regression (on standardised features). */
  public static final double[] LOGISTIC_LAMBDAS = {1e-4, 1e-3, 1e-2, 1e-1};
  /** L2 strengths tried for ridge regression (on standardised features). */
  public static final double[] RIDGE_LAMBDAS = {1e-3, 1e-2, 1e-1, 1, 10};

  /**
   * A probe's result.
   *
   * @param metric {@code accuracy} or {@code r2}
   * @param value held-out accuracy or R²
   * @param chance accuracy of the fitting part's most frequent class (categorical), 0 for R²
   * @param lambda the regularisation strength chosen
   * @param fitImages images fitted on
   * @param scoredImages images scored
   * @param classes classes seen in the fitting part (categorical), or outputs (continuous)
   */
  public record Score(String metric, double value, double chance, double lambda, int fitImages, int scoredImages,
      int classes) {
    /** 0 at chance, 1 perfect: (accuracy - chance) / (1 - chance), or R² clipped at 0. */
    public double normalised() {
      if (metric.equals("r2")) {
        return Math.max(0, Math.min(1, value));
      }
      return chance >= 1 ? 0 : Math.max(0, Math.min(1, (value - chance) / (1 - chance)));
    }

    /** {@code 61.3 %} or {@code R² 0.42}. */
    public String text() {
      return metric.equals("r2") ? String.format(Locale.ROOT, "%.2f", value)
          : String.format(Locale.ROOT, "%.1f", 100 * value);
    }
  }

  private final Lbfgs solver;

  public LinearProbe() {
    this(new Lbfgs(10, 300, 1e-4));
  }

  LinearProbe(Lbfgs solver) {
    this.solver = solver;
  }

  /**
   * Probes a categorical factor.
   *
   * @param x features, one row per sample
   * @param labels class of each sample (0..)
   * @param fit which samples are fitted on (the others are scored)
   * @param innerFit among the fitted samples, which are fitted on while choosing lambda (the others validate it)
   */
  public Score categorical(Matrix x, int[] labels, boolean[] fit, boolean[] innerFit) {
    int[] fitRows = rows(fit, true);
    int[] scoreRows = rows(fit, false);
    int[] innerA = subRows(fitRows, innerFit, true);
    int[] innerB = subRows(fitRows, innerFit, false);
    double best = Double.NEGATIVE_INFINITY;
    double bestLambda = LOGISTIC_LAMBDAS[LOGISTIC_LAMBDAS.length - 1];
    double[] bestStart = null;
    if (innerA.length > 0 && innerB.length > 0) {
      // strongest penalty first, each fit starting from the previous one's solution (the path is smooth in lambda)
      double[] start = null;
      for (int k = LOGISTIC_LAMBDAS.length - 1; k >= 0; k--) {
        double lambda = LOGISTIC_LAMBDAS[k];
        Fitted f = fitAndScoreCategorical(x, labels, innerA, innerB, lambda, start);
        start = f.parameters();
        if (f.score().value() > best) {
          best = f.score().value();
          bestLambda = lambda;
          bestStart = f.parameters();
        }
      }
    }
    // the objective is strictly convex: the start only saves iterations
    return fitAndScoreCategorical(x, labels, fitRows, scoreRows, bestLambda, bestStart).score();
  }

  /** A fit's score and parameters (null for a single class). */
  private record Fitted(Score score, double[] parameters) {}

  private Fitted fitAndScoreCategorical(Matrix x, int[] labels, int[] fitRows, int[] scoreRows, double lambda,
      double[] start) {
    // classes of the fitting part, numbered 0..K-1; a scored sample of another class cannot be predicted right
    java.util.TreeMap<Integer, Integer> classIndex = new java.util.TreeMap<>();
    for (int r : fitRows) {
      classIndex.putIfAbsent(labels[r], 0);
    }
    int k = 0;
    for (var e : classIndex.entrySet()) {
      e.setValue(k++);
    }
    int[] counts = new int[k];
    int[] y = new int[fitRows.length];
    for (int i = 0; i < fitRows.length; i++) {
      y[i] = classIndex.get(labels[fitRows[i]]);
      counts[y[i]]++;
    }
    int majority = 0;
    for (int c = 1; c < k; c++) {
      if (counts[c] > counts[majority]) {
        majority = c;
      }
    }
    int[] classOf = new int[k];
    for (var e : classIndex.entrySet()) {
      classOf[e.getValue()] = e.getKey();
    }
    int chanceHits = 0;
    for (int r : scoreRows) {
      chanceHits += labels[r] == classOf[majority] ? 1 : 0;
    }
    double chance = scoreRows.length == 0 ? 0 : (double) chanceHits / scoreRows.length;
    if (k < 2) { // one class: the answer is always that class
      return new Fitted(new Score("accuracy", chance, chance, lambda, fitRows.length, scoreRows.length, k), null);
    }
    Matrix[] std = standardise(x, fitRows, scoreRows);
    // a start from a part with other classes has another size: start from zeros then
    double[] from = start != null && start.length == x.cols() * k + k ? start : null;
    LogisticRegression.Model m = LogisticRegression.fit(std[0], y, k, lambda, solver, from);
    int[] predicted = m.predict(std[1]);
    int hits = 0;
    for (int i = 0; i < scoreRows.length; i++) {
      hits += classOf[predicted[i]] == labels[scoreRows[i]] ? 1 : 0;
    }
    return new Fitted(new Score("accuracy", scoreRows.length == 0 ? 0 : (double) hits / scoreRows.length, chance,
        lambda, fitRows.length, scoreRows.length, k), LogisticRegression.parameters(m));
  }

  /** Probes a continuous factor ({@code values[i]}: the sample's outputs); arguments as {@link #categorical}. */
  public Score continuous(Matrix x, double[][] values, boolean[] fit, boolean[] innerFit) {
    int[] fitRows = rows(fit, true);
    int[] scoreRows = rows(fit, false);
    int[] innerA = subRows(fitRows, innerFit, true);
    int[] innerB = subRows(fitRows, innerFit, false);
    double best = Double.NEGATIVE_INFINITY;
    double bestLambda = RIDGE_LAMBDAS[RIDGE_LAMBDAS.length - 1];
    if (innerA.length > 1 && innerB.length > 0) {
      Matrix[] std = standardise(x, innerA, innerB);
      double[][] gram = RidgeRegression.gram(std[0]);
      for (double lambda : RIDGE_LAMBDAS) {
        double r2 = ridgeScore(std, gram, values, innerA, innerB, lambda);
        if (r2 >= best) {
          best = r2;
          bestLambda = lambda;
        }
      }
    }
    Matrix[] std = standardise(x, fitRows, scoreRows);
    double r2 = ridgeScore(std, RidgeRegression.gram(std[0]), values, fitRows, scoreRows, bestLambda);
    return new Score("r2", r2, 0, bestLambda, fitRows.length, scoreRows.length, values[fitRows[0]].length);
  }

  private static double ridgeScore(Matrix[] std, double[][] gram, double[][] values, int[] fitRows,
      int[] scoreRows, double lambda) {
    int outputs = values[fitRows[0]].length;
    double[] mean = new double[outputs];
    for (int r : fitRows) {
      for (int o = 0; o < outputs; o++) {
        mean[o] += values[r][o] / fitRows.length;
      }
    }
    double[][] y = new double[fitRows.length][outputs];
    for (int i = 0; i < fitRows.length; i++) {
      for (int o = 0; o < outputs; o++) {
        y[i][o] = values[fitRows[i]][o] - mean[o];
      }
    }
    double[][] w = RidgeRegression.fit(std[0], y, gram, lambda);
    double[] flat = new double[w.length * outputs];
    for (int j = 0; j < w.length; j++) {
      System.arraycopy(w[j], 0, flat, j * outputs, outputs);
    }
    double[] pred = std[1].times(flat, outputs, null);
    double[] scoredMean = new double[outputs];
    for (int r : scoreRows) {
      for (int o = 0; o < outputs; o++) {
        scoredMean[o] += values[r][o] / scoreRows.length;
      }
    }
    double sse = 0;
    double sst = 0;
    for (int i = 0; i < scoreRows.length; i++) {
      for (int o = 0; o < outputs; o++) {
        double t = values[scoreRows[i]][o];
        double e = t - (pred[i * outputs + o] + mean[o]);
        sse += e * e;
        sst += (t - scoredMean[o]) * (t - scoredMean[o]);
      }
    }
    return sst > 0 ? 1 - sse / sst : sse == 0 ? 1 : Double.NEGATIVE_INFINITY;
  }

  /** The fitted rows and the scored rows of {@code x}, standardised with the fitted rows' statistics. */
  static Matrix[] standardise(Matrix x, int[] fitRows, int[] scoreRows) {
    Matrix a = x.rows(fitRows);
    Matrix b = x.rows(scoreRows);
    int d = x.cols();
    double[] mean = new double[d];
    double[] sq = new double[d];
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += a.data()[i * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= Math.max(1, a.rows());
    }
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < d; j++) {
        double e = a.data()[i * d + j] - mean[j];
        sq[j] += e * e;
      }
    }
    double[] scale = new double[d];
    for (int j = 0; j < d; j++) {
      double sd = Math.sqrt(sq[j] / Math.max(1, a.rows()));
      scale[j] = sd > 1e-12 ? 1 / sd : 1; // a constant column stays 0
    }
    for (Matrix m : new Matrix[] {a, b}) {
      double[] v = m.data();
      for (int i = 0; i < m.rows(); i++) {
        for (int j = 0; j < d; j++) {
          v[i * d + j] = (v[i * d + j] - mean[j]) * scale[j];
        }
      }
    }
    return new Matrix[] {a, b};
  }

  static int[] rows(boolean[] fit, boolean want) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < fit.length; i++) {
      if (fit[i] == want) {
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[] subRows(int[] rows, boolean[] inner, boolean want) {
    List<Integer> out = new ArrayList<>();
    for (int r : rows) {
      if (inner[r] == want) {
        out.add(r);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
