package io.ibreid.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.IbreidException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gallery index on real Lucene files: HNSW results against the exact scan, filters inside the search, the
 * fingerprint guard, resumable and duplicate-free adds, deletes, a writer killed with SIGKILL mid-build, a corrupt
 * segment, and searches on other threads while batches are added.
 */
class GalleryIndexTest {
  static final String RUN = "run-a";
  @TempDir
  Path dir;

  /** n entries in clusters of 10 (one identity each), camera 1 + id % 6, time = 1000·i. */
  static List<GalleryIndex.Entry> entries(int from, int n, int dim, long seed) {
    Random r = new Random(seed);
    List<GalleryIndex.Entry> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      int id = i / 10;
      Random c = new Random(id * 7919L);
      float[] v = new float[dim];
      for (int j = 0; j < dim; j++) {
        v[j] = (float) (c.nextGaussian() + 0.3 * r.nextGaussian());
      }
      out.add(new GalleryIndex.Entry("img/" + i + ".jpg", id, 1 + id % 6, id % 2 == 0 ? "visible" : "infrared",
          1000L * i, v));
    }
    return out;
  }

  static GalleryIndex create(Path d, int dim) {
    return GalleryIndex.openForWriting(d, dim, RUN, new GalleryIndex.Options(16, 64, false), Map.of("ibreid.run",
        "runs/a"));
  }

  @Test
  void hnswFindsWhatTheExactScanFindsAndFiltersApplyInsideTheSearch() {
    try (GalleryIndex index = create(dir, 32)) {
      List<GalleryIndex.Entry> all = entries(0, 2000, 32, 1);
      assertThat(index.add(all.subList(0, 1000))).isEqualTo(1000);
      assertThat(index.add(all.subList(1000, 2000))).isEqualTo(1000);
      assertThat(index.size()).isEqualTo(2000);
      double agree = 0;
      for (int q = 0; q < 20; q++) {
        float[] query = entries(q * 97, 1, 32, 99).get(0).vector();
        Set<String> exact = paths(index.searchExact(query, RUN, 10, null));
        Set<String> approx = paths(index.search(query, RUN, 10, 100, null));
        exact.retainAll(approx);
        agree += exact.size() / 10.0;
      }
      assertThat(agree / 20).isGreaterThanOrEqualTo(0.95);

      float[] query = all.get(55).vector();
      List<GalleryIndex.Hit> top = index.search(query, RUN, 5, 50, null);
      assertThat(top.get(0).path()).isEqualTo("img/55.jpg");
      assertThat(top.get(0).similarity()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
      assertThat(top.get(0).identity()).isEqualTo(5);
      assertThat(top.get(0).camera()).isEqualTo(6);
      assertThat(top.get(0).time()).isEqualTo(55_000L);

      IndexFilter others = IndexFilter.NONE.withoutCameras(Set.of(6));
      List<GalleryIndex.Hit> filtered = index.search(query, RUN, 10, 50, others);
      assertThat(filtered).hasSize(10).allSatisfy(h -> assertThat(h.camera()).isNotEqualTo(6));
      assertThat(paths(filtered)).isEqualTo(paths(index.searchExact(query, RUN, 10, others)));

      IndexFilter window = IndexFilter.NONE.withTime(100_000L, 199_000L).withModality("visible");
      List<GalleryIndex.Hit> inWindow = index.search(query, RUN, 10, 50, window);
      assertThat(inWindow).hasSize(10).allSatisfy(h -> {
        assertThat(h.time()).isBetween(100_000L, 199_000L);
        assertThat(h.modality()).isEqualTo("visible");
      });
      assertThat(paths(inWindow)).isEqualTo(paths(index.searchExact(query, RUN, 10, window)));
      // what the filter's own test accepts is what the index returned
      for (GalleryIndex.Hit h : inWindow) {
        GalleryIndex.Entry e = all.get(Integer.parseInt(h.path().replaceAll("\\D", "")));
        assertThat(window.accepts(e)).isTrue();
      }
    }
  }

  @Test
  void scalarQuantisedVectorsStillFindTheExactNeighbours() {
    try (GalleryIndex index = GalleryIndex.openForWriting(dir, 32, RUN, new GalleryIndex.Options(16, 64, true),
        Map.of())) {
      index.add(entries(0, 2000, 32, 7));
      assertThat(index.options().quantised()).isTrue();
      double agree = 0;
      for (int q = 0; q < 20; q++) {
        float[] query = entries(q * 97, 1, 32, 98).get(0).vector();
        Set<String> exact = paths(index.searchExact(query, RUN, 10, null));
        exact.retainAll(paths(index.search(query, RUN, 10, 100, null)));
        agree += exact.size() / 10.0;
      }
      assertThat(agree / 20).isGreaterThanOrEqualTo(0.9);
    }
    try (GalleryIndex index = GalleryIndex.openForReading(dir)) {
      assertThat(index.vectorFormats()).containsExactly("Lucene99HnswScalarQuantizedVectorsFormat");
    }
  }

  static Set<String> paths(List<GalleryIndex.Hit> hits) {
    Set<String> s = new HashSet<>();
    hits.forEach(h -> s.add(h.path()));
    return s;
  }

  @Test
  void anotherRunsQueryOrIndexIsRefusedInOneLine() {
    try (GalleryIndex index = create(dir, 8)) {
      index.add(entries(0, 20, 8, 1));
      assertThatThrownBy(() -> index.search(new float[8], "run-b", 5, 10, null)).isInstanceOf(IbreidException.class)
          .hasMessageContaining("fingerprint run-a (runs/a)").hasMessageContaining("run-b")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      assertThatThrownBy(() -> index.search(new float[4], RUN, 5, 10, null)).hasMessageContaining("4 columns");
    }
    assertThatThrownBy(() -> GalleryIndex.openForWriting(dir, 8, "run-b", GalleryIndex.Options.defaults(), Map.of()))
        .isInstanceOf(IbreidException.class).hasMessageContaining("run-a");
    assertThatThrownBy(() -> GalleryIndex.openForReading(dir.resolve("none")))
        .isInstanceOf(IbreidException.class).hasMessageContaining("does not exist");
  }

  @Test
  void anIndexFolderUnderAFileIsSaidInWords() throws Exception {
    Path file = Files.writeString(dir.resolve("galleries"), "a file, not a folder");
    Path under = file.resolve("index");
    assertThatThrownBy(() -> GalleryIndex.openForWriting(under, 8, RUN, GalleryIndex.Options.defaults(), Map.of()))
        .isInstanceOf(IbreidException.class)
        .hasMessage("index " + under + ": " + file + " is a file, not a folder");
    assertThat(Files.readString(file)).isEqualTo("a file, not a folder");
  }

  @Test
  void addsAreResumableWithoutDuplicatesAndDeletesCommit() {
    List<GalleryIndex.Entry> all = entries(0, 300, 8, 2);
    try (GalleryIndex index = create(dir, 8)) {
      assertThat(index.add(all.subList(0, 120))).isEqualTo(120);
    }
    try (GalleryIndex index = create(dir, 8)) {
      assertThat(index.contains("img/5.jpg")).isTrue();
      assertThat(index.add(all)).isEqualTo(180);
      assertThat(index.add(all.subList(0, 50))).isZero();
      assertThat(index.size()).isEqualTo(300);
      assertThat(index.delete(List.of("img/0.jpg", "img/1.jpg", "nothing.jpg"))).isEqualTo(2);
    }
    try (GalleryIndex index = GalleryIndex.openForReading(dir)) {
      assertThat(index.size()).isEqualTo(298);
      assertThat(index.options().beamWidth()).isEqualTo(64);
      assertThat(index.vectorFormats()).containsExactly("Lucene99HnswVectorsFormat");
      assertThat(index.info()).containsEntry("ibreid.run", "runs/a");
      assertThat(index.searchExact(all.get(0).vector(), RUN, 300, null)).hasSize(298)
          .noneMatch(h -> h.path().equals("img/0.jpg"));
    }
  }

  /** The child process of {@link #aWriterKilledMidBuildLosesNothingCommittedAndARestartDuplicatesNothing}. */
  public static void main(String[] args) {
    Path d = Path.of(args[0]);
    try (GalleryIndex index = create(d, 16)) {
      for (int b = 0; b < 1000; b++) {
        index.add(entries(b * 50, 50, 16, 3));
        System.out.println("committed " + index.size());
        System.out.flush();
      }
    }
  }

  @Test
  void aWriterKilledMidBuildLosesNothingCommittedAndARestartDuplicatesNothing() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), GalleryIndexTest.class.getName(),
        dir.toString()).redirectErrorStream(true).start();
    int lastSeen = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("committed ")) {
          lastSeen = Integer.parseInt(line.substring(10));
          if (lastSeen >= 500) {
            p.destroyForcibly(); // SIGKILL
            break;
          }
        }
      }
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(lastSeen).isGreaterThanOrEqualTo(500);
    int survived;
    try (GalleryIndex index = create(dir, 16)) { // the dead writer's lock is released by the OS
      survived = index.size();
      assertThat(survived).isGreaterThanOrEqualTo(lastSeen).isLessThan(lastSeen + 51 * 3);
      assertThat(survived % 50).as("whole batches only").isZero();
      List<GalleryIndex.Entry> everything = entries(0, survived + 200, 16, 3);
      assertThat(index.add(everything)).isEqualTo(200);
      assertThat(index.size()).isEqualTo(survived + 200);
      Set<String> distinct = paths(index.searchExact(everything.get(0).vector(), RUN, survived + 200, null));
      assertThat(distinct).hasSize(survived + 200);
    }
  }

  @Test
  void aCorruptSegmentIsOneLineNamingIt() throws Exception {
    try (GalleryIndex index = create(dir, 8)) {
      index.add(entries(0, 50, 8, 4));
    }
    Path si;
    try (Stream<Path> files = Files.list(dir)) {
      si = files.filter(f -> f.getFileName().toString().endsWith(".si")).findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(si.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0x5A);
    }
    assertThatThrownBy(() -> GalleryIndex.openForReading(dir)).isInstanceOf(IbreidException.class)
        .hasMessageStartingWith("index " + dir + " is corrupt").hasMessageContaining(si.getFileName().toString())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void searchesOnOtherThreadsDuringAddsSeeWholeBatchesOnly() throws Exception {
    try (GalleryIndex index = create(dir, 16)) {
      index.add(entries(0, 10, 16, 5));
      AtomicBoolean done = new AtomicBoolean();
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      List<Thread> readers = new ArrayList<>();
      int[] searches = new int[3];
      for (int t = 0; t < 3; t++) {
        int me = t;
        Thread th = new Thread(() -> {
          Random r = new Random(me);
          while (!done.get()) {
            int id = r.nextInt(40);
            float[] q = entries(id * 10, 1, 16, 6).get(0).vector();
            IndexFilter only = IndexFilter.NONE.withIdentities(Set.of(id));
            int approx = index.search(q, RUN, 20, 20, only).size();
            int exact = index.searchExact(q, RUN, 20, only).size();
            if ((approx != 0 && approx != 10) || (exact != 0 && exact != 10)) {
              problems.add("identity " + id + ": " + approx + " / " + exact + " of a batch of 10");
            }
            int size = index.size();
            if (size % 10 != 0) {
              problems.add("size " + size);
            }
            searches[me]++;
          }
        });
        th.start();
        readers.add(th);
      }
      for (int b = 1; b < 40; b++) {
        index.add(entries(b * 10, 10, 16, 5)); // one identity per batch of 10
      }
      done.set(true);
      for (Thread th : readers) {
        th.join();
      }
      assertThat(problems).isEmpty();
      assertThat(java.util.Arrays.stream(searches).min().orElse(0)).isPositive();
      assertThat(index.size()).isEqualTo(400);
    }
  }
}
