package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code ibreid plugins} lists the method's terms. */
class PluginsCommandTest {
  @Test
  void pluginsCommandListsTheMethodsTerms() {
    StringWriter out = new StringWriter();
    int status = IbreidCli.run(new String[] {"plugins"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
    assertThat(status).isZero();
    String text = out.toString();
    String losses = text.substring(text.indexOf("losses:"), text.indexOf("datasets:"));
    for (String term : new String[] {"vsd", "vcd", "vml", "ib", "vib", "ce", "triplet"}) {
      assertThat(losses).containsPattern("(?m)^  " + term + "\\s");
    }
    String bottlenecks = text.substring(text.indexOf("bottlenecks:"), text.indexOf("losses:"));
    assertThat(bottlenecks).containsPattern("(?m)^  vib\\s").containsPattern("(?m)^  mlp\\s");
  }
}
