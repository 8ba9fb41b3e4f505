package io.ibreid.eval.protocol;

import io.ibreid.core.IbreidException;
import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.DistanceKernel;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.distance.PrecomputedKernel;
import io.ibreid.eval.features.LabelledFeatures;
import io.ibreid.eval.ranking.CmcConvention;
import io.ibreid.eval.ranking.Evaluation;
import io.ibreid.eval.ranking.RankingEvaluator;
import io.ibreid.eval.rerank.KReciprocalReranking;

/**
 * Evaluates a chosen query set against a chosen gallery under a protocol's ranking rules (what
 * {@code ibreid eval-features} does). Holds the distance kernel until closed, so reports can look up the ranked lists
 * of individual queries.
 */
public final class FeatureEvaluation implements AutoCloseable {
  private final LabelledFeatures query;
  private final LabelledFeatures gallery;
  private final EvalProtocol protocol;
  private final DistanceKernel kernel;

  /**
   * Checks the inputs (one line per problem: empty sets, different feature sizes, impossible cameras) and builds the
   * kernel; with {@code rerank} non-null the re-ranked distance matrix is computed here.
   */
  public FeatureEvaluation(LabelledFeatures query, String querySource, LabelledFeatures gallery, String gallerySource,
      EvalProtocol protocol, Distance distance, KernelFactory kernels, KReciprocalReranking rerank) {
    check(query, querySource, gallery, gallerySource, protocol);
    this.query = query;
    this.gallery = gallery;
    this.protocol = protocol;
    this.kernel = rerank == null ? kernels.create(query.features(), gallery.features(), distance)
        : new PrecomputedKernel(rerank.rerank(query.features(), gallery.features(), distance, kernels));
  }

  /** The input checks of the constructor: one line per problem (empty sets, feature sizes, impossible cameras). */
  public static void check(LabelledFeatures query, String querySource, LabelledFeatures gallery,
      String gallerySource, EvalProtocol protocol) {
    if (gallery.size() == 0) {
      throw new IbreidException("the gallery (" + gallerySource + ") holds no images; it must not be empty");
    }
    if (query.size() == 0) {
      throw new IbreidException("the query set (" + querySource + ") holds no images; it must not be empty");
    }
    if (query.features().dim() != gallery.features().dim()) {
      throw new IbreidException(querySource + " has " + query.features().dim() + " feature columns but "
          + gallerySource + " has " + gallery.features().dim() + "; both must come from the same feature extractor");
    }
    protocol.check(query.meta(), querySource);
    protocol.check(gallery.meta(), gallerySource);
  }

  /** {@link #run(RankingEvaluator, CmcConvention)} with the protocol's own CMC convention. */
  public Evaluation run(RankingEvaluator evaluator) {
    return run(evaluator, protocol.defaultCmc());
  }

  /**
   * Scores every query, CMC counted by {@code cmc}; fails when no query has a valid true match (the metrics would be
   * meaningless).
   */
  public Evaluation run(RankingEvaluator evaluator, CmcConvention cmc) {
    Evaluation e = evaluator.evaluate(kernel, query.meta(), gallery.meta(), protocol.cameraRule(), cmc);
    if (e.metrics().validQueries() == 0) {
      throw new IbreidException("none of the " + query.size() + " queries has a true match in the gallery"
          + (protocol == EvalProtocol.SYSU ? " (after the camera rule)" : "")
          + "; check that query and gallery pids use the same numbering");
    }
    return e;
  }

  public DistanceKernel kernel() {
    return kernel;
  }

  public LabelledFeatures query() {
    return query;
  }

  public LabelledFeatures gallery() {
    return gallery;
  }

  public EvalProtocol protocol() {
    return protocol;
  }

  @Override
  public void close() {
    kernel.close();
  }
}
