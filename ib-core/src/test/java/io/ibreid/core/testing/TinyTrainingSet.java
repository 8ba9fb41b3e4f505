package io.ibreid.core.testing;

import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.random.Seeds;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small in-memory cross-modal data set for tests: each identity has a colour plus a random pattern; a visible image is
 * the template plus noise, an infrared image the template's channel mean (three equal channels) plus noise. Batches
 * are a pure function of (seed, epoch, batch).
 */
public final class TinyTrainingSet implements TrainingSet {
  private final int classes;
  private final ImageShape shape;
  private final int identities;
  private final int perModality;
  private final int batches;
  private final long seed;
  private final double noise;
  private final INDArray templates;

  public TinyTrainingSet(int classes, ImageShape shape, int identities, int perModality, int batches, long seed,
      double noise) {
    this.classes = classes;
    this.shape = shape;
    this.identities = identities;
    this.perModality = perModality;
    this.batches = batches;
    this.seed = seed;
    this.noise = noise;
    Nd4j.getRandom().setSeed(seed);
    // A per-identity colour (what global pooling can see) plus a weaker spatial pattern.
    INDArray colour = Nd4j.rand(DataType.FLOAT, classes, shape.channels(), 1, 1).subi(0.5).muli(2);
    this.templates = Nd4j.rand(DataType.FLOAT, classes, shape.channels(), shape.height(), shape.width()).subi(0.5)
        .addi(colour.broadcast(classes, shape.channels(), shape.height(), shape.width()));
  }

  public static TinyTrainingSet small(long seed) {
    return new TinyTrainingSet(6, ImageShape.rgb(16, 8), 3, 2, 4, seed, 0.3);
  }

  @Override
  public int numClasses() {
    return classes;
  }

  @Override
  public ImageShape imageShape() {
    return shape;
  }

  @Override
  public int batchesPerEpoch() {
    return batches;
  }

  /** The batch at (epoch, index). */
  public CrossModalBatch batch(int epoch, int index) {
    Random r = new Random(Seeds.derive(seed, (long) epoch * 100_000 + index, "tiny"));
    int m = identities * perModality;
    int[] labels = new int[m];
    java.util.List<Integer> ids = new java.util.ArrayList<>();
    for (int c = 0; c < classes; c++) {
      ids.add(c);
    }
    java.util.Collections.shuffle(ids, r);
    for (int i = 0; i < identities; i++) {
      for (int k = 0; k < perModality; k++) {
        labels[i * perModality + k] = ids.get(i);
      }
    }
    INDArray vis = Nd4j.create(DataType.FLOAT, shape.batchShape(m));
    INDArray ir = Nd4j.create(DataType.FLOAT, shape.batchShape(m));
    for (int i = 0; i < m; i++) {
      INDArray t = templates.get(org.nd4j.linalg.indexing.NDArrayIndex.point(labels[i]));
      vis.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(t.add(gauss(r, t.shape())));
      INDArray gray = t.mean(true, 0).repeat(0, shape.channels());
      ir.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(gray.reshape(t.shape()).add(gauss(r, t.shape())));
    }
    return new CrossModalBatch(vis, labels, ir, labels.clone());
  }

  private INDArray gauss(Random r, long[] s) {
    INDArray a = Nd4j.create(DataType.FLOAT, s);
    for (long i = 0; i < a.length(); i++) {
      a.putScalar(i, r.nextGaussian() * noise);
    }
    return a;
  }

  @Override
  public Iterator<CrossModalBatch> epoch(int epoch, int fromBatch) {
    return new Iterator<>() {
      int next = fromBatch;

      @Override
      public boolean hasNext() {
        return next < batches;
      }

      @Override
      public CrossModalBatch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return batch(epoch, next++);
      }
    };
  }

  @Override
  public String describe() {
    return "tiny(" + classes + " ids, " + shape + ")";
  }
}
