package io.ibreid.loss.baseline;

import io.ibreid.core.ConfigException;
import io.ibreid.core.IbreidException;
import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.LossInput;
import io.ibreid.core.loss.LossResult;
import io.ibreid.core.loss.LossTerm;
import io.ibreid.core.loss.OutputNames;
import io.ibreid.core.loss.Slot;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The compression term of the classic information bottleneck, {@code β·I(v;z)}, for a Gaussian encoder
 * {@code q(z|v) = N(μ(v), diag e^{ℓ(v)})} (the {@code vib} bottleneck), with I(v;z) replaced by the leave-one-out
 * minibatch upper bound of Poole et al. (2019): over the N rows of a batch, with {@code L_ij = log q(z_i | v_j)},
 *
 * <pre>Î = (1/N) Σ_i [ L_ii − log( (1/(N−1)) Σ_{j≠i} exp L_ij ) ]</pre>
 *
 * where {@code z_i = μ_i + σ_i ε_i} is the sampled representation of row i. The other rows' encoder distributions
 * stand in for the marginal q(z), so, unlike VIB's KL to a fixed N(0, I), only information is penalised; and unlike a
 * critic's lower bound, Î grows with the separation of the rows' distributions, so its gradient does not vanish
 * when z becomes informative. The value is {@code β·Î}; diagnostics {@code upper} (Î, nats) and {@code lower} (the
 * InfoNCE lower bound {@code (1/N) Σ_i [L_ii − log((1/N) Σ_j exp L_ij)]} ≤ log N from the same matrix; no gradient).
 *
 * <p>Gradients, with {@code c_ij = (δ_ij − w_ij)/N} and {@code w_ij} the softmax of {@code L_ij} over j ≠ i
 * ({@code w_ii = 0}), {@code D_ij = z_i − μ_j}, {@code P_j = e^{−ℓ_j}} (element-wise):
 * {@code ∂Î/∂z_i = −Σ_j c_ij D_ij P_j}, {@code ∂Î/∂μ_j = Σ_i c_ij D_ij P_j},
 * {@code ∂Î/∂ℓ_j = ½ Σ_i c_ij (D_ij² P_j − 1)}. The arithmetic runs in double precision; gradients are returned in
 * the inputs' type.
 */
public final class UpperBoundIbLoss implements LossTerm {
  /** Parameters of {@code ib-upper}. */
  public static final class Params {
    /** β, the weight of the bound on I(v;z) (applied inside the term: its value is β·Î). */
    public double beta = 1e-2;
  }

  /** The sampled representation z = μ + σ ε. */
  public static final String Z = OutputNames.Z;
  /** The encoder's mean μ(v). */
  public static final String MU = VibBottleneck.MU;
  /** The encoder's log-variance ℓ(v). */
  public static final String LOGVAR = VibBottleneck.LOGVAR;

  private static final double LOG_2PI = Math.log(2 * Math.PI);

  private final double beta;

  public UpperBoundIbLoss(double beta) {
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new ConfigException("ib-upper: params.beta must be a finite number >= 0, got " + beta);
    }
    this.beta = beta;
  }

  @Override
  public LossResult compute(LossInput input) {
    INDArray zArray = input.get(Z);
    DataType type = zArray.dataType();
    double[][] z = zArray.castTo(DataType.DOUBLE).toDoubleMatrix();
    double[][] mu = input.get(MU).castTo(DataType.DOUBLE).toDoubleMatrix();
    double[][] logvar = input.get(LOGVAR).castTo(DataType.DOUBLE).toDoubleMatrix();
    int n = z.length;
    int d = n == 0 ? 0 : z[0].length;
    if (n < 2 || mu.length != n || logvar.length != n || mu[0].length != d || logvar[0].length != d) {
      throw new IbreidException("ib-upper: needs at least 2 rows and z, mu, logvar of one shape, got z "
          + Arrays.toString(zArray.shape()) + ", mu " + Arrays.toString(input.get(MU).shape()) + ", logvar "
          + Arrays.toString(input.get(LOGVAR).shape()));
    }
    double[][] precision = new double[n][d];
    double[] logNorm = new double[n]; // −½ Σ_k (ℓ_jk + log 2π)
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        precision[j][k] = Math.exp(-logvar[j][k]);
        s += logvar[j][k] + LOG_2PI;
      }
      logNorm[j] = -0.5 * s;
    }
    double[][] logq = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          double diff = z[i][k] - mu[j][k];
          s += diff * diff * precision[j][k];
        }
        logq[i][j] = logNorm[j] - 0.5 * s;
      }
    }
    double upper = 0;
    double lower = 0;
    double[][] c = new double[n][n];
    for (int i = 0; i < n; i++) {
      double othersMax = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          othersMax = Math.max(othersMax, logq[i][j]);
        }
      }
      double others = 0;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          others += Math.exp(logq[i][j] - othersMax);
        }
      }
      double logOthers = othersMax + Math.log(others);
      upper += logq[i][i] - (logOthers - Math.log(n - 1));
      double allMax = Math.max(othersMax, logq[i][i]);
      double all = Math.exp(logq[i][i] - allMax) + others * Math.exp(othersMax - allMax);
      lower += logq[i][i] - (allMax + Math.log(all) - Math.log(n));
      for (int j = 0; j < n; j++) {
        double w = j == i ? 0 : Math.exp(logq[i][j] - logOthers);
        c[i][j] = ((j == i ? 1 : 0) - w) / n;
      }
    }
    upper /= n;
    lower /= n;
    double[][] gz = new double[n][d];
    double[][] gmu = new double[n][d];
    double[][] glogvar = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double cij = c[i][j] * beta;
        if (cij == 0) {
          continue;
        }
        for (int k = 0; k < d; k++) {
          double dp = (z[i][k] - mu[j][k]) * precision[j][k];
          gz[i][k] -= cij * dp;
          gmu[j][k] += cij * dp;
          glogvar[j][k] += 0.5 * cij * (dp * (z[i][k] - mu[j][k]) - 1);
        }
      }
    }
    return new LossResult(beta * upper, Map.of(Z, Nd4j.create(gz).castTo(type), MU, Nd4j.create(gmu).castTo(type),
        LOGVAR, Nd4j.create(glogvar).castTo(type)), Map.of("upper", upper, "lower", lower));
  }

  /** The {@code ib-upper} plug-in. */
  public static final class Factory implements LossFactory<Params> {
    @Override
    public String name() {
      return "ib-upper";
    }

    @Override
    public String description() {
      return "classic IB compression beta*I(v;z) by the leave-one-out minibatch upper bound, on a vib bottleneck's "
          + "sampled z, mu and logvar (beta)";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public List<Slot> slots(Params params) {
      return List.of(
          Slot.differentiable(Z, "sampled representation z = mu + sigma*eps, one row per image"),
          Slot.differentiable(MU, "mean of q(z|v), same rows"),
          Slot.differentiable(LOGVAR, "log-variance of q(z|v), same rows"));
    }

    /** Any branch whose bottleneck is {@code vib}: its z, mu and logvar over all its rows. */
    @Override
    public Map<String, String> defaultInputs(String branch, Params params) {
      return Map.of(Z, branch + "." + Z, MU, branch + "." + MU, LOGVAR, branch + "." + LOGVAR);
    }

    @Override
    public LossTerm create(Params params, LossContext context) {
      return new UpperBoundIbLoss(params.beta);
    }
  }
}
