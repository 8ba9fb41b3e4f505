package io.ibreid.cli;

import io.ibreid.core.IbreidException;
import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.run.TrainedRun;
import io.ibreid.eval.ranking.CmcConvention;
import io.ibreid.eval.run.RunEvaluation;
import io.ibreid.eval.run.TrainedRunEvaluation;
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
    Bounds.check("--trials", trials, 1, Bounds.MAX_TRIALS);
    Bounds.check("--shots", shots, 1, Bounds.MAX_SHOTS);
    Path run = runOptions.run;
    Path target = json == null ? run.resolve("metrics.json") : json;
    OutputFolder.requireFile(target, json == null ? "--run" : "--json");
    TrainedRun trained = runOptions.open();
    List<RunEvaluation.SetResults> sets = TrainedRunEvaluation.sets(trained, runOptions.dataset, runOptions.root,
        runOptions.trial, mode, shots, trials, rerank, convention);
    out.println("run " + run + ", checkpoint " + trained.checkpoint().getFileName());
    out.print(sets.size() == 1 ? RunEvaluation.table(sets.get(0).results()) : RunEvaluation.tables(sets));
    out.flush();
    for (RunEvaluation.SetResults s : sets) {
      warn(spec.commandLine().getErr(), s.results());
    }
    try {
      AtomicFiles.writeString(target, RunEvaluation.setsJson(sets, Map.of("run", run.toString(),
          "checkpoint", trained.checkpoint().getFileName().toString())));
    } catch (IbreidException e) {
      throw json != null ? e : new IbreidException(e.getMessage() + " (write the metrics elsewhere with --json FILE)",
          e);
    }
    return 0;
  }

  /** Prints one {@code warning:} line per result that skipped more than a tenth of its queries. */
  static void warn(PrintWriter err, List<RunEvaluation.Result> results) {
    for (String w : RunEvaluation.warnings(results)) {
      err.println("warning: " + w);
    }
    err.flush();
  }
}
