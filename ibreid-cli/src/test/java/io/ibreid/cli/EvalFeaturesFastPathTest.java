package io.ibreid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The picocli-free parser of {@code eval-features} against picocli itself, on the same command lines. */
class EvalFeaturesFastPathTest {
  static final String[] REQUIRED = {"--protocol", "sysu", "--query", "q.npy", "--query-meta", "q.csv",
      "--gallery", "g.npy", "--gallery-meta", "g.csv"};

  static String[] line(String... extra) {
    List<String> a = new ArrayList<>(List.of("eval-features"));
    a.addAll(List.of(REQUIRED));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  /** Every @Option field of a command built by picocli from the same arguments. */
  static void assertSameAsPicocli(String[] args) throws IllegalAccessException {
    EvalFeaturesCommand fast = EvalFeaturesFastPath.parse(args);
    assertThat(fast).as("fast path for %s", Arrays.toString(args)).isNotNull();
    EvalFeaturesCommand pico = new EvalFeaturesCommand();
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    rest.remove("--debug"); // an option of the top-level command, inherited by the subcommands
    new CommandLine(pico).parseArgs(rest.toArray(String[]::new));
    int options = 0;
    for (Field f : EvalFeaturesCommand.class.getDeclaredFields()) {
      if (f.isAnnotationPresent(Option.class)) {
        f.setAccessible(true);
        assertThat(f.get(fast)).as("%s for %s", f.getName(), Arrays.toString(args)).isEqualTo(f.get(pico));
        options++;
      }
    }
    assertThat(options).isEqualTo(19);
  }

  @Test
  void parsesLikePicocli() throws IllegalAccessException {
    assertSameAsPicocli(line());
    assertSameAsPicocli(line("--distance", "euclidean", "--trials", "10", "--shots", "10", "--mode", "indoor"));
    assertSameAsPicocli(line("--cmc", "image"));
    assertSameAsPicocli(line("--cmc=identity", "--trials", "3"));
    assertSameAsPicocli(line("--rerank", "--k1", "25", "--k2=4", "--lambda", "0.5", "--json=out/m.json"));
    assertSameAsPicocli(line("--report", "rep", "--report-queries", "7", "--image-root", "imgs", "--backend", "nd4j",
        "--debug"));
    assertSameAsPicocli(new String[] {"eval-features", "--gallery-meta=g.csv", "--query", "q.npy", "--protocol=regdb",
        "--gallery", "g.npy", "--query-meta", "q.csv", "--lambda=1e-1", "--trials=0"});
  }

  @Test
  void leavesEverythingElseToPicocli() {
    String[][] others = {
        {"eval-features", "--help"},
        line("--help"),
        line("-h"),
        line("--version"),
        line("--unknown", "x"),
        line("--shots", "1", "--shots", "10"),
        line("--cmc", "image", "--cmc", "identity"),
        line("--cmc"),
        line("--json"),
        line("--k1", "twenty"),
        line("--k1", "020"),
        line("--lambda", "-0.5"),
        line("--rerank=true"),
        line("positional"),
        Arrays.copyOf(line(), line().length - 2),
        {"--debug", "eval-features", "--protocol", "sysu"},
        {"eval", "--protocol", "sysu"},
        {}};
    for (String[] args : others) {
      assertThat(EvalFeaturesFastPath.parse(args)).as(Arrays.toString(args)).isNull();
    }
  }
}
