package io.ibreid.eval.ranking;

import io.ibreid.core.IbreidException;
import java.util.Locale;

/**
 * How a query's CMC position is counted in its ranked list (after the camera rule's removals). The two conventions
 * give the same rank-1 value, mAP and mINP; they differ at higher ranks whenever an identity has several gallery
 * images.
 */
public enum CmcConvention {
  /**
   * Image by image: the position of the first true match in the ranked list of gallery images, i.e. 1 + the number
   * of gallery images before it, whatever their identity. The convention of the RegDB evaluation the community uses
   * (the AGW baseline's {@code eval_regdb}, and the works that copy it), and of the usual Market-1501 tools.
   */
  IMAGE("image-wise"),
  /**
   * Each gallery identity counted once, at its first position: 1 + the number of distinct other identities before
   * the first true match. The convention of the SYSU-MM01 evaluation code ({@code get_cmc_multi_cam.m}:
   * {@code unique(..., 'stable')} over the ranked identities).
   */
  IDENTITY("identity-wise");

  private final String description;

  CmcConvention(String description) {
    this.description = description;
  }

  /** The command-line and JSON name: {@code image} or {@code identity}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** For table headers: {@code image-wise} or {@code identity-wise}. */
  public String description() {
    return description;
  }

  /** Parses {@link #label()}; an unknown name fails with one line listing the known ones. */
  public static CmcConvention parse(String s) {
    for (CmcConvention c : values()) {
      if (c.label().equals(s)) {
        return c;
      }
    }
    throw new IbreidException("unknown CMC convention [" + s + "], known options [image, identity]");
  }
}
