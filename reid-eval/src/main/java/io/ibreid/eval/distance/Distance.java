package io.ibreid.eval.distance;

import io.ibreid.core.IbreidException;
import java.util.Arrays;
import java.util.Locale;

/**
 * How a query is compared with a gallery image. {@link #COSINE} (the default) is {@code 1 - cos(q, g)}, i.e. the
 * features are L2-normalised first; a zero vector is treated as orthogonal to everything (distance 1).
 * {@link #EUCLIDEAN} is {@code ||q - g||} on the raw features.
 */
public enum Distance {
  COSINE,
  EUCLIDEAN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Distance parse(String s) {
    for (Distance d : values()) {
      if (d.label().equals(s)) {
        return d;
      }
    }
    throw new IbreidException("unknown distance [" + s + "], known options "
        + Arrays.stream(values()).map(Distance::label).toList());
  }
}
