package io.ibreid.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.IbreidException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers of the same file at the same time each write their own temporary file; the target is always whole. A
 * failure is one line naming the target and, in words, the path it failed on and what was expected there (never a
 * bare exception class, never a temporary file's name).
 */
class AtomicFilesTest {
  @TempDir
  Path dir;

  @Test
  void temporarySiblingsAreHiddenDistinctAndInTheTargetsFolder() throws Exception {
    Path target = dir.resolve("sub/metrics.json");
    Path a = AtomicFiles.temporarySibling(target);
    Path b = AtomicFiles.temporarySibling(target);
    assertThat(a).isNotEqualTo(b);
    for (Path t : List.of(a, b)) {
      assertThat(t.getParent()).isEqualTo(target.toAbsolutePath().getParent()).isDirectory();
      assertThat(t.getFileName().toString()).startsWith(".metrics.json.").endsWith(".tmp");
    }
  }

  @Test
  void concurrentWritersLeaveOneWholeVersionAndNoTemporaryFile() throws Exception {
    Path target = dir.resolve("out.txt");
    List<String> versions = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      versions.add(String.valueOf((char) ('a' + w)).repeat(200_000));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 5; round++) {
        List<Future<?>> writes = new ArrayList<>();
        for (String v : versions) {
          writes.add(pool.submit(() -> {
            AtomicFiles.writeString(target, v);
            return null;
          }));
        }
        for (Future<?> f : writes) {
          f.get();
        }
        assertThat(versions).contains(Files.readString(target));
      }
    } finally {
      pool.shutdownNow();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.txt");
    }
  }

  /** The exception {@code io} throws, checked to be of {@code kind}. */
  private static <T extends IOException> T thrown(Class<T> kind, Callable<?> io) {
    try {
      io.call();
    } catch (Exception e) {
      assertThat(e).isInstanceOf(kind);
      return kind.cast(e);
    }
    throw new AssertionError("expected " + kind.getSimpleName());
  }

  @Test
  void aFileWhereTheOutputFolderShouldBeIsNamedAsSuch() throws Exception {
    Path plain = Files.writeString(dir.resolve("plain"), "x");
    // the folder itself is the file (Files.createDirectories: FileAlreadyExistsException)
    assertThatThrownBy(() -> AtomicFiles.writeString(plain.resolve("out.json"), "{}"))
        .isInstanceOf(IbreidException.class)
        .hasMessage("cannot write " + plain.resolve("out.json") + ": " + plain + " is a file, not a folder");
    // a file further up (mkdir: "Not a directory", a FileSystemException with that reason)
    assertThatThrownBy(() -> AtomicFiles.writeString(plain.resolve("a/b/out.json"), "{}"))
        .isInstanceOf(IbreidException.class)
        .hasMessage("cannot write " + plain.resolve("a/b/out.json") + ": " + plain + " is a file, not a folder");
    assertThat(Files.readString(plain)).isEqualTo("x");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("plain");
    }
  }

  @Test
  void notDirectoryExceptionNamesTheFile() throws Exception {
    Path plain = Files.writeString(dir.resolve("plain"), "x");
    NotDirectoryException e = thrown(NotDirectoryException.class, () -> Files.newDirectoryStream(plain));
    assertThat(AtomicFiles.reason(e)).isEqualTo(plain + " is a file, not a folder");
    assertThat(AtomicFiles.reason(thrown(NotDirectoryException.class,
        () -> AtomicFiles.createDirectories(plain)))).isEqualTo(plain + " is a file, not a folder");
  }

  @Test
  void fileAlreadyExistsExceptionNamesTheFile() throws Exception {
    Path a = Files.writeString(dir.resolve("a"), "a");
    Path b = Files.writeString(dir.resolve("b"), "b");
    FileAlreadyExistsException e = thrown(FileAlreadyExistsException.class, () -> Files.move(a, b));
    assertThat(AtomicFiles.reason(e)).isEqualTo(b + " already exists");
    assertThat(AtomicFiles.failure(b, e)).hasMessage("cannot write " + b + ": " + b + " already exists");
  }

  @Test
  void noSuchFileExceptionNamesThePath() throws Exception {
    Path missing = dir.resolve("gone.csv");
    NoSuchFileException e = thrown(NoSuchFileException.class, () -> Files.readAllBytes(missing));
    assertThat(AtomicFiles.reason(e)).isEqualTo(missing + " does not exist");
    Path target = dir.resolve("t.bin");
    assertThat(AtomicFiles.failure(target, thrown(NoSuchFileException.class, () -> {
      AtomicFiles.move(missing, target);
      return null;
    }))).hasMessage("cannot write " + target + ": " + missing + " does not exist");
  }

  @Test
  void aTemporaryFileIsNeverNamedItsFolderIs() {
    Path tmp = dir.resolve(".out.json.123-4.tmp");
    assertThat(AtomicFiles.reason(new NoSuchFileException(tmp.toString())))
        .isEqualTo("the folder " + dir.toAbsolutePath() + " does not exist");
    assertThat(AtomicFiles.reason(new AccessDeniedException(tmp.toString())))
        .isEqualTo("permission denied: the folder " + dir.toAbsolutePath() + " is not writable");
    assertThat(AtomicFiles.reason(new FileSystemException(tmp.toString(), null, "No space left on device")))
        .isEqualTo("No space left on device");
  }

  @Test
  void directoryNotEmptyExceptionNamesTheFolder() throws Exception {
    Path full = Files.createDirectories(dir.resolve("full"));
    Files.writeString(full.resolve("inside"), "i");
    DirectoryNotEmptyException e = thrown(DirectoryNotEmptyException.class, () -> {
      Files.delete(full);
      return null;
    });
    assertThat(AtomicFiles.reason(e)).isEqualTo(full + " is a folder that is not empty");
    // an atomic rename onto it: rename(2)'s ENOTEMPTY, a FileSystemException with that reason
    Path empty = Files.createDirectories(dir.resolve("empty"));
    FileSystemException r = thrown(FileSystemException.class, () -> {
      AtomicFiles.move(empty, full);
      return null;
    });
    assertThat(AtomicFiles.reason(r)).isEqualTo(full + " is a folder that is not empty");
  }

  @Test
  void aFolderWhereAFileShouldBeIsNamedAsSuch() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "f");
    Path folder = Files.createDirectories(dir.resolve("folder"));
    // rename(2) of a file onto a folder: EISDIR, a FileSystemException with reason "Is a directory"
    FileSystemException e = thrown(FileSystemException.class, () -> {
      AtomicFiles.move(file, folder);
      return null;
    });
    assertThat(AtomicFiles.failure(folder, e)).hasMessage("cannot write " + folder + ": " + folder
        + " is a folder, not a file");
    assertThatThrownBy(() -> AtomicFiles.writeString(folder, "x")).isInstanceOf(IbreidException.class)
        .hasMessageStartingWith("cannot write " + folder + ": it is a folder");
  }

  @Test
  void fileSystemExceptionGivesItsReasonAndPath() throws Exception {
    Path loop = dir.resolve("loop");
    Files.createSymbolicLink(loop, loop);
    FileSystemException e = thrown(FileSystemException.class, () -> Files.readAllBytes(loop));
    assertThat(e.getReason()).isNotNull();
    assertThat(AtomicFiles.reason(e)).isEqualTo(e.getReason() + " (" + loop + ")");
  }

  @Test
  void accessDeniedExceptionNamesThePath() throws Exception {
    Path locked = Files.createDirectories(dir.resolve("locked"));
    // the JDK's own exception as it throws it (root, which builds may run as, is never denied)
    assertThat(AtomicFiles.reason(new AccessDeniedException(locked.toString())))
        .isEqualTo("permission denied on the folder " + locked);
    assertThat(locked.toFile().setWritable(false, false)).isTrue();
    try {
      Assumptions.assumeFalse(Files.isWritable(locked), "running as root: a read-only folder is still writable");
      Path target = locked.resolve("out.json");
      assertThatThrownBy(() -> AtomicFiles.writeString(target, "{}")).isInstanceOf(IbreidException.class)
          .hasMessage("cannot write " + target + ": permission denied: the folder " + locked + " is not writable");
    } finally {
      locked.toFile().setWritable(true, false);
    }
  }
}
