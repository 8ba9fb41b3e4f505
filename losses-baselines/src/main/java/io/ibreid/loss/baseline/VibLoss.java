package io.ibreid.loss.baseline;

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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The VIB compression term {@code β · mean_i KL(N(μ_i, diag e^{logvar_i}) ‖ N(0, I))}, in closed form
 * {@code KL = ½ Σ_j (μ_j² + e^{logvar_j} − logvar_j − 1)} nats per row. Gradients:
 * {@code β μ / N} and {@code β (e^{logvar} − 1) / (2N)}. Reads the {@code mu} and {@code logvar} outputs of a
 * branch whose bottleneck is {@code vib}; the raw KL is logged as the {@code kl} diagnostic.
 */
public final class VibLoss implements LossTerm {
  /** Parameters of the {@code vib} loss. */
  public static final class Params {
    /** β: the weight of the compression term, applied inside the term (its value is β·KL). */
    public double beta = 1e-3;
  }

  static final String MU = VibBottleneck.MU;
  static final String LOGVAR = VibBottleneck.LOGVAR;

  private final double beta;

  public VibLoss(double beta) {
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new ConfigException("vib: params.beta must be a finite number >= 0, got " + beta);
    }
    this.beta = beta;
  }

  @Override
  public LossResult compute(LossInput input) {
    INDArray mu = input.get(MU);
    INDArray logvar = input.get(LOGVAR).castTo(mu.dataType());
    if (!Arrays.equals(mu.shape(), logvar.shape())) {
      throw new IllegalArgumentException("vib: [mu] is " + Arrays.toString(mu.shape()) + " but [logvar] is "
          + Arrays.toString(logvar.shape()));
    }
    long n = mu.rows();
    INDArray var = Transforms.exp(logvar, true);
    double kl = 0.5 * mu.mul(mu).addi(var).subi(logvar).subi(1).sumNumber().doubleValue() / n;
    INDArray gMu = mu.mul(beta / n);
    INDArray gLogvar = var.subi(1).muli(0.5 * beta / n);
    return new LossResult(beta * kl, Map.of(MU, gMu, LOGVAR, gLogvar), Map.of("kl", kl));
  }

  /** The {@code vib} loss plug-in. */
  public static final class Factory implements LossFactory<Params> {
    @Override
    public String name() {
      return "vib";
    }

    @Override
    public String description() {
      return "VIB compression beta*KL(N(mu, sigma^2) || N(0, I)) on a vib bottleneck's mu/logvar (beta, default 1e-3)";
    }

    @Override
    public Class<Params> parametersType() {
      return Params.class;
    }

    @Override
    public List<Slot> slots(Params params) {
      return List.of(Slot.differentiable(MU, "mean of q(z|v)"), Slot.differentiable(LOGVAR, "log-variance of q(z|v)"));
    }

    /** Any branch whose bottleneck is {@code vib}: its {@code mu} and {@code logvar} outputs. */
    @Override
    public Map<String, String> defaultInputs(String branch, Params params) {
      return Map.of(MU, branch + "." + MU, LOGVAR, branch + "." + LOGVAR);
    }

    @Override
    public LossTerm create(Params params, LossContext context) {
      return new VibLoss(params.beta);
    }
  }
}
