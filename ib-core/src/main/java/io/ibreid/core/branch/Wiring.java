package io.ibreid.core.branch;

import io.ibreid.core.ConfigException;
import io.ibreid.core.data.CrossModalBatch;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which images each branch receives: the config's top-level {@code wiring:} ({@code paper}, the default, or
 * {@code release}). A batch holds {@code m} visible and {@code m} infrared images, row i of each from the same
 * identity.
 *
 * <ul>
 *   <li>{@link #PAPER} (the paper's design): the visible branch sees the m visible images, the infrared branch the m
 *       infrared images, the shared branch both (2m rows: visible, then infrared). The shared branch's views are the
 *       two modalities: {@code shared.visible.*} is the visible rows, {@code shared.infrared.*} the infrared rows.
 *   <li>{@link #RELEASE} (what the authors' public PyTorch release does, {@code reid/models/newresnet.py}
 *       {@code ft_net.forward}): every image of the batch goes through every branch. The visible branch sees all 2m
 *       images as loaded; the infrared branch sees the {@link InputTransform#GRAY grayscale copy} of all 2m; the
 *       shared branch sees all 2m as loaded (its "visible" view, the release's {@code v_ms}) followed by their 2m
 *       grayscale copies (its "infrared" view, the release's {@code i_ms}): 4m rows. Row i of the two shared views
 *       is therefore the same image, raw and grayscale, so {@code vcd} and {@code vml} compare an image with its own
 *       grayscale copy, as the release's VCD does. Labels follow the rows.
 * </ul>
 *
 * <p>At test time a branch is fed its own input transform ({@link #inputOf}): under {@code release} the infrared
 * branch always sees grayscale copies, whatever the image's modality.
 */
public enum Wiring {
  PAPER,
  RELEASE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Wiring parse(String s, String key) {
    for (Wiring w : values()) {
      if (w.label().equals(s)) {
        return w;
      }
    }
    throw new ConfigException("config key [" + key + "]" + (s == null ? "" : " = [" + s + "]") + ": expected one of "
        + Arrays.stream(values()).map(Wiring::label).toList());
  }

  /** The transform a branch's own input gets (training, and test-time extraction without an explicit transform). */
  public InputTransform inputOf(BranchRole role) {
    return this == RELEASE && role == BranchRole.INFRARED ? InputTransform.GRAY : InputTransform.RAW;
  }

  /** Rows a branch sees in a batch of {@code pairs} visible + {@code pairs} infrared images. */
  public int rows(BranchRole role, int pairs) {
    if (this == RELEASE) {
      return role == BranchRole.SHARED ? 4 * pairs : 2 * pairs;
    }
    return role == BranchRole.SHARED ? 2 * pairs : pairs;
  }

  /**
   * The batch as {@code roles} see it under this wiring: each branch's images, and the rows and labels of every
   * output key ({@link WiredBatch}). Built once per training step; the model's forward pass and the objective both
   * read it.
   */
  public WiredBatch wire(CrossModalBatch batch, java.util.List<BranchRole> roles) {
    return new WiredBatch(this, batch, roles);
  }

  /** Labels of every row a branch sees in {@code batch}. */
  int[] labels(BranchRole role, CrossModalBatch batch) {
    int m = batch.pairs();
    int[] both = new int[2 * m];
    System.arraycopy(batch.visibleLabels(), 0, both, 0, m);
    System.arraycopy(batch.infraredLabels(), 0, both, m, m);
    if (this == PAPER) {
      return switch (role) {
        case VISIBLE -> batch.visibleLabels();
        case INFRARED -> batch.infraredLabels();
        case SHARED -> both;
      };
    }
    if (role != BranchRole.SHARED) {
      return both;
    }
    int[] twice = new int[4 * m];
    System.arraycopy(both, 0, twice, 0, 2 * m);
    System.arraycopy(both, 0, twice, 2 * m, 2 * m);
    return twice;
  }

  /** The images a branch's encoder receives in a training step, rows in the order of {@link #labels}. */
  INDArray images(BranchRole role, CrossModalBatch batch) {
    if (this == PAPER) {
      return switch (role) {
        case VISIBLE -> batch.visible();
        case INFRARED -> batch.infrared();
        case SHARED -> Nd4j.concat(0, batch.visible(), batch.infrared());
      };
    }
    INDArray all = Nd4j.concat(0, batch.visible(), batch.infrared());
    return switch (role) {
      case VISIBLE -> all;
      case INFRARED -> InputTransform.GRAY.apply(all);
      case SHARED -> Nd4j.concat(0, all, InputTransform.GRAY.apply(all));
    };
  }
}
