package io.ibreid.core.loss;

import io.ibreid.core.plugin.PluginFactory;
import io.ibreid.core.plugin.PluginKind;
import java.util.List;
import java.util.Map;

/**
 * The {@code loss} kind of plug-in ({@code losses} in a config): creates a {@link LossTerm}. A config entry binds each
 * of the term's {@link #slots} to an output key such as {@code visible.z_logits} or {@code shared.infrared.v_logits}
 * ({@code branch.output} is every row of a branch, {@code branch.view.output} the rows of one modality). When the
 * entry gives only {@code branch: NAME}, {@link #defaultInputs} supplies the binding.
 */
public interface LossFactory<P> extends PluginFactory<P> {
  PluginKind<LossFactory<?>> KIND = PluginKind.of("loss", "losses", LossFactory.class);

  /** The term's inputs, in a stable order. */
  List<Slot> slots(P params);

  /**
   * Slot → output key bindings for {@code branch}; fails with a {@link io.ibreid.core.ConfigException} when the term
   * does not apply to that branch (e.g. a cross-view term on a single-modality branch).
   */
  Map<String, String> defaultInputs(String branch, P params);

  LossTerm create(P params, LossContext context);

  @Override
  default PluginKind<LossFactory<?>> kind() {
    return KIND;
  }

  /** Binds a config's {@code params:} map ({@link #bind}) and creates the term. */
  default LossTerm fromConfig(Map<String, Object> params, String keyPath, LossContext context) {
    return create(bind(params, keyPath), context);
  }
}
