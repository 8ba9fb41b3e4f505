package io.ibreid.data.image;

import io.ibreid.core.IbreidException;
import io.ibreid.data.ImageRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reader does with the images it found ({@link Policy}). By default every file gets the cheap header test
 * ({@link ImageFiles#checkHeader}) and the first bad one stops the reader; a file that passes but cannot be
 * decoded fails later, when a batch loads it. When the user asks to skip corrupt images, every file is decoded once
 * (on {@code workers} threads) and the ones that fail are dropped with a warning. A caller that examines the files
 * itself ({@code ibreid doctor}) asks the reader for no check and calls {@link #problems} on every record, which
 * lists every bad file instead of stopping at the first.
 */
public final class ImageVerification {
  private static final Logger LOG = LoggerFactory.getLogger(ImageVerification.class);

  /** How a reader checks the image files it lists. */
  public enum Policy {
    /** Header test of every file; the first bad one fails the reader with one line. */
    HEADERS,
    /** Decode every file once; skip the ones that fail, with a warning each and a count. */
    SKIP_CORRUPT,
    /** No test: the caller checks the records itself (see {@link #problems}). */
    NONE;

    /** {@link #SKIP_CORRUPT} when asked to skip corrupt images, else {@link #HEADERS}. */
    public static Policy of(boolean skipCorrupt) {
      return skipCorrupt ? SKIP_CORRUPT : HEADERS;
    }
  }

  private ImageVerification() {}

  /** The records to keep, in the given order. */
  public static List<ImageRecord> check(List<ImageRecord> records, boolean skipCorrupt, int workers) {
    return check(records, Policy.of(skipCorrupt), workers);
  }

  /** The records to keep under {@code policy}, in the given order. */
  public static List<ImageRecord> check(List<ImageRecord> records, Policy policy, int workers) {
    switch (policy) {
      case NONE -> {
        return records;
      }
      case HEADERS -> {
        for (ImageRecord r : records) {
          ImageFiles.checkHeader(r.path());
        }
        return records;
      }
      default -> {
        List<String> problems = test(records, true, workers);
        List<ImageRecord> kept = new ArrayList<>(records.size());
        int skipped = 0;
        for (int i = 0; i < records.size(); i++) {
          String problem = problems.get(i);
          if (problem == null) {
            kept.add(records.get(i));
          } else {
            skipped++;
            LOG.warn("skipping {}", problem);
          }
        }
        if (skipped > 0) {
          LOG.warn("skipped {} of {} images that cannot be decoded", skipped, records.size());
        }
        return kept;
      }
    }
  }

  /**
   * Every bad file among {@code records}, one line each (the {@link ImageFiles} message naming the file and what is
   * wrong), in record order; empty when all pass. {@code decode}: decode every file (finds truncated and undecodable
   * data, slow); otherwise the header test only (missing, empty or not an image).
   */
  public static List<String> problems(List<ImageRecord> records, boolean decode, int workers) {
    List<String> out = new ArrayList<>();
    for (String p : test(records, decode, workers)) {
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  /** Per record: null when it passes, else the one-line problem. */
  private static List<String> test(List<ImageRecord> records, boolean decode, int workers) {
    List<String> out = new ArrayList<>(records.size());
    if (!decode) {
      for (ImageRecord r : records) {
        out.add(problem(r, false));
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers), r -> {
      Thread t = new Thread(r, "ibreid-verify");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<String>> results = new ArrayList<>(records.size());
      for (ImageRecord r : records) {
        results.add(pool.submit(() -> problem(r, true)));
      }
      for (Future<String> f : results) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while verifying images", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static String problem(ImageRecord r, boolean decode) {
    try {
      if (decode) {
        ImageFiles.decode(r.path());
      } else {
        ImageFiles.checkHeader(r.path());
      }
      return null;
    } catch (IbreidException e) {
      return e.getMessage();
    }
  }
}
