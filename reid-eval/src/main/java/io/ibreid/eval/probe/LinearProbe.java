package io.ibreid.eval.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A linear probe: how well a feature predicts a factor on images it was not fitted on. Features are standardised
 * with the fitting part's mean and standard deviation; a categorical factor gets multinomial logistic regression
 * (scored by accuracy, against the chance level of always answering the fitting part's most frequent class), a
 * continuous one ridge regression (scored by R² = 1 - SSE / SST over every output, SST around the scored part's own
 * mean, so 0 is what the mean predicts and negative is worse). The regularisation strength is the one of a fixed
 * grid that scores best on an inner split of the fitting part (ties: the stronger), then the probe is refitted on
 * the whole fitting part.
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
    this(new Lbfgs(10, 300, 1e-5));
  }

  LinearProbe(Lbfgs solver) {
    this.solver = solver;
  }

  /**
   * Probes a categorical factor.
   *
   * @param x features, one row per sample (float or double)
   * @param labels class of each sample (0..)
   * @param fit which samples are fitted on (the others are scored)
   * @param innerFit among the fitted samples, which are fitted on while choosing lambda (the others validate it)
   */
  public Score categorical(INDArray x, int[] labels, boolean[] fit, boolean[] innerFit) {
    int[] fitRows = rows(fit, true);
    int[] scoreRows = rows(fit, false);
    int[] innerA = subRows(fitRows, innerFit, true);
    int[] innerB = subRows(fitRows, innerFit, false);
    double best = Double.NEGATIVE_INFINITY;
    double bestLambda = LOGISTIC_LAMBDAS[LOGISTIC_LAMBDAS.length - 1];
    if (innerA.length > 0 && innerB.length > 0) {
      for (double lambda : LOGISTIC_LAMBDAS) {
        double acc = fitAndScoreCategorical(x, labels, innerA, innerB, lambda).value();
        if (acc >= best) {
          best = acc;
          bestLambda = lambda;
        }
      }
    }
    return fitAndScoreCategorical(x, labels, fitRows, scoreRows, bestLambda);
  }

  private Score fitAndScoreCategorical(INDArray x, int[] labels, int[] fitRows, int[] scoreRows, double lambda) {
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
      return new Score("accuracy", chance, chance, lambda, fitRows.length, scoreRows.length, k);
    }
    INDArray[] std = standardise(x, fitRows, scoreRows);
    LogisticRegression.Model m = LogisticRegression.fit(std[0], y, k, lambda, solver);
    int[] predicted = m.predict(std[1]);
    int hits = 0;
    for (int i = 0; i < scoreRows.length; i++) {
      hits += classOf[predicted[i]] == labels[scoreRows[i]] ? 1 : 0;
    }
    return new Score("accuracy", scoreRows.length == 0 ? 0 : (double) hits / scoreRows.length, chance, lambda,
        fitRows.length, scoreRows.length, k);
  }

  /** Probes a continuous factor ({@code values[i]}: the sample's outputs); arguments as {@link #categorical}. */
  public Score continuous(INDArray x, double[][] values, boolean[] fit, boolean[] innerFit) {
    int[] fitRows = rows(fit, true);
    int[] scoreRows = rows(fit, false);
    int[] innerA = subRows(fitRows, innerFit, true);
    int[] innerB = subRows(fitRows, innerFit, false);
    double best = Double.NEGATIVE_INFINITY;
    double bestLambda = RIDGE_LAMBDAS[RIDGE_LAMBDAS.length - 1];
    if (innerA.length > 1 && innerB.length > 0) {
      INDArray[] std = standardise(x, innerA, innerB);
      double[][] gram = RidgeRegression.gram(std[0]);
      for (double lambda : RIDGE_LAMBDAS) {
        double r2 = ridgeScore(std, gram, values, innerA, innerB, lambda);
        if (r2 >= best) {
          best = r2;
          bestLambda = lambda;
        }
      }
    }
    INDArray[] std = standardise(x, fitRows, scoreRows);
    double r2 = ridgeScore(std, RidgeRegression.gram(std[0]), values, fitRows, scoreRows, bestLambda);
    return new Score("r2", r2, 0, bestLambda, fitRows.length, scoreRows.length, values[fitRows[0]].length);
  }

  private static double ridgeScore(INDArray[] std, double[][] gram, double[][] values, int[] fitRows,
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
    INDArray w = RidgeRegression.fit(std[0], Nd4j.create(y).castTo(DataType.DOUBLE), gram, lambda);
    double[][] pred = std[1].mmul(w).toDoubleMatrix();
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
        double e = t - (pred[i][o] + mean[o]);
        sse += e * e;
        sst += (t - scoredMean[o]) * (t - scoredMean[o]);
      }
    }
    return sst > 0 ? 1 - sse / sst : sse == 0 ? 1 : Double.NEGATIVE_INFINITY;
  }

  /** The fitted rows and the scored rows of {@code x}, standardised with the fitted rows' statistics. */
  static INDArray[] standardise(INDArray x, int[] fitRows, int[] scoreRows) {
    INDArray a = rowsOf(x, fitRows);
    INDArray b = rowsOf(x, scoreRows);
    INDArray mean = a.mean(0).reshape(1, a.columns());
    INDArray sd = a.std(false, 0).reshape(1, a.columns());
    double[] s = sd.toDoubleVector();
    for (int j = 0; j < s.length; j++) {
      s[j] = s[j] > 1e-12 ? s[j] : 1; // a constant column stays 0
    }
    INDArray scale = Nd4j.create(s, new long[] {1, s.length}, DataType.DOUBLE);
    a.subiRowVector(mean).diviRowVector(scale);
    b.subiRowVector(mean).diviRowVector(scale);
    return new INDArray[] {a, b};
  }

  private static INDArray rowsOf(INDArray x, int[] rows) {
    if (rows.length == 0) {
      return Nd4j.zeros(DataType.DOUBLE, 0, x.columns());
    }
    long[] idx = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      idx[i] = rows[i];
    }
    return x.getRows(rows).castTo(DataType.DOUBLE).dup('c');
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
