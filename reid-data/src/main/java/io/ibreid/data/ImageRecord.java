package io.ibreid.data;

import io.ibreid.core.branch.View;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One image of a data set as its reader found it.
 *
 * @param path the image file
 * @param pid the identity as the data set names it (SYSU-MM01: the 4-digit folder number; RegDB: the label in the
 *     index file); training labels 0..C-1 are assigned separately by {@link LabelledSplit}
 * @param camera 1-based camera id (SYSU-MM01: 1..6; RegDB: 1 = visible, 2 = thermal)
 * @param modality {@link View#VISIBLE} or {@link View#INFRARED}
 */
public record ImageRecord(Path path, int pid, int camera, View modality) {
  public ImageRecord {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(modality, "modality");
    if (camera < 1) {
      throw new IllegalArgumentException("camera ids are 1-based, got " + camera + " for " + path);
    }
  }
}
