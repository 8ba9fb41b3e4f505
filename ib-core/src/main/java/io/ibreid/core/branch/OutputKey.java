package io.ibreid.core.branch;

import io.ibreid.core.ConfigException;

/**
 * The address of a branch output: {@code branch.output} (all rows the branch sees) or {@code branch.view.output}
 * (only the rows of one modality; for the shared branch, visible rows come first, then infrared rows).
 */
public record OutputKey(BranchRole branch, View view, String output) {
  /** Parses a key; the caller checks that the branch exists and has the output. */
  public static OutputKey parse(String key, String configKey) {
    String[] parts = key == null ? new String[0] : key.split("\\.");
    if (parts.length != 2 && parts.length != 3) {
      throw new ConfigException("config key [" + configKey + "] = [" + key + "] is not an output key; expected "
          + "branch.output or branch.view.output, e.g. shared.infrared.z_logits");
    }
    BranchRole role = BranchRole.parse(parts[0], configKey);
    View view = null;
    if (parts.length == 3) {
      view = View.fromLabel(parts[1]);
      if (view == null) {
        throw new ConfigException("config key [" + configKey + "] = [" + key + "] names view [" + parts[1]
            + "], expected one of [visible, infrared]");
      }
      if (!role.sees(view)) {
        throw new ConfigException("config key [" + configKey + "] = [" + key + "]: branch " + role.label()
            + " sees only " + role.views().stream().map(View::label).toList());
      }
    }
    return new OutputKey(role, view, parts[parts.length - 1]);
  }

  @Override
  public String toString() {
    return branch.label() + (view == null ? "" : "." + view.label()) + "." + output;
  }
}
