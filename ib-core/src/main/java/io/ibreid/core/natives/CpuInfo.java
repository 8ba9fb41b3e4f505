package io.ibreid.core.natives;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the CPU says about itself: vendor, model name and instruction-set flags, as Linux reports them in
 * {@code /proc/cpuinfo} (the first processor's entry; every core of a machine has the same flags).
 *
 * @param vendor the {@code vendor_id} line, e.g. {@code AuthenticAMD}; empty when unknown
 * @param model  the {@code model name} line, e.g. {@code AMD EPYC}; empty when unknown
 * @param flags  the {@code flags} line as a set of lower-case words; empty when unknown
 * @param source where the facts were read from ({@code /proc/cpuinfo}, another file, or {@code unavailable})
 */
public record CpuInfo(String vendor, String model, Set<String> flags, String source) {
  /**
   * System property naming a file to read instead of {@code /proc/cpuinfo}: lets a test (or a developer) make the
   * choice a machine with another CPU would make, e.g. the AVX2-only path on an AVX-512 machine. A CPU can always
   * run a build chosen for fewer flags than it has, so this can never select a build the real CPU lacks flags for
   * unless the file claims flags the CPU does not have.
   */
  public static final String CPUINFO_PROPERTY = "ibreid.cpuinfo";

  public CpuInfo {
    flags = Collections.unmodifiableSet(new TreeSet<>(flags));
  }

  /** Reads {@code /proc/cpuinfo} (or the file named by {@value #CPUINFO_PROPERTY}); unknown CPU when unreadable. */
  public static CpuInfo read() {
    String override = System.getProperty(CPUINFO_PROPERTY);
    Path file = Path.of(override == null || override.isBlank() ? "/proc/cpuinfo" : override);
    try {
      return parse(Files.readString(file, StandardCharsets.ISO_8859_1), file.toString());
    } catch (IOException | RuntimeException e) {
      if (override != null && !override.isBlank()) {
        throw new io.ibreid.core.IbreidException(
            "cannot read the CPU description " + file + " named by -D" + CPUINFO_PROPERTY + ": " + e.getMessage());
      }
      return new CpuInfo("", "", Set.of(), "unavailable (" + file + ": " + e.getMessage() + ")");
    }
  }

  /** Parses the text of a {@code /proc/cpuinfo} file: the first processor's vendor, model name and flags. */
  public static CpuInfo parse(String text, String source) {
    String vendor = "";
    String model = "";
    Set<String> flags = new TreeSet<>();
    for (String line : (Iterable<String>) text.lines()::iterator) {
      int colon = line.indexOf(':');
      if (line.isBlank() && !flags.isEmpty()) {
        break; // end of the first processor's entry
      }
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      switch (key) {
        case "vendor_id" -> vendor = vendor.isEmpty() ? value : vendor;
        case "model name" -> model = model.isEmpty() ? value : model;
        case "flags" -> {
          if (flags.isEmpty()) {
            for (String f : value.split("\\s+")) {
              if (!f.isEmpty()) {
                flags.add(f.toLowerCase(java.util.Locale.ROOT));
              }
            }
          }
        }
        default -> { }
      }
    }
    return new CpuInfo(vendor, model, flags, source);
  }

  /** A short description: model and the flags that decide the native build. */
  public String describe() {
    StringBuilder sb = new StringBuilder(model.isEmpty() ? "unknown CPU" : model);
    if (!vendor.isEmpty()) {
      sb.append(" (").append(vendor).append(')');
    }
    sb.append("; flags:");
    boolean any = false;
    for (String f : NativeBuild.DECIDING_FLAGS) {
      if (flags.contains(f)) {
        sb.append(' ').append(f);
        any = true;
      }
    }
    if (!any) {
      sb.append(" none of ").append(String.join(", ", NativeBuild.DECIDING_FLAGS));
    }
    return sb.toString();
  }
}
