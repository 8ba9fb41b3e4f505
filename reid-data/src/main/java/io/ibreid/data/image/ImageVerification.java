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
 * What a reader does with the images it found. By default every file gets the cheap header test
 * ({@link ImageFiles#checkHeader}) and the first bad one stops the reader; a file that passes but cannot be
 * decoded fails later, when a batch loads it. When the user asks to skip corrupt images, every file is decoded once
 * (on {@code workers} threads) and the ones that fail are dropped with a warning.
 */
public final class ImageVerification {
  private static final Logger LOG = LoggerFactory.getLogger(ImageVerification.class);

  private ImageVerification() {}

  /** The records to keep, in the given order. */
  public static List<ImageRecord> check(List<ImageRecord> records, boolean skipCorrupt, int workers) {
    if (!skipCorrupt) {
      for (ImageRecord r : records) {
        ImageFiles.checkHeader(r.path());
      }
      return records;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers), r -> {
      Thread t = new Thread(r, "ibreid-verify");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<String>> results = new ArrayList<>(records.size());
      for (ImageRecord r : records) {
        results.add(pool.submit(() -> {
          try {
            ImageFiles.decode(r.path());
            return null;
          } catch (IbreidException e) {
            return e.getMessage();
          }
        }));
      }
      List<ImageRecord> kept = new ArrayList<>(records.size());
      int skipped = 0;
      for (int i = 0; i < records.size(); i++) {
        String problem = results.get(i).get();
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while verifying images", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
