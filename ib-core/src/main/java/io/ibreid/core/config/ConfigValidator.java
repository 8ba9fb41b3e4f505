package io.ibreid.core.config;

import io.ibreid.core.ConfigException;
import io.ibreid.core.bottleneck.Bottleneck;
import io.ibreid.core.bottleneck.BottleneckFactory;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.EvaluationKey;
import io.ibreid.core.branch.OutputKey;
import io.ibreid.core.branch.Wiring;
import io.ibreid.core.data.DatasetFactory;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.OutputNames;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.observation.EncoderFactory;
import io.ibreid.core.plugin.Plugins;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one place a {@link RunConfig} is checked, before any work starts; each failure is a {@link ConfigException}
 * naming its key. {@link #validate(RunConfig)} checks what needs no plug-in (ranges, relations, branch names, output
 * keys; {@link ConfigLoader} runs it on every file it reads); {@link #validate(RunConfig, Plugins)} adds what does:
 * every plug-in the config names exists and its parameters bind, every evaluation key names an output its branch
 * produces, every loss input is bound to a configured branch. Training runs the second once, when its
 * {@code TrainingModule} is made.
 */
public final class ConfigValidator {
  private ConfigValidator() {}

  /** The checks that need no plug-in. */
  public static void validate(RunConfig c) {
    require(c.precision != null && List.of("float", "double").contains(c.precision), "precision",
        c.precision, "one of [float, double]");
    require(c.data != null, "data", null, "a mapping");
    require(c.data.type != null && !c.data.type.isBlank(), "data.type", c.data.type, "a data set name");
    require(c.data.root != null && !c.data.root.isBlank(), "data.root", c.data.root,
        "the data set's folder (a synthetic type generates its data there; an empty value would mean the current "
            + "folder)");
    require(c.data.workers >= 0 && c.data.workers <= MAX_WORKERS, "data.workers", c.data.workers,
        "an integer in 0.." + MAX_WORKERS);
    require(c.input.height > 0, "input.height", c.input.height, "an integer > 0");
    require(c.input.width > 0, "input.width", c.input.width, "an integer > 0");
    require(c.sampler.identities >= 2, "sampler.identities", c.sampler.identities,
        "an integer >= 2 (P identities per batch)");
    require(c.sampler.instances >= 2 && c.sampler.instances % 2 == 0, "sampler.instances", c.sampler.instances,
        "an even integer >= 2 (K images per identity: K/2 visible + K/2 infrared)");
    checkBatchSize(c);
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

  /** Loader threads beyond this are a typo, not a machine. */
  static final int MAX_WORKERS = 256;
  /** The most elements a Java array holds on common JVMs. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  /**
   * A training batch's half (P·K/2 images of 3 × height × width floats) is one Java array while it is decoded: checks
   * with overflow-safe arithmetic that it can exist at all, naming the largest input size of the same aspect that
   * can. Whether a step then fits in memory is checked when the model is built (the trainer's memory check).
   */
  private static void checkBatchSize(RunConfig c) {
    long rows = (long) c.sampler.identities * (c.sampler.instances / 2);
    long pixels = (long) c.input.height * c.input.width;
    long values;
    try {
      values = Math.multiplyExact(Math.multiplyExact(pixels, 3L), rows);
    } catch (ArithmeticException e) {
      values = Long.MAX_VALUE;
    }
    if (values > MAX_ARRAY) {
      double scale = Math.sqrt(MAX_ARRAY / (3.0 * rows) / pixels);
      throw new ConfigException("config key [input.height] x [input.width] = " + c.input.height + " x "
          + c.input.width + ": a training batch of " + rows + " images per modality would hold "
          + (values == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : Long.toString(values))
          + " values, more than one array can (" + MAX_ARRAY + "); at most about "
          + Math.max(1, (long) Math.floor(c.input.height * scale)) + " x "
          + Math.max(1, (long) Math.floor(c.input.width * scale)) + " can, and far less fits in memory");
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

  /** {@link #validate(RunConfig)}, then every check against the plug-ins: nothing is read or trained yet. */
  public static void validate(RunConfig c, Plugins plugins) {
    validate(c);
    Map<String, List<String>> outputs = new LinkedHashMap<>();
    for (var e : c.branches.entrySet()) {
      String key = "branches." + e.getKey();
      plugins.get(EncoderFactory.KIND, e.getValue().encoder.type).fromConfig(e.getValue().encoder.params,
          key + ".encoder.params");
      Bottleneck bottleneck = plugins.get(BottleneckFactory.KIND, e.getValue().bottleneck.type).fromConfig(
          e.getValue().bottleneck.params, key + ".bottleneck.params");
      List<String> names = new ArrayList<>(List.of(OutputNames.V, OutputNames.Z, OutputNames.V_LOGITS,
          OutputNames.Z_LOGITS));
      names.addAll(bottleneck.extraOutputs());
      outputs.put(e.getKey(), names);
    }
    RunConfig.Evaluation e = c.evaluation;
    checkOutputs(e.visible, "evaluation.visible", outputs);
    checkOutputs(e.infrared, "evaluation.infrared", outputs);
    if (e.featureSets != null) {
      for (var set : e.featureSets.entrySet()) {
        checkOutputs(set.getValue().visible, "evaluation.featureSets." + set.getKey() + ".visible", outputs);
        checkOutputs(set.getValue().infrared, "evaluation.featureSets." + set.getKey() + ".infrared", outputs);
      }
    }
    for (int i = 0; i < c.losses.size(); i++) {
      checkLoss(c, plugins, c.losses.get(i), "losses." + i);
    }
    plugins.get(DatasetFactory.KIND, c.data.type);
  }

  /** Every evaluation key names an output its branch produces. */
  private static void checkOutputs(List<String> keys, String configKey, Map<String, List<String>> outputs) {
    for (int i = 0; keys != null && i < keys.size(); i++) {
      EvaluationKey k = EvaluationKey.parse(keys.get(i), configKey + "." + i);
      List<String> names = outputs.get(k.branch().label());
      if (names != null && !names.contains(k.output())) {
        throw new ConfigException("config key [" + configKey + "." + i + "] = [" + keys.get(i) + "]: branch "
            + k.branch().label() + " has no output [" + k.output() + "]; its outputs: " + names);
      }
    }
  }

  private static <P> void checkLoss(RunConfig config, Plugins plugins, RunConfig.LossSpec spec, String key) {
    @SuppressWarnings("unchecked")
    LossFactory<P> factory = (LossFactory<P>) plugins.get(LossFactory.KIND, spec.type);
    lossInputs(config, factory, factory.bind(spec.params, key + ".params"), spec, key);
  }

  /**
   * The slot → output-key bindings of loss entry {@code key} ({@code losses.N}): the plug-in's defaults for
   * {@code branch:}, overridden by {@code inputs:}, in the plug-in's slot order. Every slot must be bound and every key
   * must name a configured branch.
   */
  public static <P> Map<String, OutputKey> lossInputs(RunConfig config, LossFactory<P> factory, P params,
      RunConfig.LossSpec spec, String key) {
    String label = LossLabels.label(spec);
    Map<String, String> raw = new LinkedHashMap<>();
    if (spec.branch != null) {
      BranchRole role = BranchRole.parse(spec.branch, key + ".branch");
      if (!config.branches.containsKey(role.label())) {
        throw new ConfigException("config key [" + key + ".branch] = [" + spec.branch + "]: no such branch is "
            + "configured; branches: " + config.branches.keySet());
      }
      try {
        raw.putAll(factory.defaultInputs(spec.branch, params));
      } catch (ConfigException e) {
        throw new ConfigException("config key [" + key + ".branch] = [" + spec.branch + "]: " + e.getMessage(), e);
      }
    }
    if (spec.inputs != null) {
      raw.putAll(spec.inputs);
    }
    for (Slot slot : factory.slots(params)) {
      if (!raw.containsKey(slot.name())) {
        throw new ConfigException("config key [" + key + ".inputs] gives loss term [" + label + "] no binding for its "
            + "input [" + slot.name() + "]; set branch: or inputs." + slot.name() + ": BRANCH[.VIEW].OUTPUT");
      }
    }
    // Bind in the plug-in's slot order (then any extra keys), so messages are the same on every run.
    Map<String, String> ordered = new LinkedHashMap<>();
    factory.slots(params).forEach(slot -> ordered.put(slot.name(), raw.get(slot.name())));
    new TreeMap<>(raw).forEach(ordered::putIfAbsent);
    Map<String, OutputKey> keys = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : ordered.entrySet()) {
      OutputKey k = OutputKey.parse(e.getValue(), key + ".inputs." + e.getKey());
      if (!config.branches.containsKey(k.branch().label())) {
        throw new ConfigException("config key [" + key + ".inputs." + e.getKey() + "] = [" + e.getValue()
            + "]: loss term [" + label + "] reads branch " + k.branch().label() + ", which is not configured; "
            + "branches: " + config.branches.keySet());
      }
      keys.put(e.getKey(), k);
    }
    return keys;
  }

  private static void require(boolean ok, String key, Object value, String expected) {
    if (!ok) {
      throw new ConfigException("config key [" + key + "]" + (value == null ? "" : " = [" + value + "]")
          + ": expected " + expected);
    }
  }
}
