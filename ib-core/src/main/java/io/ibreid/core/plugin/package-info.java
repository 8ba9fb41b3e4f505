/**
 * The plug-in SPI: how a module adds encoders, bottlenecks, losses and data sets to ibreid, and how ibreid finds them.
 * It is a leaf: it imports nothing of the engine (only the JDK, Jackson for parameter binding, and ib-core's two
 * exception classes), so every engine package may depend on it and it on none of them (ib-core's
 * {@code ArchitectureTest} keeps it so).
 *
 * <ul>
 *   <li>{@link io.ibreid.core.plugin.IbreidPlugin} is the one service: {@link java.util.ServiceLoader} finds it,
 *       and its one getter, {@code factories()}, defaults to empty.
 *   <li>{@link io.ibreid.core.plugin.PluginFactory} is what every factory shares: name, description, parameters class,
 *       kind, and {@code bind}, which turns a config's {@code params:} map into the parameters object and names the
 *       config key of any error.
 *   <li>{@link io.ibreid.core.plugin.PluginKind} is a typed token for a kind. The kinds are declared by the factory
 *       interfaces that know what they create ({@code EncoderFactory.KIND} in {@code observation},
 *       {@code BottleneckFactory.KIND}, {@code LossFactory.KIND}, {@code DatasetFactory.KIND}); each of those
 *       interfaces also has {@code fromConfig}, the one name for "bind the params map, then create".
 *   <li>{@link io.ibreid.core.plugin.Plugins} is the registry: one way to build it (ServiceLoader plus plug-ins
 *       registered in code), one error for two factories of a kind with one name, and
 *       {@code Unknown loss [x], known options [a, b, c]} for a name nobody provides.
 * </ul>
 *
 * <p>Why one {@code factories()} getter and not one per kind, as Trino's {@code Plugin} has: Trino's SPI package also
 * holds the types its factories create, so its getters can name them. Here those types are the engine's (an
 * {@code Encoder} is a DL4J graph builder, a {@code LossTerm} reads ND4J arrays), and a getter typed
 * {@code List<LossFactory<?>>} would make this package import the engine and close the circle it used to be part of.
 * A factory therefore states its kind, the registry files it under that kind, and a lookup with the kind's token
 * returns it typed. A new kind needs no change here; the kinds a run config names are listed once, in
 * {@code io.ibreid.core.builtin.CorePlugin.KINDS}.
 */
package io.ibreid.core.plugin;
