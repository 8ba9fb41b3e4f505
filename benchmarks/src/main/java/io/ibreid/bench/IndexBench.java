package io.ibreid.bench;

import io.ibreid.index.GalleryIndex;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The gallery index's side of benchmarks/index (run.sh): builds ibreid-index's Lucene HNSW index of the vectors
 * vectors.py wrote (one bulk load, one segment), then for each efSearch measures recall@10 against the exact top 10
 * and queries per second with 1 and 2 searching threads (document numbers only, as FAISS returns ids; and with the
 * stored fields of the 10 hits, as {@code ibreid search} returns them); the exact scan's queries per second; build
 * time, bytes on disk and the process's peak RSS. One JSON object per line on stdout.
 *
 * <p>Usage: {@code IndexBench VECTORS_DIR INDEX_DIR M EF_CONSTRUCTION EF1,EF2,... [quantised] [search-only [exact]]}
 */
public final class IndexBench {
  private IndexBench() {}

  static float[][] floats(Path f, int d) throws IOException {
    long bytes = Files.size(f);
    int n = (int) (bytes / 4 / d);
    float[][] out = new float[n][d];
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
      int row = 0;
      int col = 0;
      while (ch.read(b) > 0) {
        b.flip();
        FloatBuffer fb = b.asFloatBuffer();
        while (fb.hasRemaining()) {
          out[row][col++] = fb.get();
          if (col == d) {
            col = 0;
            row++;
          }
        }
        b.position(fb.position() * 4);
        b.compact();
      }
    }
    return out;
  }

  /** The first {@code k} columns of an int64 .npy matrix (C order, as numpy.save writes it). */
  static int[][] npyLongs(Path f, int k) throws IOException {
    byte[] all = Files.readAllBytes(f);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen = b.getShort(8) & 0xFFFF;
    String header = new String(all, 10, headerLen, java.nio.charset.StandardCharsets.ISO_8859_1);
    String shape = header.substring(header.indexOf("'shape': (") + 10);
    String[] dims = shape.substring(0, shape.indexOf(')')).split(",");
    int rows = Integer.parseInt(dims[0].trim());
    int cols = Integer.parseInt(dims[1].trim());
    int[][] out = new int[rows][k];
    int base = 10 + headerLen;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < k; c++) {
        out[r][c] = (int) b.getLong(base + 8 * (r * cols + c));
      }
    }
    return out;
  }

  static long peakRssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  static double recall(int[][] found, int[][] truth, int k) {
    double sum = 0;
    for (int q = 0; q < found.length; q++) {
      Set<Integer> t = new HashSet<>();
      for (int i = 0; i < k; i++) {
        t.add(truth[q][i]);
      }
      int hit = 0;
      for (int id : found[q]) {
        if (t.contains(id)) {
          hit++;
        }
      }
      sum += hit / (double) k;
    }
    return sum / found.length;
  }

  interface Search {
    int[] run(int q);
  }

  /** Runs every query once on {@code threads} threads (query q on thread q mod threads); returns seconds. */
  static double timed(int queries, int threads, Search s, int[][] found) throws InterruptedException {
    List<Thread> ts = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int me = t;
      Thread th = new Thread(() -> {
        for (int q = me; q < queries; q += threads) {
          found[q] = s.run(q);
        }
      });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      th.join();
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  public static void main(String[] args) throws Exception {
    Path vectors = Path.of(args[0]);
    Path indexDir = Path.of(args[1]);
    int m = Integer.parseInt(args[2]);
    int efc = Integer.parseInt(args[3]);
    String[] efs = args[4].split(",");
    List<String> flags = java.util.Arrays.asList(args).subList(5, args.length);
    boolean quantised = flags.contains("quantised");
    // search-only: reopen the index an earlier run built and search it (add "exact" for the exact scan's rate too)
    boolean searchOnly = flags.contains("search-only");
    String meta = Files.readString(vectors.resolve("vectors.json"));
    int d = Integer.parseInt(meta.replaceAll("(?s).*\"d\": (\\d+).*", "$1"));
    float[][] base = floats(vectors.resolve("base.f32"), d);
    float[][] queries = floats(vectors.resolve("queries.f32"), d);
    int[][] truth = npyLongs(vectors.resolve("gt.npy"), 10);
    PrintStream out = System.out;
    String common = String.format(Locale.ROOT, "\"engine\": \"lucene-9.12.3\", \"n\": %d, \"d\": %d, \"M\": %d, "
        + "\"efConstruction\": %d, \"quantised\": %b, \"cpu\": \"%s\", \"java\": \"%s\"", base.length, d, m, efc,
        quantised, cpu(), System.getProperty("java.version"));

    long t0 = System.nanoTime();
    GalleryIndex index = searchOnly ? GalleryIndex.openForReading(indexDir) : GalleryIndex.openForWriting(indexDir, d, "bench", new GalleryIndex.Options(m, efc,
        quantised), Map.of(), 2000);
    if (!searchOnly) {
    index.add(new AbstractList<>() {
      @Override
      public GalleryIndex.Entry get(int i) {
        return new GalleryIndex.Entry("v" + i, i / 10, 1, "visible", i, base[i]);
      }

      @Override
      public int size() {
        return base.length;
      }
    });
    index.forceMerge();
    double build = (System.nanoTime() - t0) / 1e9;
    out.printf(Locale.ROOT, "{%s, \"phase\": \"build\", \"seconds\": %.1f, \"segments\": %d, \"bytes\": %d, "
        + "\"load\": \"%s\"}%n", common, build, index.segments(), index.bytesOnDisk(), load());
    }

    int nq = queries.length;
    int[][] found = new int[nq][];
    for (int q = 0; q < Math.min(nq, 200); q++) { // warm-up
      index.searchDocs(queries[q], 10, 100);
    }
    for (String e : efs) {
      int ef = Integer.parseInt(e);
      for (int threads : new int[] {1, 2}) {
        double s = timed(nq, threads, q -> index.searchDocs(queries[q], 10, ef), found);
        double r = recall(found, truth, 10);
        int[][] hits = new int[nq][];
        double withStored = timed(nq, threads, q -> {
          List<GalleryIndex.Hit> h = index.search(queries[q], "bench", 10, ef, null);
          int[] ids = new int[h.size()];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = Integer.parseInt(h.get(i).path().substring(1));
          }
          return ids;
        }, hits);
        out.printf(Locale.ROOT, "{%s, \"phase\": \"search\", \"efSearch\": %d, \"threads\": %d, \"recall10\": %.4f, "
            + "\"qps\": %.1f, \"qps_with_stored_fields\": %.1f, \"recall10_with_stored_fields\": %.4f, "
            + "\"load\": \"%s\"}%n", common, ef, threads, r, nq / s, nq / withStored, recall(hits, truth, 10),
            load());
      }
    }
    if (searchOnly && !flags.contains("exact")) {
      index.close();
      return;
    }
    int exactQueries = Math.min(nq, base.length > 200_000 ? 50 : 200);
    int[][] exact = new int[exactQueries][];
    for (int threads : new int[] {1, 2}) {
      double s = timed(exactQueries, threads, q -> {
        List<GalleryIndex.Hit> h = index.searchExact(queries[q], "bench", 10, null);
        int[] ids = new int[h.size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = Integer.parseInt(h.get(i).path().substring(1));
        }
        return ids;
      }, exact);
      out.printf(Locale.ROOT, "{%s, \"phase\": \"exact\", \"threads\": %d, \"queries\": %d, \"recall10\": %.4f, "
          + "\"qps\": %.2f, \"load\": \"%s\"}%n", common, threads, exactQueries,
          recall(exact, java.util.Arrays.copyOf(truth, exactQueries), 10), exactQueries / s, load());
    }
    out.printf(Locale.ROOT, "{%s, \"phase\": \"memory\", \"peak_rss_mb\": %.0f, \"heap_max_mb\": %d}%n", common,
        peakRssKb() / 1024.0, Runtime.getRuntime().maxMemory() >> 20);
    index.close();
  }

  static String cpu() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim() + " x" + Runtime.getRuntime().availableProcessors();
      }
    }
    return "unknown";
  }

  static String load() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }
}
