package io.ibreid.eval.ranking;

import io.ibreid.eval.distance.DistanceKernel;
import io.ibreid.eval.features.ImageMeta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Evaluates a query set against a gallery a block of queries at a time: the kernel prepares a block of distances (at
 * most {@code blockFloats} values), then worker threads finish each query's row ({@link DistanceKernel#finishRows})
 * and scan it with {@link QueryScan}. Several gallery subsets (the trials of a protocol) can be scored from one
 * distance computation: each subset is a sorted array of gallery indices, and its ranked lists break ties by gallery
 * index just like a full gallery.
 */
public final class RankingEvaluator {
  /** CMC is reported at ranks 1..20. */
  public static final int MAX_RANK = 20;
  /** Query rows a default block holds at least (or all queries). */
  public static final int MIN_BLOCK_ROWS = 256;

  private final long blockFloats;
  private final int minBlockRows;
  private final int threads;

  /**
   * Blocks of about 1M distances (4 MB) but at least {@value #MIN_BLOCK_ROWS} query rows, one worker per available
   * processor. Small blocks keep the memory a process touches small (on a virtual machine first-touching fresh memory
   * cost about 3.6 ms per MB, see reid-eval/README.md) at no loss of matrix-product speed; thinner blocks than
   * {@value #MIN_BLOCK_ROWS} rows would slow the product down on large galleries.
   */
  public RankingEvaluator() {
    this(1L << 20, MIN_BLOCK_ROWS, Runtime.getRuntime().availableProcessors());
  }

  /** Blocks of at most {@code blockFloats} distances (at least one query row). */
  public RankingEvaluator(long blockFloats, int threads) {
    this(blockFloats, 1, threads);
  }

  public RankingEvaluator(long blockFloats, int minBlockRows, int threads) {
    this.blockFloats = Math.max(1, blockFloats);
    this.minBlockRows = Math.max(1, minBlockRows);
    this.threads = Math.max(1, threads);
  }

  /** One evaluation over the whole gallery, CMC over distinct identities ({@link CmcConvention#IDENTITY}). */
  public Evaluation evaluate(DistanceKernel kernel, List<ImageMeta> query, List<ImageMeta> gallery, CameraRule rule) {
    return evaluate(kernel, query, gallery, rule, CmcConvention.IDENTITY);
  }

  /** One evaluation over the whole gallery, its metrics' CMC counted by {@code convention}. */
  public Evaluation evaluate(DistanceKernel kernel, List<ImageMeta> query, List<ImageMeta> gallery, CameraRule rule,
      CmcConvention convention) {
    List<int[]> all = new ArrayList<>();
    all.add(null);
    return evaluate(kernel, query, gallery, rule, all, convention).get(0);
  }

  /** {@link #evaluate(DistanceKernel, List, List, CameraRule, List, CmcConvention)} with CMC over identities. */
  public List<Evaluation> evaluate(DistanceKernel kernel, List<ImageMeta> query, List<ImageMeta> gallery,
      CameraRule rule, List<int[]> subsets) {
    return evaluate(kernel, query, gallery, rule, subsets, CmcConvention.IDENTITY);
  }

