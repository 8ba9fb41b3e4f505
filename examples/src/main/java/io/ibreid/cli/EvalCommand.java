package io.ibreid.cli;

import io.ibreid.core.IbreidException;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.train.TrainedRun;
import io.ibreid.data.CrossModalSource;
import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.extract.TrainingImageLoader;
import io.ibreid.eval.protocol.EvalProtocol;
import io.ibreid.eval.protocol.SysuProtocol;
import io.ibreid.eval.ranking.CmcConvention;
import io.ibreid.eval.rerank.KReciprocalReranking;
import io.ibreid.eval.run.ModelFeatures;
import io.ibreid.eval.run.RunEvaluation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ibreid eval}: extracts features with a trained run and evaluates them with the data set's protocol. */
@Command(name = "eval", description = "Evaluate a trained run on a test split (SYSU-MM01 or RegDB protocol); "
    + "prints a table and writes metrics.json into the run directory.")
final class EvalCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin
  TrainedRunOptions runOptions;

  @Option(names = "--mode", defaultValue = "both", description = "SYSU: all, indoor or both (default: both).")
  String mode;

  @Option(names = "--shots", defaultValue = "1", description = "SYSU gallery images per identity and camera: 1 or 10.")
  int shots;

  @Option(names = "--trials", defaultValue = "10", description = "SYSU random galleries (default: 10).")
  int trials;

  @Option(names = "--rerank", description = "k-reciprocal re-ranking (k1 20, k2 6, lambda 0.3).")
  boolean rerank;

  @Option(names = "--cmc", paramLabel = "image|identity", description = "How CMC counts the ranked list: image by "
      + "image (rank of the first true match among the gallery images) or identity by identity (each gallery "
      + "identity once). Default: the data set's published convention, identity for SYSU-MM01, image for RegDB.")
  String cmc;

  @Option(names = "--json", paramLabel = "FILE", description = "Where to write the metrics (default: RUN_DIR/metrics.json).")
  Path json;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    CmcConvention convention = cmc == null ? null : CmcConvention.parse(cmc);
    TrainedRun trained = runOptions.open();
    Path run = runOptions.run;
    List<RunEvaluation.SetResults> sets = evaluateSets(trained, runOptions.dataset, runOptions.root,
        runOptions.trial, mode, shots, trials, rerank, convention);
    out.println("run " + run + ", checkpoint " + trained.checkpoint().getFileName());
    out.print(sets.size() == 1 ? RunEvaluation.table(sets.get(0).results()) : RunEvaluation.tables(sets));
    out.flush();
    for (RunEvaluation.SetResults s : sets) {
      warn(spec.commandLine().getErr(), s.results());
    }
    Path target = json == null ? run.resolve("metrics.json") : json;
    AtomicFiles.writeString(target, RunEvaluation.setsJson(sets, Map.of("run", run.toString(),
        "checkpoint", trained.checkpoint().getFileName().toString())));
    return 0;
  }

  /** Prints one {@code warning:} line per result that skipped more than a tenth of its queries. */
  static void warn(PrintWriter err, List<RunEvaluation.Result> results) {
    for (String w : RunEvaluation.warnings(results)) {
      err.println("warning: " + w);
    }
    err.flush();
  }

  /** The evaluation with each protocol's own CMC convention. */
  static List<RunEvaluation.Result> evaluate(TrainedRun trained, String dataset, Path root, Integer trial,
      String mode, int shots, int trials, boolean rerank) {
    return evaluate(trained, dataset, root, trial, mode, shots, trials, rerank, null);
  }

  /**
   * The primary feature's results; {@code cmc} null: the protocol's own convention (SYSU-MM01 identity-wise, RegDB
   * image-wise).
   */
  static List<RunEvaluation.Result> evaluate(TrainedRun trained, String dataset, Path root, Integer trial,
      String mode, int shots, int trials, boolean rerank, CmcConvention cmc) {
    return evaluate(trained, dataset, root, trial, mode, shots, trials, rerank, cmc, false).get(0).results();
  }

  /**
   * The primary feature and every {@code evaluation.featureSets} entry of the run's config, in that order, each on
   * the same test images, queries, galleries and trials ({@link RunEvaluation#setsJson} writes them).
   */
  static List<RunEvaluation.SetResults> evaluateSets(TrainedRun trained, String dataset, Path root, Integer trial,
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
    String type = RunData.type(trained.config(), dataset);
    CrossModalSource source = RunData.open(trained.config(), dataset, root, trial);
    Map<String, ModelFeatures> features = ModelFeatures.sets(trained.model(), trained.config().evaluation,
        new TrainingImageLoader(), 64);
    if (!allSets) {
      features = Map.of("", features.get(""));
    }
    RunEvaluation evaluation = new RunEvaluation(features, Distance.COSINE,
        rerank ? new KReciprocalReranking(20, 6, 0.3) : null);
    if (RunData.isRegdb(type)) {
      return evaluation.regdbSets(source, cmc == null ? EvalProtocol.REGDB.defaultCmc() : cmc);
    }
    List<SysuProtocol.Mode> modes = switch (mode) {
      case "both" -> List.of(SysuProtocol.Mode.ALL, SysuProtocol.Mode.INDOOR);
      default -> List.of(SysuProtocol.Mode.parse(mode));
    };
    return evaluation.sysuSets(source, modes, shots, trials, cmc == null ? EvalProtocol.SYSU.defaultCmc() : cmc);
  }
}
