package io.ibreid.data;

import io.ibreid.core.IbreidException;
import io.ibreid.core.plugin.Plugins;
import io.ibreid.data.image.ImageVerification;
import io.ibreid.data.regdb.RegDb;
import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import io.ibreid.data.sysu.SysuMm01;
import io.ibreid.data.training.DatasetParams;
import io.ibreid.data.training.RegdbDataset;
import io.ibreid.data.training.SyntheticDataset;
import io.ibreid.data.training.SysuDataset;
import java.nio.file.Path;
import java.util.Map;

/**
 * The reader behind a data-set plug-in, for evaluation: given a run's {@code data.type}, {@code data.root} and
 * {@code data.params}, returns the {@link CrossModalSource} the training set was built from, with the same holdout
 * split and RegDB trial, so its {@link CrossModalSource#holdout()} and {@link CrossModalSource#testRecords()} are
 * the identities training never saw. A synthetic data set missing at the root is generated first, as training does.
 */
public final class DataSources {
  private DataSources() {}

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
        SysuDataset.Params p = Plugins.bindParameters(new SysuDataset.Factory(), params, "data.params");
        return SysuMm01.open(root, new SysuMm01.Options(p.holdout, p.holdoutSeed, policy(images, p), threads));
      }
      case "regdb" -> {
        RegdbDataset.Params p = Plugins.bindParameters(new RegdbDataset.Factory(), params, "data.params");
        return RegDb.open(root, new RegDb.Options(p.trial, p.holdout, p.holdoutSeed, policy(images, p), threads));
      }
      case "synthetic-sysu" -> {
        SyntheticDataset.Params p = Plugins.bindParameters(new SyntheticDataset.SysuFactory(), params, "data.params");
        SyntheticDataset.ensure(root, p.spec(Layout.SYSU), threads);
        return SysuMm01.open(root, new SysuMm01.Options(p.holdout, p.holdoutSeed, policy(images, p), threads));
      }
      case "synthetic-regdb" -> {
        SyntheticDataset.Params p = Plugins.bindParameters(new SyntheticDataset.RegdbFactory(), params,
            "data.params");
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
