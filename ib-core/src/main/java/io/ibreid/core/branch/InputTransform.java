package io.ibreid.core.branch;

import io.ibreid.core.ConfigException;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What a branch's encoder is fed, derived from a model input batch (N×3×H×W, already resized and normalised the way
 * training and evaluation load images). {@link #RAW} is the batch itself. {@link #GRAY} is the grayscale copy the
 * authors' public release feeds its "infrared" inputs: every pixel becomes {@code 0.2989 R + 0.587 G + 0.114 B} of its
 * own three channels, repeated into all three channels (so the encoder keeps its 3-channel input). Like the release,
 * which converts the tensors its loader already normalised, the weights apply to the model-input values, not to the
 * decoded 0..255 pixels. The same transform runs in training ({@link Wiring#wire}) and at test time
 * ({@link ReidModel#infer}).
 */
public enum InputTransform {
  /** The image as loaded. */
  RAW,
  /** {@code 0.2989 R + 0.587 G + 0.114 B}, repeated to three channels. */
  GRAY;

  /** Luma weights of the red, green and blue channels. */
  public static final double[] GRAY_WEIGHTS = {0.2989, 0.587, 0.114};

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The transformed batch (a new array for {@link #GRAY}; the input itself for {@link #RAW}). */
  public INDArray apply(INDArray images) {
    if (this == RAW) {
      return images;
    }
    if (images.rank() != 4 || images.size(1) != 3) {
      throw new IllegalArgumentException("the grayscale transform needs N x 3 x H x W images, got "
          + Arrays.toString(images.shape()));
    }
    INDArray y = images.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all())
        .mul(GRAY_WEIGHTS[0]);
    y.addi(images.get(NDArrayIndex.all(), NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all())
        .mul(GRAY_WEIGHTS[1]));
    y.addi(images.get(NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all())
        .mul(GRAY_WEIGHTS[2]));
    INDArray out = images.ulike();
    for (int c = 0; c < 3; c++) {
      out.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all()).assign(y);
    }
    return out;
  }

  /** Parses {@code raw} / {@code gray}. */
  public static InputTransform parse(String s, String key) {
    for (InputTransform t : values()) {
      if (t.label().equals(s)) {
        return t;
      }
    }
    throw new ConfigException("config key [" + key + "] names input transform [" + s + "], expected one of "
        + Arrays.stream(values()).map(InputTransform::label).toList());
  }
}
