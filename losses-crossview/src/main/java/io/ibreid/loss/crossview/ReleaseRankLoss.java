package io.ibreid.loss.crossview;

import io.ibreid.core.ConfigException;
import io.ibreid.core.IbreidException;
import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.LossInput;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.OutputNames;
import io.ibreid.core.loss.Slot;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The metric loss of the authors' public release (its "rank loss", used in place of a triplet loss on every branch
 * output), in its modality-aware form. Features are L2-normalised; {@code d_ij} is the Euclidean distance (squared
 * distances are clamped at 1e-12 before the root, as the release does). For each anchor i, with positives (same
 * identity, not i) and negatives split by whether their image has the anchor's modality (intra, margin m₁ and
 * threshold α₁) or the other one (cross, m₂, α₂):
 *
 * <pre>ℓ_i = Σ_{intra pos} [d + m₁ − α₁]₊ / (|P_intra| + δ) + Σ_{cross pos} [d + m₂ − α₂]₊ / (|P_cross| + δ)
 *     + Σ_{intra neg, d &lt; α₁} (α₁ − d) w / (Σ w + δ) + Σ_{cross neg, d &lt; α₂} (α₂ − d) w / (Σ w + δ)</pre>
 *
 * with {@code w = exp(t(α − d))} (a softmax-weighted hinge of the negatives that are too close) and δ = 1e-5, and
 * L = mean_i ℓ_i. Rows must be laid out as ibreid's two-modality outputs are: images of the visible modality in the
 * first half, infrared in the second, row r of both halves the same identity ({@code layout: halves}, checked on
 * the labels); {@code layout: single} treats every row as one modality. Under the release's wiring bind the shared
 * branch's two views separately ({@code shared.visible.v}, {@code shared.infrared.v}), as the release applies it to
 * each path. Gradients are exact (the weights w are differentiated too, as the release's autograd does).
 */
public final class ReleaseRankLoss implements LossTerm {
  /** Parameters of {@code rank}; the defaults are the release's command-line defaults (mm01.py). */
  public static final class Params {
    /** The output it reads: {@code v} or {@code z} (for the {@code branch:} shorthand). */
    public String on = OutputNames.V;
    public double margin1 = 0.9;
    public double margin2 = 1.0;
    public double alpha1 = 2.2;
    public double alpha2 = 2.0;
    /** The negatives' weight temperature t. */
    public double t = 1.0;
    /** {@code halves} (first half visible, second infrared) or {@code single} (one modality). */
    public String layout = "halves";
  }

  public static final String X = "x";
  private static final double DELTA = 1e-5;
  private static final double CLAMP = 1e-12;

  private final Params p;
  private final boolean halves;

  public ReleaseRankLoss(Params p) {
    for (double v : new double[] {p.margin1, p.margin2, p.alpha1, p.alpha2, p.t}) {
      if (!Double.isFinite(v)) {
        throw new ConfigException("rank: margins, alphas and t must be finite numbers");
      }
    }
    if (!"halves".equals(p.layout) && !"single".equals(p.layout)) {
      throw new ConfigException("rank: params.layout must be halves or single, got " + p.layout);
    }
    OutputNames.checkSide("rank", p.on);
    this.p = p;
    this.halves = "halves".equals(p.layout);
  }

  @Override
  public LossResult compute(LossInput input) {
    INDArray in = input.get(X);
    DataType type = in.dataType();
    double[][] x = in.castTo(DataType.DOUBLE).toDoubleMatrix();
    int[] y = input.labels(X);
    int n = x.length;
    int dim = n == 0 ? 0 : x[0].length;
    int[] mod = new int[n];
    if (halves) {
      if (n % 2 != 0) {
        throw new IbreidException("rank: layout halves needs an even number of rows, got " + n);
      }
      for (int i = 0; i < n / 2; i++) {
        if (y[i] != y[i + n / 2]) {
          throw new IbreidException("rank: rows " + i + " and " + (i + n / 2) + " are identities " + y[i] + " and "
              + y[i + n / 2] + "; layout halves needs visible images in the first half and their infrared partners "
              + "in the second (bind a two-modality output, or set layout: single)");
        }
        mod[i + n / 2] = 1;
      }
    }
    double[] norm = new double[n];
    double[][] u = new double[n][dim];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (double v : x[i]) {
        s += v * v;
      }
      norm[i] = Math.sqrt(s);
      for (int k = 0; k < dim; k++) {
        u[i][k] = x[i][k] / norm[i];
      }
    }
    double[][] d = new double[n][n];
    boolean[][] clamped = new boolean[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < dim; k++) {
          double e = u[i][k] - u[j][k];
          s += e * e;
        }
        clamped[i][j] = s < CLAMP;
        d[i][j] = Math.sqrt(Math.max(s, CLAMP));
      }
    }
    double[][] g = new double[n][n]; // dL/dd_ij (anchor i)
    double pos = 0;
    double neg = 0;
    for (int i = 0; i < n; i++) {
      for (int cross = 0; cross <= 1; cross++) {
        double m = cross == 0 ? p.margin1 : p.margin2;
        double a = cross == 0 ? p.alpha1 : p.alpha2;
        int count = 0;
        for (int j = 0; j < n; j++) {
          if (j != i && y[j] == y[i] && (mod[j] != mod[i]) == (cross == 1)) {
            count++;
          }
        }
        for (int j = 0; j < n; j++) {
          if (j != i && y[j] == y[i] && (mod[j] != mod[i]) == (cross == 1) && d[i][j] + m - a > 0) {
            pos += (d[i][j] + m - a) / (count + DELTA);
            g[i][j] += 1 / (count + DELTA);
          }
        }
        double num = 0;
        double den = DELTA;
        for (int j = 0; j < n; j++) {
          if (y[j] != y[i] && (mod[j] != mod[i]) == (cross == 1) && d[i][j] < a) {
            double w = Math.exp(p.t * (a - d[i][j]));
            num += (a - d[i][j]) * w;
            den += w;
          }
        }
        double ell = num / den;
        neg += ell;
        for (int j = 0; j < n; j++) {
          if (y[j] != y[i] && (mod[j] != mod[i]) == (cross == 1) && d[i][j] < a) {
            double r = a - d[i][j];
            double w = Math.exp(p.t * r);
            g[i][j] += (w / den) * (p.t * ell - 1 - p.t * r);
          }
        }
      }
    }
    double[][] gu = new double[n][dim];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (g[i][j] == 0 || clamped[i][j]) {
          continue;
        }
        double c = g[i][j] / (n * d[i][j]);
        for (int k = 0; k < dim; k++) {
          double e = c * (u[i][k] - u[j][k]);
          gu[i][k] += e;
          gu[j][k] -= e;
        }
      }
    }
    double[][] gx = new double[n][dim];
    for (int i = 0; i < n; i++) {
      double dot = 0;
      for (int k = 0; k < dim; k++) {
        dot += u[i][k] * gu[i][k];
      }
      for (int k = 0; k < dim; k++) {
        gx[i][k] = (gu[i][k] - u[i][k] * dot) / norm[i];
      }
    }
    return new LossResult((pos + neg) / n, Map.of(X, Nd4j.create(gx).castTo(type)),
        Map.of("positive", pos / n, "negative", neg / n));
  }

  /** The {@code rank} plug-in. */
  public static final class Factory implements LossFactory<Params> {
    @Override
    public String name() {
      return "rank";
    }

    @Override
    public String description() {
      return "the release's modality-aware rank loss on L2-normalised features (on, margin1, margin2, alpha1, "
          + "alpha2, t, layout halves|single)";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public List<Slot> slots(Params params) {
      return List.of(Slot.differentiable(X, "features, rows labelled; visible half then infrared half"));
    }

    /** {@code branch.on} over all the branch's rows. */
    @Override
    public Map<String, String> defaultInputs(String branch, Params params) {
      return Map.of(X, branch + "." + OutputNames.checkSide("rank", params.on));
    }

    @Override
    public LossTerm create(Params params, LossContext context) {
      return new ReleaseRankLoss(params);
    }
  }
}
