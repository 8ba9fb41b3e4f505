package io.ibreid.eval.distance;

import io.ibreid.eval.features.FeatureMatrix;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Distances through OpenBLAS {@code cblas_sgemm} (the library nd4j-native itself links against), called directly on
 * the off-heap feature buffers: a block of query rows times the transposed gallery gives raw dot products, which are
 * turned into cosine or Euclidean distances on the Java side. Loads only the BLAS library, not ND4J's native
 * runtime, which saves about 1.5 s of start-up per process (measured; see the module README).
 */
public final class BlasKernel implements DistanceKernel {
  private final FeatureMatrix query;
  private final FeatureMatrix gallery;
  private final Distance distance;
  private final float[] queryScale;
  private final float[] galleryScale;
  /** Created with the first product (loading OpenBLAS), so that callers can prepare meanwhile. */
  private FloatPointer queryPtr;
  private FloatPointer galleryPtr;
  private FloatPointer result;
  /** {@code result} as a buffer, for reads at absolute positions. */
  private FloatBuffer resultView;
  private long resultCapacity;

  /**
   * @param querySquaredNorms  squared L2 norm of every query row (from {@link FeatureMatrix#checkFiniteAndSquaredNorms})
   * @param gallerySquaredNorms the same for the gallery
   */
  public BlasKernel(FeatureMatrix query, double[] querySquaredNorms, FeatureMatrix gallery,
      double[] gallerySquaredNorms, Distance distance) {
    if (query.dim() != gallery.dim()) {
      throw new IllegalArgumentException("query dim " + query.dim() + " != gallery dim " + gallery.dim());
    }
    this.query = query;
    this.gallery = gallery;
    this.distance = distance;
    if (distance == Distance.COSINE) {
      queryScale = Norms.inverseNorms(querySquaredNorms);
      galleryScale = Norms.inverseNorms(gallerySquaredNorms);
    } else {
      queryScale = Norms.toFloat(querySquaredNorms);
      galleryScale = Norms.toFloat(gallerySquaredNorms);
    }
  }

  /**
   * Loads OpenBLAS (a no-op when the process loaded it already, as every entry point does before it starts other
   * threads: see ib-core's NativeRuntime) and wraps the feature buffers.
   */
  private void ensureLoaded() {
    if (queryPtr == null) {
      OpenBlasLibrary.load();
      queryPtr = new FloatPointer(query.buffer());
      galleryPtr = new FloatPointer(gallery.buffer());
    }
  }

  /** Convenience constructor that computes the norms (and rejects non-finite values). */
  public BlasKernel(FeatureMatrix query, FeatureMatrix gallery, Distance distance) {
    this(query, query.checkFiniteAndSquaredNorms("query features"), gallery,
        gallery.checkFiniteAndSquaredNorms("gallery features"), distance);
  }

  @Override
  public int queries() {
    return query.rows();
  }

  @Override
  public int gallery() {
    return gallery.rows();
  }

  @Override
  public void distances(int from, int count, float[] out) {
    prepareDistances(from, count, out);
    finishRows(from, out, 0, count);
  }

  /** The matrix product of the block, into a native buffer that {@link #finishRows} reads. */
  @Override
  public void prepareDistances(int from, int count, float[] out) {
    int n = gallery.rows();
    int d = query.dim();
    long need = (long) count * n;
    ensureLoaded();
    if (result == null || resultCapacity < need) {
      if (result != null) {
        result.close();
      }
      result = new FloatPointer(need);
      resultCapacity = need;
      resultView = result.asBuffer();
    }
    if (d > 0) {
      queryPtr.position((long) from * d);
      openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
          openblas_nolapack.CblasTrans, count, n, d, 1f, queryPtr, d, galleryPtr, d, 0f, result.position(0), n);
      queryPtr.position(0);
    }
  }

  /** Copies rows {@code [lo, hi)} of the product into {@code out} and turns them into distances. */
  @Override
  public void finishRows(int from, float[] out, int lo, int hi) {
    int n = gallery.rows();
    if (query.dim() == 0) {
      Arrays.fill(out, lo * n, hi * n, 0f);
    } else {
      resultView.get(lo * n, out, lo * n, (hi - lo) * n); // absolute: rows may be finished concurrently
    }
    if (distance == Distance.COSINE) {
      Norms.cosine(out, lo, hi, n, from, queryScale, galleryScale);
    } else {
      Norms.euclidean(out, lo, hi, n, from, queryScale, galleryScale);
    }
  }

  @Override
  public void close() {
    if (result != null) {
      result.close();
      result = null;
    }
  }
}
