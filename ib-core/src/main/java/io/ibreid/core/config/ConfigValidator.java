package io.ibreid.core.config;

import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.EvaluationKey;
import io.ibreid.core.branch.Wiring;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks ranges and relations that Jackson cannot, before any work starts; each failure names its key. */
public final class ConfigValidator {
  private ConfigValidator() {}

  public static void validate(RunConfig c) {
    require(c.precision != null && List.of("float", "double").contains(c.precision), "precision",
        c.precision, "one of [float, double]");
    require(c.data != null, "data", null, "a mapping");
    require(c.data.type != null && !c.data.type.isBlank(), "data.type", c.data.type, "a data set name");
    require(c.data.workers >= 0, "data.workers", c.data.workers, "an integer >= 0");
    require(c.input.height > 0, "input.height", c.input.height, "an integer > 0");
    require(c.input.width > 0, "input.width", c.input.width, "an integer > 0");
    require(c.sampler.identities >= 2, "sampler.identities", c.sampler.identities,
        "an integer >= 2 (P identities per batch)");
    require(c.sampler.instances >= 2 && c.sampler.instances % 2 == 0, "sampler.instances", c.sampler.instances,
        "an even integer >= 2 (K images per identity: K/2 visible + K/2 infrared)");
    require(c.branches != null && !c.branches.isEmpty(), "branches", null,
        "at least one of [visible, infrared, shared]");
    for (var e : c.branches.entrySet()) {
      BranchRole.parse(e.getKey(), "branches." + e.getKey());
      require(e.getValue() != null && e.getValue().encoder != null && e.getValue().encoder.type != null,
          "branches." + e.getKey() + ".encoder.type", null, "an encoder name");
      require(e.getValue().bottleneck != null && e.getValue().bottleneck.type != null,
          "branches." + e.getKey() + ".bottleneck.type", null, "a bottleneck name");
    }
    require(c.losses != null && !c.losses.isEmpty(), "losses", null, "at least one loss term");
    for (int i = 0; i < c.losses.size(); i++) {
      RunConfig.LossSpec l = c.losses.get(i);
      require(l != null && l.type != null, "losses." + i + ".type", null, "a loss name");
      require(Double.isFinite(l.weight) && l.weight >= 0, "losses." + i + ".weight", l.weight,
          "a finite number >= 0");
      require(l.branch != null || (l.inputs != null && !l.inputs.isEmpty()), "losses." + i + ".branch", null,
          "a branch name, or an inputs: mapping");
    }
    require(c.optimizer.lr > 0 && Double.isFinite(c.optimizer.lr), "optimizer.lr", c.optimizer.lr, "a number > 0");
    require(c.optimizer.weightDecay >= 0, "optimizer.weightDecay", c.optimizer.weightDecay, "a number >= 0");
    RunConfig.Schedule s = c.schedule;
    require(s.epochs > 0, "schedule.epochs", s.epochs, "an integer > 0");
    require(s.warmupEpochs >= 0, "schedule.warmupEpochs", s.warmupEpochs, "a number >= 0");
    require(s.warmupFactor > 0 && s.warmupFactor <= 1, "schedule.warmupFactor", s.warmupFactor, "a number in (0, 1]");
    require(s.gamma > 0, "schedule.gamma", s.gamma, "a number > 0");
    require(s.maxIterations >= 0, "schedule.maxIterations", s.maxIterations, "an integer >= 0");
    require(s.batchesPerEpoch >= 0, "schedule.batchesPerEpoch", s.batchesPerEpoch, "an integer >= 0");
    int previous = 0;
    for (int i = 0; i < s.milestones.size(); i++) {
      Integer m = s.milestones.get(i);
      require(m != null && m > previous, "schedule.milestones." + i, m, "increasing epochs > 0");
      previous = m;
    }
    require(c.checkpoint.everyIterations >= 0, "checkpoint.everyIterations", c.checkpoint.everyIterations,
        "an integer >= 0");
    require(c.checkpoint.keep >= 1, "checkpoint.keep", c.checkpoint.keep, "an integer >= 1");
    require(c.log.everyIterations >= 1, "log.everyIterations", c.log.everyIterations, "an integer >= 1");
    require(c.validation.everyEpochs >= 1, "validation.everyEpochs", c.validation.everyEpochs, "an integer >= 1");
    require(List.of("stop", "skip").contains(c.onNonFinite), "onNonFinite", c.onNonFinite, "one of [stop, skip]");
    Wiring.parse(c.wiring, "wiring");
    validateEvaluation(c);
    Set<String> seen = new HashSet<>();
    for (var l : c.losses) {
      String label = LossLabels.label(l);
      if (!seen.add(label)) {
        throw new ConfigException("config key [losses] has two terms labelled [" + label
            + "]; give one a distinct name:");
      }
    }
  }

  private static void validateEvaluation(RunConfig c) {
    RunConfig.Evaluation e = c.evaluation;
    require(e != null, "evaluation", null, "a mapping");
    checkKeys(c, e.visible, "evaluation.visible");
    checkKeys(c, e.infrared, "evaluation.infrared");
    if (e.featureSets == null) {
      return;
    }
    for (var set : e.featureSets.entrySet()) {
      String name = set.getKey();
      String key = "evaluation.featureSets." + name;
      if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
        throw new ConfigException("config key [" + key + "]: a feature set name must be letters, digits, '.', '_' "
            + "or '-', starting with a letter or digit");
      }
      RunConfig.FeatureSet fs = set.getValue();
      require(fs != null, key, null, "a mapping with visible: and infrared: lists of output keys");
      require(fs.visible != null && !fs.visible.isEmpty(), key + ".visible", null,
          "a non-empty list of output keys, e.g. [shared.v]");
      require(fs.infrared != null && !fs.infrared.isEmpty(), key + ".infrared", null,
          "a non-empty list of output keys, e.g. [shared.v]");
      checkKeys(c, fs.visible, key + ".visible");
      checkKeys(c, fs.infrared, key + ".infrared");
    }
  }

  /** Each entry parses as an evaluation key of a configured branch (outputs are checked against the plug-ins later). */
  private static void checkKeys(RunConfig c, List<String> keys, String configKey) {
    if (keys == null) {
      return;
    }
    for (int i = 0; i < keys.size(); i++) {
      EvaluationKey k = EvaluationKey.parse(keys.get(i), configKey + "." + i);
      if (c.branches != null && !c.branches.containsKey(k.branch().label())) {
        throw new ConfigException("config key [" + configKey + "." + i + "] = [" + keys.get(i) + "] reads branch "
            + k.branch().label() + ", which is not configured; branches: " + c.branches.keySet());
      }
    }
  }

  private static void require(boolean ok, String key, Object value, String expected) {
    if (!ok) {
      throw new ConfigException("config key [" + key + "]" + (value == null ? "" : " = [" + value + "]")
          + ": expected " + expected);
    }
  }
}
