package io.ibreid.core.train;

import io.ibreid.core.branch.Branch;
import io.ibreid.core.bottleneck.Bottleneck;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.EvaluationKey;
import io.ibreid.core.branch.Wiring;
import io.ibreid.core.loss.OutputNames;
import io.ibreid.core.branch.OutputKey;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.config.ConfigException;
import io.ibreid.core.config.LossLabels;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.loss.Slot;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.plugin.Plugins;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.nd4j.linalg.api.buffer.DataType;

/** Turns a {@link RunConfig} into a {@link ReidModel} and its {@link Objective}, through the plug-in registry. */
public final class ModelAssembly {
  private ModelAssembly() {}

  /**
   * Checks, before any data is read, that every plug-in the config names exists and that its parameters bind,
   * and that every loss term's inputs name configured branches.
   */
  public static void check(RunConfig config, Plugins plugins) {
    Map<String, List<String>> outputs = new LinkedHashMap<>();
    for (var e : config.branches.entrySet()) {
      String key = "branches." + e.getKey();
      BranchRole.parse(e.getKey(), key);
      plugins.encoder(e.getValue().encoder.type).createFromMap(e.getValue().encoder.params, key + ".encoder.params");
      Bottleneck bottleneck = plugins.bottleneck(e.getValue().bottleneck.type).createFromMap(
          e.getValue().bottleneck.params, key + ".bottleneck.params");
      List<String> names = new ArrayList<>(List.of(OutputNames.V, OutputNames.Z, OutputNames.V_LOGITS,
          OutputNames.Z_LOGITS));
      names.addAll(bottleneck.extraOutputs());
      outputs.put(e.getKey(), names);
    }
    checkEvaluation(config, outputs);
    for (int i = 0; i < config.losses.size(); i++) {
      checkLoss(config, plugins, config.losses.get(i), "losses." + i);
    }
    plugins.dataset(config.data.type);
  }

  /** Every evaluation key names an output its branch produces. */
  private static void checkEvaluation(RunConfig config, Map<String, List<String>> outputs) {
    RunConfig.Evaluation e = config.evaluation;
    checkOutputs(e.visible, "evaluation.visible", outputs);
    checkOutputs(e.infrared, "evaluation.infrared", outputs);
    if (e.featureSets != null) {
      for (var set : e.featureSets.entrySet()) {
        checkOutputs(set.getValue().visible, "evaluation.featureSets." + set.getKey() + ".visible", outputs);
        checkOutputs(set.getValue().infrared, "evaluation.featureSets." + set.getKey() + ".infrared", outputs);
      }
    }
  }

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
    LossFactory<P> factory = (LossFactory<P>) plugins.loss(spec.type);
    resolveInputs(config, factory, factory.bind(spec.params, key + ".params"), spec, key);
  }

  /**
   * The slot → output-key bindings of a loss entry: the plug-in's defaults for {@code branch:}, overridden by
   * {@code inputs:}. Every slot must be bound and every key must name a configured branch.
   */
  private static <P> Map<String, OutputKey> resolveInputs(RunConfig config, LossFactory<P> factory, P params,
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
    new java.util.TreeMap<>(raw).forEach(ordered::putIfAbsent);
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

  /** Builds the model (without an optimiser: the trainer installs its own, {@link Optimizer}). */
  public static ReidModel model(RunConfig config, Plugins plugins, ImageShape shape, int numClasses) {
    List<Branch> branches = new ArrayList<>();
    for (BranchRole role : BranchRole.values()) {
      RunConfig.BranchSpec spec = config.branches.get(role.label());
      if (spec == null) {
        continue;
      }
      String key = "branches." + role.label();
      branches.add(new Branch(role,
          plugins.encoder(spec.encoder.type).createFromMap(spec.encoder.params, key + ".encoder.params"),
          plugins.bottleneck(spec.bottleneck.type).createFromMap(spec.bottleneck.params, key + ".bottleneck.params")));
    }
    for (String name : config.branches.keySet()) {
      BranchRole.parse(name, "branches." + name);
    }
    ReidModel.Options options = new ReidModel.Options(config.seed,
        "double".equals(config.precision) ? DataType.DOUBLE : DataType.FLOAT, WorkspaceMode.ENABLED);
    return ReidModel.build(branches, shape, numClasses, options, Wiring.parse(config.wiring, "wiring"));
  }

  /** Binds every configured loss term to the model's outputs. */
  public static Objective objective(RunConfig config, Plugins plugins, ReidModel model) {
    List<Objective.BoundTerm> terms = new ArrayList<>();
    for (int i = 0; i < config.losses.size(); i++) {
      terms.add(bind(config, plugins, model, config.losses.get(i), "losses." + i));
    }
    return new Objective(model, terms, config.seed);
  }

  private static <P> Objective.BoundTerm bind(RunConfig config, Plugins plugins, ReidModel model,
      RunConfig.LossSpec spec, String key) {
    @SuppressWarnings("unchecked")
    LossFactory<P> factory = (LossFactory<P>) plugins.loss(spec.type);
    P params = factory.bind(spec.params, key + ".params");
    String label = LossLabels.label(spec);
    Map<String, OutputKey> inputs = resolveInputs(config, factory, params, spec, key);
    Map<String, Integer> widths = new LinkedHashMap<>();
    for (Map.Entry<String, OutputKey> e : inputs.entrySet()) {
      OutputKey k = e.getValue();
      Integer w = model.outputWidths().get(k.branch().label() + "." + k.output());
      if (w == null) {
        throw new ConfigException("config key [" + key + ".inputs." + e.getKey() + "] = [" + k
            + "]: no branch produces it; outputs: " + model.outputs());
      }
      widths.put(e.getKey(), w);
    }
    LossContext context = new LossContext(label, config.seed, model.numClasses(), widths);
    return new Objective.BoundTerm(label, spec.weight, factory.create(params, context), factory.slots(params), inputs);
  }
}
