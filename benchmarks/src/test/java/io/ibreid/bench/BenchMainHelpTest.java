package io.ibreid.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench.sh --help}: every option description is a valid picocli format (a bare '%' made it warn). */
class BenchMainHelpTest {
  @Test
  void helpRendersWithoutFormatWarnings() {
    PrintStream err = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    StringWriter help = new StringWriter();
    int status;
    try {
      System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
      CommandLine cli = new CommandLine(new BenchMain());
      cli.setOut(new PrintWriter(help, true));
      status = cli.execute("--help");
    } finally {
      System.setErr(err);
    }
    assertThat(status).isZero();
    assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(help.toString().replaceAll("\\s+", " ")).contains("at most " + JitWarmup.IDLE_PERCENT + " % of the");
  }
}
