package io.ibreid.core.branch;

import io.ibreid.core.bottleneck.Bottleneck;
import io.ibreid.core.observation.Encoder;

/**
 * A branch: its own encoder (images → observation v) and bottleneck (v → representation z), plus identity
 * classifiers p(y|v) and p(y|z) that the model adds. It exposes v, z, v_logits, z_logits and the bottleneck's
 * extra outputs, per view for the shared branch.
 */
public record Branch(BranchRole role, Encoder encoder, Bottleneck bottleneck) {}
