package io.ibreid.loss.crossview;

import io.ibreid.core.ConfigException;
import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.View;
import io.ibreid.core.loss.LossInput;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the two-view terms share: the shared-branch shorthand and the row-pairing check. */
final class Views {
  /** The only branch that sees both views through the same weights. */
  static final String SHARED = BranchRole.SHARED.label();

  private Views() {}

  /** {@code shared.visible.OUTPUT} or {@code shared.infrared.OUTPUT}. */
  static String key(View view, String output) {
    return SHARED + "." + view.label() + "." + output;
  }

  /** Fails unless the shorthand names the shared branch (the caller prefixes the config key). */
  static void requireShared(String term, String branch, String slots) {
    if (!SHARED.equals(branch)) {
      throw new ConfigException(term + " pairs the visible and infrared views of one branch, so it needs "
          + "branch: shared (or explicit inputs." + slots + ")");
    }
  }

  /** Checks that two slots hold arrays of one shape whose rows are the same identities, row by row. */
  static void requirePaired(String term, LossInput input, String a, String b) {
    INDArray x = input.get(a);
    INDArray y = input.get(b);
    if (!Arrays.equals(x.shape(), y.shape())) {
      throw new IbreidException(term + ": inputs [" + a + "] " + Arrays.toString(x.shape()) + " and [" + b + "] "
          + Arrays.toString(y.shape()) + " must have the same rows and classes");
    }
    int[] la = input.labels(a);
    int[] lb = input.labels(b);
    if (la == null || lb == null) {
      return;
    }
    for (int i = 0; i < la.length; i++) {
      if (la[i] != lb[i]) {
        throw new IbreidException(term + ": row " + i + " of [" + a + "] is identity " + la[i] + " but row " + i
            + " of [" + b + "] is identity " + lb[i] + "; bind the two views of one batch (shared.visible.* and "
            + "shared.infrared.*), whose rows are paired");
      }
    }
  }
}
