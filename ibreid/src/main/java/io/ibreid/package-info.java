/**
 * ibreid as a library. {@link io.ibreid.Ibreid} loads and validates configs, trains runs (holdout validation and the
 * best checkpoint, {@code train.log}, progress listeners) and lists plug-ins; {@link io.ibreid.Embedder} turns images
 * into a trained run's test-time features. (The ablation's plan, runs and report are the ibreid-ablation module's,
 * an application over this facade.)
 * Plug-ins implement {@link io.ibreid.core.plugin.IbreidPlugin} (ib-core) and are found with
 * {@link java.util.ServiceLoader} or passed in code through {@link io.ibreid.TrainOptions}; their gradients are
 * checked with {@link io.ibreid.core.testing.GradientChecks}. An ND4J backend must be on the class path
 * ({@code io.ibreid:ibreid-backend-cpu} or {@code ibreid-backend-cuda}, type pom).
 */
package io.ibreid;