  /**
   * One evaluation per gallery subset ({@code null} = the whole gallery). The kernel's queries and gallery are
   * described, row by row, by {@code query} and {@code gallery}. Every evaluation holds both CMC positions of every
   * query; its metrics count CMC by {@code convention}.
   */
  public List<Evaluation> evaluate(DistanceKernel kernel, List<ImageMeta> query, List<ImageMeta> gallery,
      CameraRule rule, List<int[]> subsets, CmcConvention convention) {
    int nq = query.size();
    int n = gallery.size();
    if (kernel.queries() != nq || kernel.gallery() != n) {
      throw new IllegalArgumentException("kernel is " + kernel.queries() + " x " + kernel.gallery()
          + ", metadata " + nq + " x " + n);
    }
    Map<Integer, Integer> dense = new HashMap<>();
    int[] galleryPid = new int[n];
    for (int j = 0; j < n; j++) {
      galleryPid[j] = dense.computeIfAbsent(gallery.get(j).pid(), k -> dense.size());
    }
    int[] queryPid = new int[nq];
    int[] queryCam = new int[nq];
    for (int i = 0; i < nq; i++) {
      queryPid[i] = dense.getOrDefault(query.get(i).pid(), -1);
      queryCam[i] = query.get(i).camid();
    }
    int[] distinctCams = Arrays.stream(queryCam).distinct().toArray();
    List<Subset> parts = new ArrayList<>();
    for (int[] s : subsets) {
      parts.add(new Subset(s, n, galleryPid, gallery, rule, distinctCams, nq));
    }
    int identities = dense.size();

    long rows = Math.min(nq, Math.max(minBlockRows, blockFloats / Math.max(1, n)));
    int block = (int) Math.max(1, Math.min(rows, (Integer.MAX_VALUE - 8L) / Math.max(1, n)));
    float[] dist = new float[block * n]; // block <= (Integer.MAX_VALUE - 8) / n
    int workers = Math.min(threads, Math.max(1, block));
    ExecutorService pool = workers > 1 ? Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "reid-eval-scan");
      t.setDaemon(true);
      return t;
    }) : null;
    Worker[] scanners = new Worker[workers];
    int[][] grouping = QueryScan.group(galleryPid, identities);
    for (int w = 0; w < workers; w++) {
      scanners[w] = new Worker(grouping, identities);
    }
    try {
      for (int from = 0; from < nq; from += block) {
        int count = Math.min(block, nq - from);
        kernel.prepareDistances(from, count, dist);
        int start = from;
        if (pool == null) {
          scanners[0].run(kernel, dist, start, 0, count, n, parts, queryPid, queryCam);
        } else {
          List<Future<?>> futures = new ArrayList<>();
          int per = (count + workers - 1) / workers;
          for (int w = 0; w < workers; w++) {
            int lo = w * per;
            int hi = Math.min(count, lo + per);
            if (lo >= hi) {
              break;
            }
            Worker wk = scanners[w];
            futures.add(pool.submit(() -> wk.run(kernel, dist, start, lo, hi, n, parts, queryPid, queryCam)));
          }
          for (Future<?> f : futures) {
            f.get();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("evaluation interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    List<Evaluation> out = new ArrayList<>();
    for (Subset p : parts) {
      out.add(p.result(convention));
    }
    return out;
  }

  /**
   * Summarises per-query results (in query order, so the sums do not depend on threading): {@code rank[i]} is query
   * i's CMC position under {@code convention}, 0 when it was skipped.
   */
  public static RankingMetrics summarise(int[] rank, double[] ap, double[] inp, int galleryImages,
      CmcConvention convention) {
    long[] hits = new long[MAX_RANK];
    double apSum = 0;
    double inpSum = 0;
    int valid = 0;
    for (int i = 0; i < rank.length; i++) {
      if (rank[i] == 0) {
        continue;
      }
      valid++;
      if (rank[i] <= MAX_RANK) {
        hits[rank[i] - 1]++;
      }
      apSum += ap[i];
      inpSum += inp[i];
    }
    double[] cmc = new double[MAX_RANK];
    long cum = 0;
    for (int k = 0; k < MAX_RANK; k++) {
      cum += hits[k];
      cmc[k] = valid == 0 ? 0 : (double) cum / valid;
    }
    return new RankingMetrics(cmc, valid == 0 ? 0 : apSum / valid, valid == 0 ? 0 : inpSum / valid, valid,
        rank.length - valid, galleryImages, convention);
  }

  /**
   * A gallery subset as identities over the whole gallery, -1 for images outside the subset (they are skipped like
   * removed images, so ties still break by gallery index); per query camera, a copy with the camera rule's removals.
   */
  private static final class Subset {
    final int[] pid;
    /** Per query camera: identities with -1 also for the images the camera rule removes (absent: none removed). */
    final Map<Integer, int[]> pidFor = new HashMap<>();
    /** Gallery images in the subset. */
    final int size;
    final int[] distinctRank;
    final int[] imageRank;
    final double[] ap;
    final double[] inp;

    Subset(int[] indices, int n, int[] galleryPid, List<ImageMeta> gallery, CameraRule rule, int[] queryCams,
        int nq) {
      if (indices == null) {
        pid = galleryPid.clone();
        size = n;
      } else {
        size = indices.length;
        pid = new int[n];
        Arrays.fill(pid, -1);
        for (int k = 0; k < indices.length; k++) {
          if (indices[k] < 0 || indices[k] >= n || (k > 0 && indices[k] <= indices[k - 1])) {
            throw new IllegalArgumentException("gallery subset must be strictly increasing indices in [0, " + n + ")");
          }
          pid[indices[k]] = galleryPid[indices[k]];
        }
      }
      if (!rule.isNone()) {
        for (int cam : queryCams) {
          int[] masked = pid.clone();
          boolean any = false;
          for (int j = 0; j < n; j++) {
            if (masked[j] >= 0 && rule.removes(cam, gallery.get(j).camid())) {
              masked[j] = -1;
              any = true;
            }
          }
          if (any) {
            pidFor.put(cam, masked);
          }
        }
      }
      distinctRank = new int[nq];
      imageRank = new int[nq];
      ap = new double[nq];
      inp = new double[nq];
      Arrays.fill(ap, Double.NaN);
      Arrays.fill(inp, Double.NaN);
    }

    Evaluation result(CmcConvention convention) {
      int[] ranks = convention == CmcConvention.IMAGE ? imageRank : distinctRank;
      return new Evaluation(summarise(ranks, ap, inp, size, convention), distinctRank, imageRank, ap, inp);
    }
  }

  private static final class Worker {
    final QueryScan scan;

    Worker(int[][] grouping, int identities) {
      scan = new QueryScan(grouping, identities);
    }

    /** Finishes each row of the block (in this thread, while it is in cache) and scans it. */
    void run(DistanceKernel kernel, float[] dist, int from, int lo, int hi, int n, List<Subset> parts,
        int[] queryPid, int[] queryCam) {
      for (int r = lo; r < hi; r++) {
        kernel.finishRows(from, dist, r, r + 1);
        int q = from + r;
        for (Subset p : parts) {
          if (scan.scan(dist, r * n, n, p.pidFor.getOrDefault(queryCam[q], p.pid), queryPid[q])) {
            p.distinctRank[q] = scan.distinctRank();
            p.imageRank[q] = scan.imageRank();
            p.ap[q] = scan.averagePrecision();
            p.inp[q] = scan.inversePenalty();
          }
        }
      }
    }
  }
}
