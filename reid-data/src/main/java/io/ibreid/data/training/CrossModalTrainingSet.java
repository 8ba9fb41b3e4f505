package io.ibreid.data.training;

import io.ibreid.core.IbreidException;
import io.ibreid.core.branch.View;
import io.ibreid.core.data.CrossModalBatch;
import io.ibreid.core.data.DataContext;
import io.ibreid.core.data.TrainingSet;
import io.ibreid.core.observation.ImageShape;
import io.ibreid.core.random.Seeds;
import io.ibreid.data.ImageRecord;
import io.ibreid.data.LabelledSplit;
import io.ibreid.data.augment.AugmentSettings;
import io.ibreid.data.augment.Augmentation;
import io.ibreid.data.image.FloatImage;
import io.ibreid.data.image.ImageLoader;
import io.ibreid.data.sampling.IdentitySampler;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link TrainingSet} over a {@link LabelledSplit}: {@link IdentitySampler} plans each epoch, and each batch is
 * decoded, resized, augmented ({@link Augmentation}) and normalised on {@code workers} background threads, up to
 * {@code prefetch} batches ahead of the trainer ({@code workers = 0}: on the trainer's thread).
 *
 * <p>Batch b of epoch e is a pure function of (seed, e, b): the plan comes from (seed, e) and each image's
 * augmentation draws from a generator seeded by (seed, e, b, row, modality), so {@link #epoch(int, int)} started at
 * b yields exactly what a full iteration yields from b on, whatever the number of threads. Rows are paired: row i of
 * the visible and infrared halves shows the same identity. Images are float32 NCHW, ImageNet-normalised.
 */
public final class CrossModalTrainingSet implements TrainingSet {
  private static final AtomicInteger POOLS = new AtomicInteger();

  /** Appended to the one line of an image that fails to decode while training. */
  public static final String CORRUPT_REMEDY = "; to train without such files set data.params.skipCorrupt: true (every "
      + "image is then decoded once when the data set opens), or list them all first with ibreid doctor --dataset "
      + "TYPE --root DIR --decode";

  private final String name;
  private final LabelledSplit split;
  private final ImageShape shape;
  private final AugmentSettings augment;
  private final long seed;
  private final int workers;
  private final int prefetch;
  private final IdentitySampler sampler;
  private final ImageLoader loader;
  private final List<ImageRecord> records;
  private ExecutorService pool;
  private Prefetcher<float[][]> current;
  private boolean closed;

  /**
   * @param name data set name for {@link #describe()}
   * @param split the training images and labels; every identity needs images of both modalities
   * @param context image shape, P and K, seed, loader threads
   * @param augment training augmentation
   * @param prefetch batches read ahead; 0 = 2 × workers
   */
  public CrossModalTrainingSet(String name, LabelledSplit split, DataContext context, AugmentSettings augment,
      int prefetch) {
    this.name = name;
    this.split = split;
    this.shape = context.imageShape();
    this.augment = augment;
    this.seed = context.seed();
    this.workers = Math.max(0, context.workers());
    this.prefetch = prefetch > 0 ? prefetch : Math.max(1, 2 * workers);
    if (shape.channels() != 3) {
      throw new IbreidException("input shape " + shape + " has " + shape.channels() + " channels; expected 3 (RGB; "
          + "infrared images are loaded as three equal channels)");
    }
    int p = context.identitiesPerBatch();
    int k = context.imagesPerIdentity();
    if (k < 2 || k % 2 != 0) {
      throw new IbreidException("sampler.instances = " + k + " for " + name + "; expected an even number >= 2 "
          + "(K/2 visible + K/2 infrared images per identity)");
    }
    if (p < 1 || p > split.numClasses()) {
      throw new IbreidException("sampler.identities = " + p + " for " + name + "; expected 1.." + split.numClasses()
          + " (the number of training identities)");
    }
    checkHeap(p, k);
    this.records = split.records();
    int classes = split.numClasses();
    List<List<Integer>> vis = new ArrayList<>();
    List<List<Integer>> ir = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      vis.add(new ArrayList<>());
      ir.add(new ArrayList<>());
    }
    for (int i = 0; i < records.size(); i++) {
      ImageRecord r = records.get(i);
      (r.modality() == View.VISIBLE ? vis : ir).get(split.label(r.pid())).add(i);
    }
    for (int c = 0; c < classes; c++) {
      if (vis.get(c).isEmpty() || ir.get(c).isEmpty()) {
        throw new IbreidException("training identity " + split.pid(c) + " of " + name + " has no "
            + (vis.get(c).isEmpty() ? "visible" : "infrared") + " image; expected both modalities for every "
            + "training identity");
      }
    }
    this.sampler = new IdentitySampler(toArrays(vis), toArrays(ir), p, k, seed);
    this.loader = new ImageLoader(shape);
  }

  /**
   * The loader holds up to {@code prefetch} decoded batches ahead plus the one being handed over, each two float
   * arrays of P·K/2 images: fails with one line naming the input size when that cannot fit in the heap left now.
   */
  private void checkHeap(int p, int k) {
    long images = (long) p * k;
    long batchBytes = images * shape.channels() * shape.height() * shape.width() * Float.BYTES;
    long held = (workers == 0 ? 1 : prefetch + 1) * batchBytes;
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (held > free) {
      throw new IbreidException("input.height x input.width = " + shape.height() + " x " + shape.width() + ": the "
          + "loader of " + name + " holds up to " + (held / batchBytes) + " batches of " + images + " images ("
          + (batchBytes >> 20) + " MB each), more than the " + (free >> 20) + " MB of heap left; lower the input "
          + "size, data.workers or the batch (sampler.identities x sampler.instances), or raise -Xmx "
          + "(IBREID_JAVA_OPTS)");
    }
  }

  private static int[][] toArrays(List<List<Integer>> lists) {
    int[][] out = new int[lists.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = lists.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }

  @Override
  public int numClasses() {
    return split.numClasses();
  }

  @Override
  public ImageShape imageShape() {
    return shape;
  }

  /** {@code ceil(max(visible images, infrared images) / (P·K/2))}; see {@link IdentitySampler}. */
  @Override
  public int batchesPerEpoch() {
    return sampler.batchesPerEpoch();
  }

  public LabelledSplit split() {
    return split;
  }

  public IdentitySampler sampler() {
    return sampler;
  }

  /** Batch {@code index} of epoch {@code epoch}, made on the calling thread. */
  public CrossModalBatch batch(int epoch, int index) {
    IdentitySampler.BatchPlan[] plans = sampler.plan(epoch);
    return toBatch(plans[index], make(plans, epoch, index));
  }

  @Override
  public synchronized Iterator<CrossModalBatch> epoch(int epoch, int fromBatch) {
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
    if (fromBatch < 0 || fromBatch > batchesPerEpoch()) {
      throw new IllegalArgumentException("batch " + fromBatch + " outside 0.." + batchesPerEpoch());
    }
    if (current != null) {
      current.close();
    }
    IdentitySampler.BatchPlan[] plans = sampler.plan(epoch);
    Prefetcher<float[][]> raw = new Prefetcher<>(pool(), fromBatch, plans.length, prefetch,
        b -> make(plans, epoch, b));
    current = raw;
    return new Iterator<>() {
      private int next = fromBatch;

      @Override
      public boolean hasNext() {
        return raw.hasNext();
      }

      @Override
      public CrossModalBatch next() {
        float[][] data = raw.next();
        return toBatch(plans[next++], data);
      }
    };
  }

  private synchronized ExecutorService pool() {
    if (workers == 0) {
      return null;
    }
    if (pool == null) {
      int id = POOLS.incrementAndGet();
      AtomicInteger n = new AtomicInteger();
      pool = Executors.newFixedThreadPool(workers, r -> {
        Thread t = new Thread(r, "ibreid-data-" + id + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
    return pool;
  }

  /** Decodes and augments the images of batch {@code b}: {visible floats, infrared floats}, NCHW order. */
  private float[][] make(IdentitySampler.BatchPlan[] plans, int epoch, int b) {
    IdentitySampler.BatchPlan plan = plans[b];
    int rows = plan.labels().length;
    int size = shape.channels() * shape.height() * shape.width();
    float[] vis = new float[rows * size];
    float[] ir = new float[rows * size];
    long batchSeed = Seeds.derive(Seeds.derive(seed, epoch, "augment"), b, "batch");
    for (int row = 0; row < rows; row++) {
      load(plan.visible()[row], new Random(Seeds.derive(batchSeed, 2L * row, "image")), vis, row * size, true);
      load(plan.infrared()[row], new Random(Seeds.derive(batchSeed, 2L * row + 1, "image")), ir, row * size, false);
    }
    return new float[][] {vis, ir};
  }

  private void load(int recordIndex, Random r, float[] into, int offset, boolean visible) {
    FloatImage resized;
    try {
      resized = loader.decodeResized(records.get(recordIndex).path());
    } catch (IbreidException e) {
      // found only when a batch draws the file: name the two ways out in the same line
      throw new IbreidException(e.getMessage() + CORRUPT_REMEDY, e);
    }
    FloatImage out = Augmentation.apply(resized, augment, r, visible);
    System.arraycopy(out.data(), 0, into, offset, out.data().length);
  }

  private CrossModalBatch toBatch(IdentitySampler.BatchPlan plan, float[][] data) {
    int rows = plan.labels().length;
    INDArray vis = Nd4j.create(data[0], shape.batchShape(rows), 'c');
    INDArray ir = Nd4j.create(data[1], shape.batchShape(rows), 'c');
    return new CrossModalBatch(vis, plan.labels().clone(), ir, plan.labels().clone());
  }

  @Override
  public String describe() {
    return name + " (" + split.numClasses() + " ids, " + split.count(View.VISIBLE) + " visible + "
        + split.count(View.INFRARED) + " infrared images, " + batchesPerEpoch() + " batches of "
        + sampler.pairsPerBatch() + "+" + sampler.pairsPerBatch() + " images per epoch, input " + shape + ")";
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (current != null) {
      current.close();
    }
    if (pool != null) {
      pool.shutdownNow();
      pool = null;
    }
  }
}
