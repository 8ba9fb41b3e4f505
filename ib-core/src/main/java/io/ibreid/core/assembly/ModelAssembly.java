package io.ibreid.core.assembly;

import io.ibreid.core.ConfigException;
import io.ibreid.core.bottleneck.BottleneckFactory;
import io.ibreid.core.branch.Branch;
import io.ibreid.core.branch.BranchRole;
import io.ibreid.core.branch.OutputKey;
import io.ibreid.core.branch.ReidModel;
import io.ibreid.core.branch.Wiring;
import io.ibreid.core.config.ConfigValidator;
import io.ibreid.core.config.LossLabels;
import io.ibreid.core.config.RunConfig;
import io.ibreid.core.loss.LossContext;
import io.ibreid.core.loss.LossFactory;
import io.ibreid.core.observation.EncoderFactory;
import io.ibreid.core.objective.Objective;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.plugin.Plugins;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Turns a {@link RunConfig} into a {@link ReidModel} and its {@link Objective}, through the plug-in registry. It
 * assumes a config {@link ConfigValidator#validate(RunConfig, Plugins) validated} against the same registry.
 */
public final class ModelAssembly {
  private ModelAssembly() {}

  /** Builds the model (without an optimiser: the trainer installs its own, {@link io.ibreid.core.train.Optimizer}). */
  public static ReidModel model(RunConfig config, Plugins plugins, ImageShape shape, int numClasses) {
    List<Branch> branches = new ArrayList<>();
    for (BranchRole role : BranchRole.values()) {
      RunConfig.BranchSpec spec = config.branches.get(role.label());
      if (spec == null) {
        continue;
      }
      String key = "branches." + role.label();
      branches.add(new Branch(role,
          plugins.get(EncoderFactory.KIND, spec.encoder.type).fromConfig(spec.encoder.params, key + ".encoder.params"),
          plugins.get(BottleneckFactory.KIND, spec.bottleneck.type).fromConfig(spec.bottleneck.params,
              key + ".bottleneck.params")));
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
    LossFactory<P> factory = (LossFactory<P>) plugins.get(LossFactory.KIND, spec.type);
    P params = factory.bind(spec.params, key + ".params");
    String label = LossLabels.label(spec);
    Map<String, OutputKey> inputs = ConfigValidator.lossInputs(config, factory, params, spec, key);
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
