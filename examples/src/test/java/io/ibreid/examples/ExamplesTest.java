package io.ibreid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.cli.IbreidCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The example mains build the {@code ibreid train} command line; {@code ibreid plugins} lists the method's terms. */
class ExamplesTest {
  @Test
  void examplesRunTheTrainCommandOnTheirConfig() {
    assertThat(ExampleRunner.arguments("full", new String[0]))
        .containsExactly("train", "--config", "configs/full.yaml", "--out", "runs/full");
    assertThat(ExampleRunner.arguments("vib", new String[] {"--out", "/tmp/x", "--set", "schedule.epochs=1"}))
        .containsExactly("train", "--config", "configs/vib.yaml", "--out", "/tmp/x", "--set", "schedule.epochs=1");
  }

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
