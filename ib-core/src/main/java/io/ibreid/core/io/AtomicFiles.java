package io.ibreid.core.io;

import io.ibreid.core.FileFailures;
import io.ibreid.core.IbreidException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;

/**
 * Crash-safe writes: write a temporary sibling, fsync it, rename it over the target, fsync the folder. A failed write
 * removes its temporary file and names the target (never the temporary file) in its one-line message; temporary files
 * that a killed process left beside a target are removed by the next write of that target.
 */
public final class AtomicFiles {
  private static final AtomicLong TEMPORARIES = new AtomicLong();

  private AtomicFiles() {}

  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes {@code bytes} to {@code target} atomically.
   *
   * @throws IbreidException naming {@code target} and the reason (a folder in its place, permission, a full disk)
   */
  public static void write(Path target, byte[] bytes) throws IOException {
    if (Files.isDirectory(target)) {
      throw new IbreidException("cannot write " + target + ": it is a folder; expected a file name");
    }
    Path tmp;
    try {
      tmp = temporarySibling(target);
    } catch (IOException e) {
      throw failure(target, e);
    }
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      move(tmp, target);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw failure(target, e);
    }
  }

  /**
   * A name for the temporary file to write before {@link #move moving} it over {@code target}: a hidden sibling ending
   * in {@code .tmp}, different for every call in every process (so that writers of the same target at the same time
   * do not write into one file). Creates the folder if needed, and removes the temporary siblings of {@code target}
   * that processes no longer running left behind ({@link #removeStaleTemporaries}).
   */
  public static Path temporarySibling(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    createDirectories(dir);
    removeStaleTemporaries(dir, target.getFileName().toString());
    return dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "-"
        + TEMPORARIES.incrementAndGet() + ".tmp");
  }

  /**
   * {@link Files#createDirectories}, except that a file where a folder should be (at {@code dir} or above it) is
   * reported as a {@link NotDirectoryException} naming that file, rather than as a {@link FileAlreadyExistsException}
   * (at {@code dir}) or a "Not a directory" {@link FileSystemException} (below the file), so that {@link #reason}
   * says "X is a file, not a folder".
   */
  public static Path createDirectories(Path dir) throws IOException {
    try {
      return Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      Path file = FileFailures.fileInTheWay(dir);
      if (file != null) {
        NotDirectoryException n = new NotDirectoryException(file.toString());
        n.initCause(e);
        throw n;
      }
      throw e;
    }
  }

  /**
   * Removes the temporary files {@link #temporarySibling} named in {@code dir} (for the target {@code name}, or for
   * every target when {@code name} is null) whose process is no longer running: what a killed writer left. Files of
   * a live process (this one included) are kept; only this class's naming pattern is touched. Best effort.
   */
  public static void removeStaleTemporaries(Path dir, String name) {
    String prefix = name == null ? "." : "." + name + ".";
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix)
        && p.getFileName().toString().endsWith(".tmp"))) {
      for (Path p : s) {
        Matcher m = FileFailures.TEMPORARY.matcher(p.getFileName().toString());
        if (m.matches() && (name == null || m.group(1).equals(name)) && !alive(m.group(2))
            && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort: a folder that cannot be listed is reported by the write itself
    }
  }

  /** Whether the process {@code pid} (decimal) runs; this process counts as running. */
  public static boolean alive(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return true; // not ours to judge
    }
  }

  /** Atomic rename of a file or folder, then fsync of the parent folder. */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory(to.toAbsolutePath().getParent());
  }

  public static void sync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  public static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // Some file systems cannot fsync a directory; the rename itself is still atomic.
    }
  }

  /** Deletes a folder tree, ignoring what is already gone. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Why an I/O operation failed, in words, naming the path it failed on ({@link FileFailures#reason}, where the rules
   * live so that {@link io.ibreid.core.UserFacing} can use them too).
   */
  public static String reason(IOException e) {
    return FileFailures.reason(e);
  }

  /** The one-line failure of writing {@code target}. */
  public static IbreidException failure(Path target, IOException e) {
    return new IbreidException("cannot write " + target + ": " + reason(e), e);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // the failure being reported matters more
    }
  }
}
