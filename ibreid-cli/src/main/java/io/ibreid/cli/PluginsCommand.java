package io.ibreid.cli;

import io.ibreid.Ibreid;
import io.ibreid.core.builtin.CorePlugin;
import io.ibreid.core.plugin.PluginFactory;
import io.ibreid.core.plugin.PluginKind;
import io.ibreid.core.plugin.Plugins;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code ibreid plugins}: every discovered plug-in, by kind and name. */
@Command(name = "plugins", description = "List the encoders, bottlenecks, losses and data sets found on the class path.")
final class PluginsCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Plugins plugins = Ibreid.plugins();
    for (PluginKind<?> kind : CorePlugin.KINDS) {
      Map<String, ? extends PluginFactory<?>> all = plugins.all(kind);
      out.println(kind.plural() + ":");
      if (all.isEmpty()) {
        out.println("  (none)");
      }
      all.forEach((name, f) -> out.printf("  %-16s %s%n", name, f.description()));
    }
    out.flush();
    return 0;
  }
}
