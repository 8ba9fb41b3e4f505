package io.ibreid.cli;

import io.ibreid.core.io.AtomicFiles;
import io.ibreid.core.natives.NativeRuntime;
import io.ibreid.eval.distance.OpenBlasLibrary;
import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.features.LabelledFeatures;
import io.ibreid.eval.features.QueryGallery;
import io.ibreid.eval.protocol.EvalProtocol;
import io.ibreid.eval.protocol.FeatureEvaluation;
import io.ibreid.eval.protocol.ProtocolSummary;
import io.ibreid.eval.ranking.CmcConvention;
import io.ibreid.eval.ranking.Evaluation;
import io.ibreid.eval.ranking.MetricsJson;
import io.ibreid.eval.ranking.RankingEvaluator;
import io.ibreid.eval.report.Reports;
import io.ibreid.eval.rerank.KReciprocalReranking;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ibreid eval-features}: CMC / mAP / mINP of features stored as .npy matrices with CSV metadata. Defaults are
 * the fields' initial values (picocli shows them as {@code ${DEFAULT-VALUE}}), so that {@link EvalFeaturesFastPath}
 * shares them.
 */
@Command(name = "eval-features", sortOptions = false,
    description = {"Evaluate query features against gallery features (.npy float32, rows = images; CSV metadata "
        + "with the header path,pid,camid). Prints one JSON object (percent) and optionally writes it to --json.",
        "sysu: a camera-3 query never sees camera-2 gallery images (same place); regdb: nothing is removed."})
