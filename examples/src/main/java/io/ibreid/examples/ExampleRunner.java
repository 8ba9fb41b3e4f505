package io.ibreid.examples;

import io.ibreid.cli.IbreidCli;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a shipped configuration exactly as {@code ibreid train --config configs/NAME.yaml --out runs/NAME} would:
 * the example mains only choose the file. Extra arguments are passed on ({@code --set key=value}, {@code --resume},
 * {@code --quiet}, {@code --out DIR}). The configurations are read from {@code configs/} under the working
 * directory, or from the folder named by the system property {@code ibreid.configs}.
 */
public final class ExampleRunner {
  private ExampleRunner() {}

  /** The {@code ibreid} command line for configuration {@code name} plus the user's arguments. */
  static String[] arguments(String name, String[] args) {
    Path config = Path.of(System.getProperty("ibreid.configs", "configs")).resolve(name + ".yaml");
    List<String> cli = new ArrayList<>(List.of("train", "--config", config.toString()));
    List<String> user = Arrays.asList(args);
    if (!user.contains("--out")) {
      cli.addAll(List.of("--out", Path.of("runs", name).toString()));
    }
    cli.addAll(user);
    return cli.toArray(String[]::new);
  }

  /** Trains configuration {@code name}; returns the command line's exit status. */
  public static int run(String name, String[] args) {
    return IbreidCli.run(arguments(name, args), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
  }
}
