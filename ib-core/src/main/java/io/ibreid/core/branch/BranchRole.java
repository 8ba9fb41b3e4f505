package io.ibreid.core.branch;

import io.ibreid.core.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The three branches of the method: one per modality (each sees only its own view) and the shared branch, which
 * sees both views through the same weights. A branch's name in configs and output keys is its label.
 */
public enum BranchRole {
  VISIBLE(List.of(View.VISIBLE)),
  INFRARED(List.of(View.INFRARED)),
  SHARED(List.of(View.VISIBLE, View.INFRARED));

  private final List<View> views;

  BranchRole(List<View> views) {
    this.views = views;
  }

  public List<View> views() {
    return views;
  }

  public boolean sees(View v) {
    return views.contains(v);
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The vertex-name prefix of this branch in the model graph. */
  public String prefix() {
    return label() + "/";
  }

  public static BranchRole parse(String s, String key) {
    for (BranchRole r : values()) {
      if (r.label().equals(s)) {
        return r;
      }
    }
    throw new ConfigException("config key [" + key + "] names branch [" + s + "], expected one of "
        + Arrays.stream(values()).map(BranchRole::label).toList());
  }
}