final class EvalFeaturesCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** Where the JSON goes when the command was not built by picocli (the fast path): standard output. */
  PrintWriter directOut;

  /** Where warnings go when the command was not built by picocli (the fast path): standard error. */
  PrintWriter directErr;

  private PrintWriter out() {
    return spec != null ? spec.commandLine().getOut() : directOut;
  }

  private PrintWriter err() {
    return spec != null ? spec.commandLine().getErr() : directErr;
  }

  @Option(names = "--protocol", required = true, paramLabel = "sysu|regdb", description = "Ranking rules.")
  String protocol;

  @Option(names = "--query", required = true, paramLabel = "Q.npy", description = "Query features.")
  Path query;

  @Option(names = "--query-meta", required = true, paramLabel = "Q.csv", description = "Query metadata.")
  Path queryMeta;

  @Option(names = "--gallery", required = true, paramLabel = "G.npy", description = "Gallery features.")
  Path gallery;

  @Option(names = "--gallery-meta", required = true, paramLabel = "G.csv", description = "Gallery metadata.")
  Path galleryMeta;

  @Option(names = "--distance", paramLabel = "cosine|euclidean",
      description = "Distance (default: ${DEFAULT-VALUE}; cosine = L2-normalised features).")
  String distance = "cosine";

  @Option(names = "--cmc", paramLabel = "image|identity",
      description = "How CMC counts the ranked list: image by image (rank of the first true match among the gallery "
          + "images) or identity by identity (each gallery identity once). Default: the protocol's published "
          + "convention, identity for sysu, image for regdb.")
  String cmc;

  @Option(names = "--trials", paramLabel = "N",
      description = "sysu only: run the published protocol's N trials (10), each drawing its gallery from the given "
          + "gallery images (all test images of the gallery cameras); prints means, std and per-trial metrics.")
  Integer trials;

  @Option(names = "--shots", paramLabel = "1|10",
      description = "With --trials: gallery images per identity and camera (default ${DEFAULT-VALUE}).")
  int shots = 1;

  @Option(names = "--mode", paramLabel = "all|indoor",
      description = "With --trials: gallery cameras 1,2,4,5 (all) or 1,2 (indoor) (default ${DEFAULT-VALUE}).")
  String mode = "all";

  @Option(names = "--json", paramLabel = "OUT.json", description = "Also write the JSON object to this file.")
  Path json;

  @Option(names = "--rerank", description = "k-reciprocal re-ranking (Zhong et al. 2017).")
  boolean rerank;

  @Option(names = "--k1", description = "Re-ranking k1 (default ${DEFAULT-VALUE}).")
  int k1 = 20;

  @Option(names = "--k2", description = "Re-ranking k2 (default ${DEFAULT-VALUE}).")
  int k2 = 6;

  @Option(names = "--lambda", description = "Re-ranking lambda (default ${DEFAULT-VALUE}).")
  double lambda = 0.3;

  @Option(names = "--report", paramLabel = "DIR",
      description = "Write cmc.png, ranklist.png and ranklist.csv (worst queries first) into DIR.")
  Path report;

  @Option(names = "--report-queries", description = "Queries in the rank list (default ${DEFAULT-VALUE}).")
  int reportQueries = 20;

  @Option(names = "--image-root", paramLabel = "DIR",
      description = "Folder the metadata paths are relative to, for the rank-list images (default: current folder).")
  Path imageRoot;

  @Option(names = "--backend", paramLabel = "blas|nd4j",
      description = "Matrix product: OpenBLAS directly (default) or ND4J.")
  String backend = "blas";

  @Override
  public Integer call() throws Exception {
    EvalProtocol p = EvalProtocol.parse(protocol);
    CmcConvention convention = cmc == null ? p.defaultCmc() : CmcConvention.parse(cmc);
    Distance d = Distance.parse(distance);
    KernelFactory kernels = KernelFactory.parse(backend);
    KReciprocalReranking rr = rerank ? new KReciprocalReranking(k1, k2, lambda) : null;
    if (trials != null) {
      Bounds.check("--trials", trials, 1, Bounds.MAX_TRIALS);
    }
    Bounds.check("--shots", shots, 1, Bounds.MAX_SHOTS);
    Bounds.check("--report-queries", reportQueries, 1, Bounds.MAX_REPORT_QUERIES);
    if (json != null) {
      OutputFolder.requireFile(json, "--json");
    }
    OutputFolder reportFolder = report == null ? null : OutputFolder.open(report, "--report", "cmc.png",
        "ranklist.png", "ranklist.csv");
    // Native libraries first, on this thread, before QueryGallery starts its reader thread: a library loading while
    // another thread initialises classes can deadlock the JDK (ib-core's NativeRuntime explains the lock cycle).
    if (kernels == KernelFactory.BLAS) {
      OpenBlasLibrary.load();
    } else {
      NativeRuntime.load();
    }
    QueryGallery input = QueryGallery.read(query, queryMeta, gallery, galleryMeta);
    LabelledFeatures q = input.query();
    LabelledFeatures g = input.gallery();
    if (trials != null) {
      return trials(p, convention, d, kernels, rr, q, g);
    }
    try (FeatureEvaluation fe = new FeatureEvaluation(q, query + ", " + queryMeta, g, gallery + ", " + galleryMeta,
        p, d, kernels, rr)) {
      Evaluation e = fe.run(new RankingEvaluator(), convention);
      Map<String, String> extra = new LinkedHashMap<>();
      extra.put("protocol", p.label());
      extra.put("distance", d.label());
      if (rr != null) {
        extra.put("rerank", "k1=" + k1 + ",k2=" + k2 + ",lambda=" + lambda);
      }
      String text = MetricsJson.of(e.metrics(), extra);
      if (report != null) {
        try (reportFolder) {
          Reports.write(report, p.label() + " " + d.label() + (rr == null ? "" : " + re-ranking") + ", CMC "
              + convention.description(), fe, e, reportQueries, imageRoot == null ? Path.of("") : imageRoot);
          reportFolder.commit();
        }
      }
      if (json != null) {
        AtomicFiles.writeString(json, text + "\n");
      }
      PrintWriter out = out();
      out.println(text);
      out.flush();
      if (e.metrics().manySkipped()) { // the summary (and its lambdas) only when there is something to say
        warn(ProtocolSummary.of(List.of(e.metrics())), p.label());
      }
    }
    return 0;
  }

  /** One {@code warning:} line on standard error when more than a tenth of the queries were skipped. */
  private void warn(ProtocolSummary s, String title) {
    s.skipWarning(title).ifPresent(w -> {
      PrintWriter err = err();
      err.println("warning: " + w);
      err.flush();
    });
  }

  private int trials(EvalProtocol p, CmcConvention convention, Distance d, KernelFactory kernels,
      KReciprocalReranking rr, LabelledFeatures q, LabelledFeatures g) throws java.io.IOException {
    if (p != EvalProtocol.SYSU) {
      throw new io.ibreid.core.IbreidException("--trials applies to --protocol sysu only (a RegDB trial is a separate "
          + "train/test split: evaluate each split's features on its own)");
    }
    if (report != null) {
      throw new io.ibreid.core.IbreidException("--report needs a single gallery; drop --trials to write reports");
    }
    FeatureEvaluation.check(q, query + ", " + queryMeta, g, gallery + ", " + galleryMeta, p);
    io.ibreid.eval.protocol.SysuProtocol protocol = new io.ibreid.eval.protocol.SysuProtocol(
        io.ibreid.eval.protocol.SysuProtocol.Mode.parse(mode), shots, trials, convention);
    ProtocolSummary s = protocol.evaluate(q.features(), q.meta(), g.features(), g.meta(), d, kernels, rr,
        new RankingEvaluator());
    String text = s.toJson();
    if (json != null) {
      AtomicFiles.writeString(json, text + "\n");
    }
    PrintWriter out = out();
    out.println(text);
    out.flush();
    warn(s, p.label() + " " + protocol.mode().label() + "-search, " + trials + " trials");
    return 0;
  }
}
