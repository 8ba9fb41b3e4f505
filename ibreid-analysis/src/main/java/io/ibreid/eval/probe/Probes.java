package io.ibreid.eval.probe;

import io.ibreid.core.branch.View;
import io.ibreid.data.ImageRecord;
import io.ibreid.eval.features.FeatureMatrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Probes every feature against every factor of a {@link FactorTable}: for each feature (a row of the table: a
 * branch output, or the test-time feature) and each factor, the images the feature was computed for that show the
 * factor are split ({@link ProbeSplit}), a {@link LinearProbe} is fitted on one part and scored on the other. The
 * splits depend only on the images, the factor and the seed, so every feature is scored on the same images and a
 * rerun gives the same numbers.
 */
public final class Probes {
  /** Share of identities (or of each identity's images, for the identity factor) a probe is fitted on. */
  public static final double FIT_SHARE = 0.5;
  /** Share of the fitting part used to fit while the regularisation strength is chosen. */
  public static final double INNER_FIT_SHARE = 2.0 / 3;
  /** Fewest scored images a probe needs; with fewer the cell is left empty. */
  public static final int MIN_SCORED = 10;

  /**
   * One feature: its name (e.g. {@code shared.z}), the modalities of the images it was computed for and the
   * features, row k for the k-th image of the table among those modalities.
   */
  public record Feature(String name, List<View> modalities, FeatureMatrix features) {}

  /** All scores: feature name -> factor name -> score (absent where the factor cannot be probed). */
  public record Result(List<Feature> features, List<FactorTable.Column> factors,
      Map<String, Map<String, LinearProbe.Score>> scores, long seed) {}

  private Probes() {}

  /** The table's image indices of modalities {@code modalities}, in table order. */
  public static int[] imagesOf(FactorTable table, List<View> modalities) {
    List<Integer> out = new ArrayList<>();
    List<ImageRecord> images = table.images();
    for (int i = 0; i < images.size(); i++) {
      if (modalities.contains(images.get(i).modality())) {
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Probes every feature against every factor with splits seeded by {@code seed}, on one thread. */
  public static Result run(List<Feature> features, FactorTable table, long seed, LinearProbe probe) {
    return run(features, table, seed, probe, 1);
  }

  /**
   * Probes every feature against every factor with splits seeded by {@code seed}; the factors of a feature are
   * probed on {@code threads} threads (each probe depends only on its inputs, so the result is the same).
   */
  public static Result run(List<Feature> features, FactorTable table, long seed, LinearProbe probe, int threads) {
    java.util.concurrent.ExecutorService pool = threads > 1 ? java.util.concurrent.Executors.newFixedThreadPool(
        threads, r -> {
          Thread t = new Thread(r, "ibreid-probe");
          t.setDaemon(true);
          return t;
        }) : null;
    try {
      return run(features, table, seed, probe, pool);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  private static Result run(List<Feature> features, FactorTable table, long seed, LinearProbe probe,
      java.util.concurrent.ExecutorService pool) {
    Map<String, Map<String, LinearProbe.Score>> scores = new LinkedHashMap<>();
    for (Feature f : features) {
      int[] images = imagesOf(table, f.modalities());
      if (images.length != f.features().rows()) {
        throw new IllegalArgumentException(f.name() + " has " + f.features().rows() + " rows for " + images.length
            + " images");
      }
      Matrix all = toDouble(f.features());
      Map<String, java.util.concurrent.Future<LinearProbe.Score>> tasks = new LinkedHashMap<>();
      for (FactorTable.Column c : table.columns()) {
        List<Integer> keep = new ArrayList<>();
        for (int k = 0; k < images.length; k++) {
          if (c.applies(images[k])) {
            keep.add(k);
          }
        }
        if (keep.size() < 2 * MIN_SCORED) {
          continue;
        }
        int[] rowsInFeature = keep.stream().mapToInt(Integer::intValue).toArray();
        int[] subset = new int[rowsInFeature.length];
        for (int k = 0; k < subset.length; k++) {
          subset[k] = images[rowsInFeature[k]];
        }
        if (c.categorical() && distinct(c.labels(), subset) < 2) {
          continue; // one class only (e.g. modality for a single-modality feature)
        }
        boolean within = c.name().equals("identity");
        boolean[] fit = within ? ProbeSplit.withinIdentity(table.images(), subset, seed, FIT_SHARE)
            : ProbeSplit.byIdentity(table.images(), subset, seed, FIT_SHARE);
        int[] fitSubset = subsetOf(subset, fit);
        boolean[] innerOfFit = within
            ? ProbeSplit.withinIdentity(table.images(), fitSubset, seed + 1, INNER_FIT_SHARE)
            : ProbeSplit.byIdentity(table.images(), fitSubset, seed + 1, INNER_FIT_SHARE);
        boolean[] inner = new boolean[subset.length];
        for (int k = 0, j = 0; k < subset.length; k++) {
          if (fit[k]) {
            inner[k] = innerOfFit[j++];
          }
        }
        int scored = subset.length - fitSubset.length;
        if (scored < MIN_SCORED || fitSubset.length < MIN_SCORED) {
          continue;
        }
        java.util.concurrent.Callable<LinearProbe.Score> task = () -> {
          Matrix x = all.rows(rowsInFeature);
          if (c.categorical()) {
            int[] labels = new int[subset.length];
            for (int k = 0; k < subset.length; k++) {
              labels[k] = c.labels()[subset[k]];
            }
            return probe.categorical(x, labels, fit, inner);
          }
          double[][] values = new double[subset.length][];
          for (int k = 0; k < subset.length; k++) {
            values[k] = c.values()[subset[k]];
          }
          return probe.continuous(x, values, fit, inner);
        };
        if (pool == null) {
          java.util.concurrent.FutureTask<LinearProbe.Score> now = new java.util.concurrent.FutureTask<>(task);
          now.run();
          tasks.put(c.name(), now);
        } else {
          tasks.put(c.name(), pool.submit(task));
        }
      }
      Map<String, LinearProbe.Score> row = new LinkedHashMap<>();
      for (Map.Entry<String, java.util.concurrent.Future<LinearProbe.Score>> e : tasks.entrySet()) {
        try {
          row.put(e.getKey(), e.getValue().get());
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while probing", ex);
        } catch (java.util.concurrent.ExecutionException ex) {
          if (ex.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException(ex.getCause());
        }
      }
      scores.put(f.name(), row);
    }
    return new Result(List.copyOf(features), table.columns(), scores, seed);
  }

  private static int[] subsetOf(int[] subset, boolean[] keep) {
    List<Integer> out = new ArrayList<>();
    for (int k = 0; k < subset.length; k++) {
      if (keep[k]) {
        out.add(subset[k]);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int distinct(int[] labels, int[] subset) {
    return (int) java.util.Arrays.stream(subset).map(i -> labels[i]).distinct().count();
  }

  private static Matrix toDouble(FeatureMatrix f) {
    double[] d = new double[f.rows() * f.dim()];
    float[] row = new float[f.dim()];
    for (int r = 0; r < f.rows(); r++) {
      f.row(r, row);
      for (int c = 0; c < row.length; c++) {
        d[r * f.dim() + c] = row[c];
      }
    }
    return new Matrix(f.rows(), f.dim(), d);
  }
}
