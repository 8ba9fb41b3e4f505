package io.ibreid.eval.features;

import io.ibreid.core.IbreidException;
import java.nio.file.Path;
import java.util.List;

/**
 * A feature matrix with one metadata row per feature row, checked: same number of rows, finite values. Also keeps the
 * squared row norms computed by the check, which the distance kernels reuse.
 */
public record LabelledFeatures(FeatureMatrix features, List<ImageMeta> meta, double[] squaredNorms) {
  public LabelledFeatures {
    meta = List.copyOf(meta);
    if (features.rows() != meta.size()) {
      throw new IllegalArgumentException(features.rows() + " feature rows, " + meta.size() + " metadata rows");
    }
  }

  /** Checks finiteness (naming {@code source} in the error) and pairs the rows. */
  public static LabelledFeatures of(FeatureMatrix features, List<ImageMeta> meta, String source) {
    if (features.rows() != meta.size()) {
      throw new IbreidException(source + ": " + features.rows() + " feature rows but " + meta.size()
          + " metadata rows; they must describe the same images in the same order");
    }
    return new LabelledFeatures(features, meta, features.checkFiniteAndSquaredNorms(source));
  }

  /**
   * Reads {@code npy} (float32, rows = images) and its metadata {@code csv} ({@code path,pid,camid}); every mismatch
   * fails with one line naming both files.
   */
  public static LabelledFeatures read(Path npy, Path csv) {
    FeatureMatrix m = Npy.read(npy);
    List<ImageMeta> meta = MetadataCsv.read(csv, m.rows(), npy + " has " + m.rows() + " rows; row i of the .npy "
        + "must be image i of the CSV");
    if (m.rows() != meta.size()) {
      throw new IbreidException(npy + " has " + m.rows() + " rows but " + csv + " describes " + meta.size()
          + " images; row i of the .npy must be image i of the CSV");
    }
    return new LabelledFeatures(m, meta, m.checkFiniteAndSquaredNorms(npy.toString()));
  }

  public int size() {
    return meta.size();
  }
}
