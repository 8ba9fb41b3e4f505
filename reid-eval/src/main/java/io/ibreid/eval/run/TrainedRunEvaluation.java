package io.ibreid.eval.run;

import io.ibreid.core.IbreidException;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.data.CrossModalSource;
import io.ibreid.data.DataSources;
import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.extract.TrainingImageLoader;
import io.ibreid.eval.protocol.EvalProtocol;
import io.ibreid.eval.protocol.SysuProtocol;
import io.ibreid.eval.ranking.CmcConvention;
import io.ibreid.eval.rerank.KReciprocalReranking;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A trained run evaluated on a data set ({@link DataSources#open(io.ibreid.core.config.RunConfig, String, Path,
 * Integer)}: by default the one it was trained on) with that data set's protocol: SYSU-MM01 ({@code mode} all,
 * indoor or both; 1 or 10 shots; {@code trials} random galleries) or RegDB (the trial, both directions). Cosine
 * distance, optionally k-reciprocal re-ranking (k1 20, k2 6, lambda 0.3); {@code cmc} null means the protocol's own
 * convention (SYSU-MM01 identity-wise, RegDB image-wise).
 */
public final class TrainedRunEvaluation {
  private TrainedRunEvaluation() {}

  /** The primary feature's results. */
  public static List<RunEvaluation.Result> primary(TrainedRun trained, String dataset, Path root, Integer trial,
      String mode, int shots, int trials, boolean rerank, CmcConvention cmc) {
    return evaluate(trained, dataset, root, trial, mode, shots, trials, rerank, cmc, false).get(0).results();
  }

  /**
   * The primary feature and every {@code evaluation.featureSets} entry of the run's config, in that order, each on
   * the same test images, queries, galleries and trials ({@link RunEvaluation#setsJson} writes them).
   */
  public static List<RunEvaluation.SetResults> sets(TrainedRun trained, String dataset, Path root, Integer trial,
      String mode, int shots, int trials, boolean rerank, CmcConvention cmc) {
    return evaluate(trained, dataset, root, trial, mode, shots, trials, rerank, cmc, true);
  }

  private static List<RunEvaluation.SetResults> evaluate(TrainedRun trained, String dataset, Path root,
      Integer trial, String mode, int shots, int trials, boolean rerank, CmcConvention cmc, boolean allSets) {
    if (shots != 1 && shots != 10) {
      throw new IbreidException("--shots must be 1 or 10, got " + shots);
    }
    if (trials < 1) {
      throw new IbreidException("--trials must be >= 1, got " + trials);
    }
    String type = DataSources.type(trained.config(), dataset);
    CrossModalSource source = DataSources.open(trained.config(), dataset, root, trial);
    Map<String, ModelFeatures> features = ModelFeatures.sets(trained.model(), trained.config().evaluation,
        new TrainingImageLoader(), 64);
    if (!allSets) {
      features = Map.of("", features.get(""));
    }
    RunEvaluation evaluation = new RunEvaluation(features, Distance.COSINE,
        rerank ? new KReciprocalReranking(20, 6, 0.3) : null);
    if (DataSources.isRegdb(type)) {
      return evaluation.regdbSets(source, cmc == null ? EvalProtocol.REGDB.defaultCmc() : cmc);
    }
    List<SysuProtocol.Mode> modes = switch (mode) {
      case "both" -> List.of(SysuProtocol.Mode.ALL, SysuProtocol.Mode.INDOOR);
      default -> List.of(SysuProtocol.Mode.parse(mode));
    };
    return evaluation.sysuSets(source, modes, shots, trials, cmc == null ? EvalProtocol.SYSU.defaultCmc() : cmc);
  }
}
