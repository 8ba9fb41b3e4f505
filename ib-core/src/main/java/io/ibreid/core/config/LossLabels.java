package io.ibreid.core.config;

/** The label a loss term is logged under: its {@code name}, or {@code type_branch[_on]}. */
public final class LossLabels {
  private LossLabels() {}

  public static String label(RunConfig.LossSpec spec) {
    if (spec.name != null && !spec.name.isBlank()) {
      return spec.name;
    }
    StringBuilder sb = new StringBuilder(spec.type);
    if (spec.branch != null) {
      sb.append('_').append(spec.branch);
    }
    Object on = spec.params == null ? null : spec.params.get("on");
    if (on != null) {
      sb.append('_').append(on);
    }
    return sb.toString();
  }
}
