package io.ibreid.data;

import io.ibreid.core.IbreidException;
import io.ibreid.core.config.RunConfig;
import io.ibreid.data.image.ImageVerification;
import io.ibreid.data.regdb.RegDb;
import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import io.ibreid.data.sysu.SysuMm01;
import io.ibreid.data.training.DatasetParams;
import io.ibreid.data.training.RegdbDataset;
import io.ibreid.data.training.SyntheticDataset;
import io.ibreid.data.training.SysuDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reader behind a data-set plug-in, for evaluation: given a run's {@code data.type}, {@code data.root} and
 * {@code data.params}, returns the {@link CrossModalSource} the training set was built from, with the same holdout
 * split and RegDB trial, so its {@link CrossModalSource#holdout()} and {@link CrossModalSource#testRecords()} are
 * the identities training never saw. A synthetic data set missing at the root is generated first, as training does.
 */
public final class DataSources {
  private DataSources() {}

  /**
   * The data set a trained run is applied to: the run's own ({@code data.type}, {@code data.root},
   * {@code data.params}, {@code data.workers}) unless {@code dataset} (a type), {@code root} or {@code trial} (RegDB)
   * say otherwise; each may be null. Another type than the run's starts from no {@code data.params}.
   */
  public static CrossModalSource open(RunConfig config, String dataset, Path root, Integer trial) {
    String type = type(config, dataset);
    Path dir = root == null ? Path.of(config.data.root) : root;
    Map<String, Object> params = new LinkedHashMap<>();
    if (type.equals(config.data.type) && config.data.params != null) {
      params.putAll(config.data.params);
    }
    if (trial != null) {
      params.put("trial", trial);
    }
    return open(type, dir, params, Math.max(1, config.data.workers));
  }

  /** The data set type: {@code dataset} when given, else the run's {@code data.type}. */
  public static String type(RunConfig config, String dataset) {
    return dataset == null ? config.data.type : dataset;
  }

  /** Whether a data set type has RegDB's layout and protocol ({@code regdb}, {@code synthetic-regdb}). */
  public static boolean isRegdb(String type) {
    return type.endsWith("regdb");
  }

  /**
   * Every test image of {@code source} (RegDB: the trial's visible and thermal test images), as the linear probes
   * read them.
   *
   * @throws IbreidException when there is none
   */
  public static List<ImageRecord> testImages(CrossModalSource source) {
    List<ImageRecord> images = new ArrayList<>();
    if (source instanceof RegDb regdb) {
      images.addAll(regdb.testVisible());
      images.addAll(regdb.testThermal());
    } else {
      images.addAll(source.testRecords());
    }
    if (images.isEmpty()) {
      throw new IbreidException("data set " + source.root() + " has no test images to probe");
    }
    return images;
  }

  public static CrossModalSource open(String type, Path root, Map<String, Object> params, int workers) {
    return open(type, root, params, workers, null);
  }

  /**
   * As {@link #open(String, Path, Map, int)}, with the image checks given by {@code images} instead of
   * {@code data.params.skipCorrupt} when it is not null ({@link DatasetCheck} opens with none and checks every file
   * itself).
   */
  static CrossModalSource open(String type, Path root, Map<String, Object> params, int workers,
      ImageVerification.Policy images) {
    int threads = Math.max(1, workers);
    switch (type == null ? "" : type) {
      case "sysu" -> {
        SysuDataset.Params p = new SysuDataset.Factory().bind(params, "data.params");
        return SysuMm01.open(root, new SysuMm01.Options(p.holdout, p.holdoutSeed, policy(images, p), threads));
      }
      case "regdb" -> {
        RegdbDataset.Params p = new RegdbDataset.Factory().bind(params, "data.params");
        return RegDb.open(root, new RegDb.Options(p.trial, p.holdout, p.holdoutSeed, policy(images, p), threads));
      }
      case "synthetic-sysu" -> {
        SyntheticDataset.Params p = new SyntheticDataset.SysuFactory().bind(params, "data.params");
        SyntheticDataset.ensure(root, p.spec(Layout.SYSU), threads);
        return SysuMm01.open(root, new SysuMm01.Options(p.holdout, p.holdoutSeed, policy(images, p), threads));
      }
      case "synthetic-regdb" -> {
        SyntheticDataset.Params p = new SyntheticDataset.RegdbFactory().bind(params, "data.params");
        SyntheticDataset.ensure(root, p.spec(Layout.REGDB), threads);
        return RegDb.open(root, new RegDb.Options(p.trial, p.holdout, p.holdoutSeed, policy(images, p), threads));
      }
      default -> throw new IbreidException("data.type [" + type + "] has no reader in reid-data; known options "
          + "[regdb, synthetic-regdb, synthetic-sysu, sysu]");
    }
  }

  private static ImageVerification.Policy policy(ImageVerification.Policy given, DatasetParams p) {
    return given != null ? given : ImageVerification.Policy.of(p.skipCorrupt);
  }
}
