package io.ibreid.eval.distance;

import io.ibreid.eval.features.FeatureMatrix;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Distances through ND4J {@code mmul} (BLAS) on INDArrays: for callers that already hold ND4J features (a model's
 * output) and have paid for ND4J's start-up. Cosine features are L2-normalised before the product.
 */
public final class Nd4jKernel implements DistanceKernel {
  private final INDArray query;
  private final INDArray galleryT;
  private final Distance distance;
  private final float[] sqQ;
  private final float[] sqG;

  /** Rows of {@code query} and {@code gallery} are images; both are copied to float32. */
  public Nd4jKernel(INDArray query, INDArray gallery, Distance distance) {
    INDArray q = query.castTo(DataType.FLOAT).dup('c');
    INDArray g = gallery.castTo(DataType.FLOAT).dup('c');
    this.distance = distance;
    if (distance == Distance.COSINE) {
      q = normalise(q);
      g = normalise(g);
      sqQ = null;
      sqG = null;
    } else {
      sqQ = q.mul(q).sum(1).toFloatVector();
      sqG = g.mul(g).sum(1).toFloatVector();
    }
    this.query = q;
    this.galleryT = g.transpose().dup('f');
  }

  public static Nd4jKernel of(FeatureMatrix query, FeatureMatrix gallery, Distance distance) {
    return new Nd4jKernel(toNd4j(query), toNd4j(gallery), distance);
  }

  static INDArray toNd4j(FeatureMatrix m) {
    float[] flat = new float[m.rows() * m.dim()];
    m.buffer().get(flat);
    return Nd4j.create(flat, new long[] {m.rows(), m.dim()}, 'c');
  }

  private static INDArray normalise(INDArray x) {
    INDArray norms = x.norm2(1);
    float[] n = norms.toFloatVector();
    for (int i = 0; i < n.length; i++) {
      n[i] = n[i] > 0 ? 1f / n[i] : 0f;
    }
    return x.mulColumnVector(Nd4j.createFromArray(n).reshape(n.length, 1));
  }

  @Override
  public int queries() {
    return (int) query.rows();
  }

  @Override
  public int gallery() {
    return (int) galleryT.columns();
  }

  @Override
  public void distances(int from, int count, float[] out) {
    int n = gallery();
    INDArray block = query.get(NDArrayIndex.interval(from, from + count), NDArrayIndex.all());
    INDArray dots = block.mmul(galleryT);
    float[] flat = dots.dup('c').data().asFloat();
    System.arraycopy(flat, 0, out, 0, count * n);
    if (distance == Distance.COSINE) {
      for (int i = 0; i < count * n; i++) {
        out[i] = 1f - out[i];
      }
    } else {
      Norms.euclidean(out, 0, count, n, from, sqQ, sqG);
    }
  }

  @Override
  public void close() {
    // INDArrays are released by ND4J's garbage-collector-driven deallocator
  }
}
