package io.ibreid.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writers of the same file at the same time each write their own temporary file; the target is always whole. */
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
}
