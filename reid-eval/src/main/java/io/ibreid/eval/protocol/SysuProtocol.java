package io.ibreid.eval.protocol;

import io.ibreid.core.IbreidException;
import io.ibreid.eval.distance.Distance;
import io.ibreid.eval.distance.DistanceKernel;
import io.ibreid.eval.distance.KernelFactory;
import io.ibreid.eval.distance.PrecomputedKernel;
import io.ibreid.eval.features.FeatureMatrix;
import io.ibreid.eval.features.ImageMeta;
import io.ibreid.eval.ranking.CmcConvention;
import io.ibreid.eval.ranking.Evaluation;
import io.ibreid.eval.ranking.RankingEvaluator;
import io.ibreid.eval.ranking.RankingMetrics;
import io.ibreid.eval.rerank.KReciprocalReranking;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The SYSU-MM01 test protocol (Wu et al., ICCV 2017). Input: features and metadata of every test-identity image.
 * Queries are all images of the infrared cameras 3 and 6. Each trial's gallery takes {@code shots} images (1 =
 * single-shot, 10 = multi-shot) of every (identity, camera) group of the visible cameras of the mode (all-search:
 * 1, 2, 4, 5; indoor-search: 1, 2), drawn by {@link TrialSampler}; {@link SysuCameraRule} removes camera-2 images from
 * camera-3 queries' lists. Results are reported per trial, and as mean and standard deviation over trials (10 by
 * default). CMC counts each gallery identity once ({@link CmcConvention#IDENTITY}, the convention of the data set's
 * evaluation code) unless another convention is asked for.
 *
 * <p>All trials are scored from one distance computation between the queries and every candidate gallery image;
 * with re-ranking, which depends on the gallery, each trial is re-ranked on its own.
 */
public final class SysuProtocol {
  /** Infrared query cameras. */
  public static final int[] QUERY_CAMERAS = {3, 6};

  /** Search mode: which visible cameras form the gallery. */
  public enum Mode {
    ALL(1, 2, 4, 5),
    INDOOR(1, 2);

    private final int[] cameras;

    Mode(int... cameras) {
      this.cameras = cameras;
    }

    public int[] cameras() {
      return cameras.clone();
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String s) {
      for (Mode m : values()) {
        if (m.label().equals(s)) {
          return m;
        }
      }
      throw new IbreidException("unknown SYSU-MM01 mode [" + s + "], known options [all, indoor]");
    }
  }

  private final Mode mode;
  private final int shots;
  private final int trials;
  private final CmcConvention cmc;

  /** The protocol with its own CMC convention, {@link CmcConvention#IDENTITY}. */
  public SysuProtocol(Mode mode, int shots, int trials) {
    this(mode, shots, trials, CmcConvention.IDENTITY);
  }

  public SysuProtocol(Mode mode, int shots, int trials, CmcConvention cmc) {
    if (shots < 1) {
      throw new IbreidException("shots must be at least 1 (1 = single-shot, 10 = multi-shot), got " + shots);
    }
    if (trials < 1) {
      throw new IbreidException("trials must be at least 1, got " + trials);
    }
    this.mode = mode;
    this.shots = shots;
    this.trials = trials;
    this.cmc = java.util.Objects.requireNonNull(cmc, "cmc");
  }

  public Mode mode() {
    return mode;
  }

  public int shots() {
    return shots;
  }

  public int trials() {
    return trials;
  }

  public CmcConvention cmcConvention() {
    return cmc;
  }

  /** Indices of the query images (cameras 3 and 6) among {@code images}. */
  public static int[] queries(List<ImageMeta> images) {
    return IntStream.range(0, images.size())
        .filter(i -> TrialSampler.contains(QUERY_CAMERAS, images.get(i).camid())).toArray();
  }

  /** Indices of the images of the mode's gallery cameras (every trial draws from these). */
  public int[] candidates(List<ImageMeta> images) {
    return IntStream.range(0, images.size())
        .filter(i -> TrialSampler.contains(mode.cameras, images.get(i).camid())).toArray();
  }

  /** Gallery of trial {@code trial} (0-based), as indices into {@code images}. */
  public int[] gallery(List<ImageMeta> images, int trial) {
    return TrialSampler.gallery(images, mode.cameras, shots, trial);
  }

  /** Runs every trial on all test images (queries and candidates are picked by camera); {@code rerank} may be null. */
  public ProtocolSummary evaluate(FeatureMatrix features, List<ImageMeta> images, Distance distance,
      KernelFactory kernels, KReciprocalReranking rerank, RankingEvaluator evaluator) {
    if (features.rows() != images.size()) {
      throw new IllegalArgumentException(features.rows() + " feature rows, " + images.size() + " images");
    }
    int[] q = queries(images);
    int[] c = candidates(images);
    if (q.length == 0) {
      throw new IbreidException("SYSU-MM01: none of the " + images.size() + " test images is from camera 3 or 6; "
          + "there are no queries");
    }
    return evaluate(features.select(q), pick(images, q), features.select(c), pick(images, c), distance, kernels,
        rerank, evaluator);
  }

  /**
   * Runs every trial with the given queries; each trial's gallery is drawn from the {@code candidates} of the mode's
   * cameras (others are ignored). {@code rerank} may be null.
   */
  public ProtocolSummary evaluate(FeatureMatrix queryFeatures, List<ImageMeta> queryMeta,
      FeatureMatrix candidateFeatures, List<ImageMeta> candidateMeta, Distance distance, KernelFactory kernels,
      KReciprocalReranking rerank, RankingEvaluator evaluator) {
    int[] c = candidates(candidateMeta);
    if (c.length == 0) {
      throw new IbreidException("SYSU-MM01 " + mode.label() + "-search: no gallery image is from cameras "
          + Arrays.toString(mode.cameras) + "; the gallery is empty");
    }
    if (queryMeta.isEmpty()) {
      throw new IbreidException("SYSU-MM01: the query set is empty");
    }
    FeatureMatrix cFeat = c.length == candidateMeta.size() ? candidateFeatures : candidateFeatures.select(c);
    List<ImageMeta> cMeta = pick(candidateMeta, c);
    List<int[]> subsets = new ArrayList<>();
    for (int t = 0; t < trials; t++) {
      subsets.add(gallery(cMeta, t));
    }
    List<RankingMetrics> results = new ArrayList<>();
    SysuCameraRule rule = new SysuCameraRule();
    if (rerank == null) {
      try (DistanceKernel k = kernels.create(queryFeatures, cFeat, distance)) {
        for (Evaluation e : evaluator.evaluate(k, queryMeta, cMeta, rule, subsets, cmc)) {
          results.add(e.metrics());
        }
      }
    } else {
      for (int[] s : subsets) {
        float[][] d = rerank.rerank(queryFeatures, cFeat.select(s), distance, kernels);
        results.add(evaluator.evaluate(new PrecomputedKernel(d), queryMeta, pick(cMeta, s), rule, cmc).metrics());
      }
    }
    return ProtocolSummary.of(results);
  }

  static List<ImageMeta> pick(List<ImageMeta> images, int[] idx) {
    List<ImageMeta> out = new ArrayList<>(idx.length);
    for (int i : idx) {
      out.add(images.get(i));
    }
    return out;
  }
}
