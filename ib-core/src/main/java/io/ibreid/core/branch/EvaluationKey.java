package io.ibreid.core.branch;

import io.ibreid.core.ConfigException;

/**
 * One part of a test-time feature: {@code branch.output} (the branch fed its own input, {@link Wiring#inputOf}) or
 * {@code branch.output@transform} (the branch fed the {@link InputTransform} of the image: {@code raw} or
 * {@code gray}), e.g. {@code shared.z}, {@code infrared.v}, {@code shared.v@gray}.
 */
public record EvaluationKey(BranchRole branch, String output, InputTransform transform) {
  /** Parses a key; {@code configKey} names it in the one-line error. Outputs are checked against the model later. */
  public static EvaluationKey parse(String key, String configKey) {
    String body = key == null ? "" : key;
    InputTransform transform = null;
    int at = body.indexOf('@');
    if (at >= 0) {
      transform = InputTransform.parse(body.substring(at + 1), configKey);
      body = body.substring(0, at);
    }
    String[] p = body.split("\\.", -1);
    if (p.length != 2 || p[0].isEmpty() || p[1].isEmpty()) {
      throw new ConfigException("config key [" + configKey + "] = [" + key + "] is not an evaluation key; expected "
          + "branch.output or branch.output@raw|gray, e.g. shared.z or shared.v@gray");
    }
    return new EvaluationKey(BranchRole.parse(p[0], configKey), p[1], transform);
  }

  /** {@code branch.output} as the model names the output. */
  public String outputName() {
    return branch.label() + "." + output;
  }

  @Override
  public String toString() {
    return outputName() + (transform == null ? "" : "@" + transform.label());
  }
}
