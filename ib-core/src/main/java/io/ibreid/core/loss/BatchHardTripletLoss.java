package io.ibreid.core.loss;

import io.ibreid.core.ConfigException;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch-hard triplet loss (Hermans et al., 2017) on Euclidean distances: for each anchor, its farthest same-identity
 * row and its nearest other-identity row; {@code mean max(0, m + d(a,p) − d(a,n))}, or the soft margin
 * {@code mean log(1 + exp(d(a,p) − d(a,n)))} when {@code margin} is 0. Anchors without a positive or a negative in
 * the batch are left out of the mean.
 */
public final class BatchHardTripletLoss implements LossTerm {
  /** Parameters of {@code triplet}. */
  public static final class Params {
    /** Margin m; 0 selects the soft-margin form. */
    public double margin = 0.3;
    /** With {@code branch:} shorthand, which feature to read: {@code v} or {@code z}. */
    public String on = "v";
  }

  static final String FEATURES = "features";
  private static final double EPS = 1e-12;

  private final double margin;

  public BatchHardTripletLoss(double margin) {
    if (!(margin >= 0) || Double.isInfinite(margin)) {
      throw new ConfigException("triplet: margin must be >= 0 (0 = soft margin), got " + margin);
    }
    this.margin = margin;
  }

  @Override
  public LossResult compute(LossInput input) {
    INDArray features = input.get(FEATURES);
    int[] y = input.labels(FEATURES);
    int n = (int) features.rows();
    int d = (int) features.columns();
    double[][] x = features.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
    double[][] dist = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          double t = x[i][k] - x[j][k];
          s += t * t;
        }
        dist[i][j] = dist[j][i] = Math.sqrt(s + EPS);
      }
    }
    int[] pos = new int[n];
    int[] neg = new int[n];
    int valid = 0;
    for (int i = 0; i < n; i++) {
      pos[i] = -1;
      neg[i] = -1;
      for (int j = 0; j < n; j++) {
        if (j == i) {
          continue;
        }
        if (y[j] == y[i]) {
          if (pos[i] < 0 || dist[i][j] > dist[i][pos[i]]) {
            pos[i] = j;
          }
        } else if (neg[i] < 0 || dist[i][j] < dist[i][neg[i]]) {
          neg[i] = j;
        }
      }
      if (pos[i] >= 0 && neg[i] >= 0) {
        valid++;
      }
    }
    double[][] g = new double[n][d];
    double value = 0;
    if (valid > 0) {
      for (int i = 0; i < n; i++) {
        if (pos[i] < 0 || neg[i] < 0) {
          continue;
        }
        int p = pos[i];
        int q = neg[i];
        double diff = dist[i][p] - dist[i][q];
        double coef;
        if (margin > 0) {
          double h = margin + diff;
          if (h <= 0) {
            continue;
          }
          value += h;
          coef = 1.0 / valid;
        } else {
          value += diff > 0 ? diff + Math.log1p(Math.exp(-diff)) : Math.log1p(Math.exp(diff));
          coef = 1.0 / (1.0 + Math.exp(-diff)) / valid;
        }
        for (int k = 0; k < d; k++) {
          double ap = coef * (x[i][k] - x[p][k]) / dist[i][p];
          double an = coef * (x[i][k] - x[q][k]) / dist[i][q];
          g[i][k] += ap - an;
          g[p][k] -= ap;
          g[q][k] += an;
        }
      }
      value /= valid;
    }
    INDArray grad = Nd4j.create(g).castTo(features.dataType());
    return new LossResult(value, Map.of(FEATURES, grad), Map.of("valid_anchors", (double) valid));
  }

  /** The {@code triplet} plug-in. */
  public static final class Factory implements LossFactory<Params> {
    @Override
    public String name() {
      return "triplet";
    }

    @Override
    public String description() {
      return "batch-hard triplet loss on Euclidean distance (margin, default 0.3; 0 = soft margin)";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public List<Slot> slots(Params params) {
      return List.of(Slot.differentiable(FEATURES, "embeddings, rows labelled"));
    }

    @Override
    public Map<String, String> defaultInputs(String branch, Params params) {
      return Map.of(FEATURES, branch + "." + OutputNames.checkSide("triplet", params.on));
    }

    @Override
    public LossTerm create(Params params, LossContext context) {
      return new BatchHardTripletLoss(params.margin);
    }
  }
}
