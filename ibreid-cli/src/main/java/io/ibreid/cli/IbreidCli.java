package io.ibreid.cli;

import io.ibreid.core.IbreidException;
import io.ibreid.core.UserFacing;
import io.ibreid.core.natives.NativeRuntime;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The {@code ibreid} command line. Every failure the user can act on prints one line to stderr and exits with
 * status 2 (usage errors: 2 as well); {@code --debug} adds the stack trace.
 */
@Command(name = "ibreid", mixinStandardHelpOptions = true, versionProvider = IbreidCli.Version.class,
    description = "Variational distillation (VSD, VCD, VML) for visible-infrared person re-identification.")
public final class IbreidCli implements Runnable {
  /**
   * The subcommands in the order {@code --help} lists them. Only the one a command line names is built (picocli
   * reads each command's annotations reflectively, which costs ~30 ms per command at start-up); {@code ibreid} alone
   * or {@code ibreid --help} builds them all. A holder class, so that the fast path of {@code eval-features} does not
   * load the other commands' classes.
   */
  static final class Subcommands {
    static final java.util.Map<String, Class<?>> ALL = subcommands(
        DemoCommand.class, AblationCommand.class, PluginsCommand.class, TrainCommand.class, SynthCommand.class,
        EvalCommand.class, ExtractCommand.class, EvalFeaturesCommand.class, TsneCommand.class, ProbeCommand.class,
        WeightsCommand.class, DoctorCommand.class, ExportCommand.class, IndexCommand.class, SearchCommand.class);

    private Subcommands() {}

    private static java.util.Map<String, Class<?>> subcommands(Class<?>... types) {
      java.util.Map<String, Class<?>> map = new java.util.LinkedHashMap<>();
      for (Class<?> type : types) {
        map.put(type.getAnnotation(Command.class).name(), type);
      }
      return map;
    }
  }

  /** Shown by {@code --debug}-aware commands. */
  @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
  boolean debug;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams; returns the exit status. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    boolean debug = java.util.Arrays.asList(args).contains("--debug");
    try {
      natives(args);
    } catch (RuntimeException e) {
      return reportFailure(e, err, debug);
    }
    if (args.length > 0 && "eval-features".equals(args[0])) {
      EvalFeaturesCommand fast = EvalFeaturesFastPath.parse(args);
      if (fast != null) {
        fast.directOut = out;
        fast.directErr = err;
        try {
          return fast.call();
        } catch (Exception e) {
          return reportFailure(e, err, debug);
        }
      }
    }
    CommandLine cli = new CommandLine(new IbreidCli());
    String named = java.util.Arrays.stream(args).filter(Subcommands.ALL::containsKey).findFirst().orElse(null);
    Subcommands.ALL.forEach((name, type) -> {
      if (named == null || name.equals(named)) {
        cli.addSubcommand(name, type);
      }
    });
    cli.addSubcommand("help", new CommandLine.HelpCommand());
    // --help (and --version) on every subcommand, e.g. `ibreid demo --help`.
    cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().mixinStandardHelpOptions(true));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> reportFailure(e, err, debug));
    cli.setParameterExceptionHandler((e, a) -> {
      err.println("ibreid: " + e.getMessage());
      err.flush();
      return 2;
    });
    return cli.execute(args);
  }

  /**
   * Chooses ND4J's native build for this CPU (ib-core's NativeRuntime) and, for every command that computes with
   * ND4J, loads it now, on the main thread, before any command starts a thread. {@code eval-features} only chooses:
   * it loads OpenBLAS itself (or ND4J, with {@code --backend nd4j}) before reading its inputs; {@code weights} (file
   * reading only), help and version load nothing.
   */
  static void natives(String[] args) {
    NativeRuntime.select();
    if (args.length > 0 && args[0].equals("eval-features")) {
      return; // before Subcommands, whose class loads every command's class
    }
    java.util.List<String> list = java.util.Arrays.asList(args);
    String named = list.stream().filter(Subcommands.ALL::containsKey).findFirst().orElse(null);
    if (named == null || named.equals("eval-features") || named.equals("weights") || list.contains("--help")
        || list.contains("-h")
        || list.contains("--version") || list.contains("-V")) {
      return;
    }
    NativeRuntime.load();
  }

  /** One line {@code ibreid: <message>} (and with --debug the stack trace); returns the exit status, 2. */
  static int reportFailure(Exception e, PrintWriter err, boolean debug) {
    Throwable cause = UserFacing.exception(e);
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if (!(cause instanceof IbreidException)) {
      message = cause.getClass().getSimpleName() + ": " + message;
    }
    err.println("ibreid: " + message.lines().findFirst().orElse(message));
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return 2;
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = IbreidCli.class.getPackage().getImplementationVersion();
      return new String[] {"ibreid " + (v == null ? "(development build)" : v),
          "DL4J/ND4J 1.0.0-M2.1, Java " + System.getProperty("java.version")};
    }
  }
}
