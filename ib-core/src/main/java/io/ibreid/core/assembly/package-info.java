/**
 * Assembly: a {@link io.ibreid.core.config.RunConfig} turned into a model and its objective through the plug-in
 * registry ({@link io.ibreid.core.assembly.ModelAssembly}). Training ({@code core.train}) and opening a finished run
 * for inference ({@code core.run}) both build their model here, so neither depends on the other.
 */
package io.ibreid.core.assembly;
