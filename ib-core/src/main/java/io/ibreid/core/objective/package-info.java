/**
 * The training objective: weighted loss terms bound to a model's outputs ({@link io.ibreid.core.objective.Objective}),
 * evaluated on the rows and labels a {@link io.ibreid.core.branch.WiredBatch} gives each output key, returning the
 * external errors the model back-propagates.
 */
package io.ibreid.core.objective;
