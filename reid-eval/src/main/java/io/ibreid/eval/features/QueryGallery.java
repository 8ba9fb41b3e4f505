package io.ibreid.eval.features;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** A query set and a gallery, each read and checked by {@link LabelledFeatures#read}. */
public record QueryGallery(LabelledFeatures query, LabelledFeatures gallery) {

  /**
   * Reads both at the same time, the gallery on a second thread (each read maps a file, parses a CSV and checks every
   * value, so two cores halve the wait). Fails with the same one-line errors as {@link LabelledFeatures#read}; when
   * both inputs are bad, the query's problem is the one reported.
   */
  public static QueryGallery read(Path queryNpy, Path queryCsv, Path galleryNpy, Path galleryCsv) {
    FutureTask<LabelledFeatures> gallery = new FutureTask<>(() -> LabelledFeatures.read(galleryNpy, galleryCsv));
    Thread reader = new Thread(gallery, "read-gallery");
    reader.setDaemon(true);
    reader.start();
    LabelledFeatures query = LabelledFeatures.read(queryNpy, queryCsv);
    try {
      return new QueryGallery(query, gallery.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + galleryNpy, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
