package io.ibreid.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a plain {@code ibreid eval-features} command line without picocli, whose start-up (building its model by
 * reflection, ~0.13 s measured with {@code benchmarks/eval-features/run.sh}) is a fifth of a whole evaluation.
 * Accepts only the unambiguous forms: {@code eval-features} first, then known options as {@code --name value} or
 * {@code --name=value}, each at most once, values not starting with '-', integers in plain decimal, and every required
 * option. Anything else ({@code --help}, an unknown or repeated option, a missing or malformed value, ...) returns
 * null and the command line goes to picocli, which parses it or reports the problem as always. A test checks that
 * both parsers give the same fields for the same command lines.
 */
final class EvalFeaturesFastPath {
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,8}");

  private EvalFeaturesFastPath() {}

  /** The command with its options set, or null when picocli must parse this command line. */
  static EvalFeaturesCommand parse(String[] args) {
    if (args.length == 0 || !"eval-features".equals(args[0])) {
      return null;
    }
    EvalFeaturesCommand c = new EvalFeaturesCommand();
    Set<String> seen = new HashSet<>();
    for (int i = 1; i < args.length; i++) {
      String name = args[i];
      String value = null;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!seen.add(name)) {
        return null;
      }
      if (name.equals("--rerank") || name.equals("--debug")) {
        if (value != null) {
          return null;
        }
        c.rerank |= name.equals("--rerank");
        continue;
      }
      if (value == null) {
        if (i + 1 == args.length) {
          return null;
        }
        value = args[++i];
      }
      if (value.startsWith("-") || !set(c, name, value)) {
        return null;
      }
    }
    for (String required : new String[] {"--protocol", "--query", "--query-meta", "--gallery", "--gallery-meta"}) {
      if (!seen.contains(required)) {
        return null;
      }
    }
    return c;
  }

  private static boolean set(EvalFeaturesCommand c, String name, String value) {
    try {
      switch (name) {
        case "--protocol" -> c.protocol = value;
        case "--query" -> c.query = Path.of(value);
        case "--query-meta" -> c.queryMeta = Path.of(value);
        case "--gallery" -> c.gallery = Path.of(value);
        case "--gallery-meta" -> c.galleryMeta = Path.of(value);
        case "--distance" -> c.distance = value;
        case "--cmc" -> c.cmc = value;
        case "--trials" -> c.trials = decimal(value);
        case "--shots" -> c.shots = decimal(value);
        case "--mode" -> c.mode = value;
        case "--json" -> c.json = Path.of(value);
        case "--k1" -> c.k1 = decimal(value);
        case "--k2" -> c.k2 = decimal(value);
        case "--lambda" -> c.lambda = Double.parseDouble(value);
        case "--report" -> c.report = Path.of(value);
        case "--report-queries" -> c.reportQueries = decimal(value);
        case "--image-root" -> c.imageRoot = Path.of(value);
        case "--backend" -> c.backend = value;
        default -> {
          return false;
        }
      }
      return true;
    } catch (NumberFormatException | InvalidPathException e) {
      return false;
    }
  }

  private static int decimal(String value) {
    if (!DECIMAL.matcher(value).matches()) {
      throw new NumberFormatException(value);
    }
    return Integer.parseInt(value);
  }
}
