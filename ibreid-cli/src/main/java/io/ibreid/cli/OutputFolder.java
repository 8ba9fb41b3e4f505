package io.ibreid.cli;

import io.ibreid.core.IbreidException;
import io.ibreid.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder a command writes its files into, created only when the first file is written. Opened before the work
 * starts, so that an option naming a file where a folder is expected fails at once with one line; closed without
 * {@link #commit()} (the command failed), it removes the files it named that were not there before and the folders
 * it created, so a failed command leaves no partial output.
 */
final class OutputFolder implements AutoCloseable {
  private final Path dir;
  private final List<Path> fresh = new ArrayList<>();
  private final Path firstMissing;
  private boolean committed;

  private OutputFolder(Path dir, List<String> names) {
    this.dir = dir;
    for (String n : names) {
      if (!Files.exists(dir.resolve(n), LinkOption.NOFOLLOW_LINKS)) {
        fresh.add(dir.resolve(n));
      }
    }
    Path missing = null;
    for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
      missing = p;
    }
    this.firstMissing = missing;
  }

  /**
   * The folder {@code dir} (given by {@code option}) that will receive {@code names}.
   *
   * @throws IbreidException when {@code dir}, or a folder above it, is a file, or one of {@code names} is a folder
   */
  static OutputFolder open(Path dir, String option, String... names) {
    requireFolder(dir, option);
    for (String n : names) {
      if (Files.isDirectory(dir.resolve(n))) {
        throw new IbreidException("cannot write " + dir.resolve(n) + ": it is a folder; expected a file name");
      }
    }
    return new OutputFolder(dir, List.of(names));
  }

  /** Fails with one line when {@code dir} or a folder above it is a file. */
  static void requireFolder(Path dir, String option) {
    for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (Files.exists(p) && !Files.isDirectory(p)) {
        throw new IbreidException(option + " " + dir + (p.equals(dir.toAbsolutePath().normalize()) ? " is a file"
            : ": " + p + " is a file") + "; expected a folder (new or existing)");
      }
    }
  }

  /** Fails with one line when {@code file} is a folder, or a folder above it is a file. */
  static void requireFile(Path file, String option) {
    if (Files.isDirectory(file)) {
      throw new IbreidException(option + " " + file + " is a folder; expected a file name");
    }
    Path parent = file.toAbsolutePath().normalize().getParent();
    if (parent != null) {
      requireFolder(parent, option);
    }
  }

  Path resolve(String name) {
    return dir.resolve(name);
  }

  Path directory() {
    return dir;
  }

  /** Keeps what was written. */
  void commit() {
    committed = true;
  }

  @Override
  public void close() {
    if (committed) {
      return;
    }
    for (Path p : fresh) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // best effort: the failure being reported matters more
      }
    }
    if (firstMissing != null) {
      try {
        AtomicFiles.removeStaleTemporaries(dir.toAbsolutePath().normalize(), null);
        for (Path p = dir.toAbsolutePath().normalize(); p != null && p.startsWith(firstMissing); p = p.getParent()) {
          try (var s = Files.list(p)) {
            if (s.findAny().isPresent()) {
              break;
            }
          }
          Files.deleteIfExists(p);
        }
      } catch (IOException ignored) {
        // a folder that is not empty stays
      }
    }
  }
}
