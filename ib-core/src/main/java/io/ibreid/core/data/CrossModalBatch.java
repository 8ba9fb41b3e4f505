package io.ibreid.core.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training batch: {@code visible} and {@code infrared} images (each M×C×H×W, normalised) whose rows are paired:
 * row i of both halves shows the same identity, so {@code visibleLabels[i] == infraredLabels[i]}. Labels are the
 * training labels 0..C-1.
 */
public record CrossModalBatch(INDArray visible, int[] visibleLabels, INDArray infrared, int[] infraredLabels) {
  public CrossModalBatch {
    if (visible.size(0) != visibleLabels.length || infrared.size(0) != infraredLabels.length) {
      throw new IllegalArgumentException("batch rows and labels differ: visible " + visible.size(0) + "/"
          + visibleLabels.length + ", infrared " + infrared.size(0) + "/" + infraredLabels.length);
    }
    if (visibleLabels.length != infraredLabels.length) {
      throw new IllegalArgumentException("visible and infrared halves must pair row by row, got "
          + visibleLabels.length + " and " + infraredLabels.length + " rows");
    }
    for (int i = 0; i < visibleLabels.length; i++) {
      if (visibleLabels[i] != infraredLabels[i]) {
        throw new IllegalArgumentException("row " + i + " pairs identity " + visibleLabels[i] + " with "
            + infraredLabels[i]);
      }
    }
  }

  public int pairs() {
    return visibleLabels.length;
  }
}
