package io.ibreid.data.sampling;

import io.ibreid.core.random.Seeds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The P×K cross-modal identity sampler. Each batch holds P distinct identities and, for each, K/2 visible and K/2
 * infrared images; pair row j of the batch is (visible image, infrared image) of the same identity, rows
 * {@code p·K/2 .. (p+1)·K/2 - 1} belonging to the batch's p-th identity.
 *
 * <p><b>Epoch.</b> An epoch has {@code ceil(max(Nv, Ni) / (P·K/2))} batches, where Nv and Ni are the numbers of
 * visible and infrared training images: enough draws that the larger modality's images are each drawn about once.
 * Identities are taken in turn from a stream of seeded permutations of all identities (a new permutation when one
 * is used up; an identity already in the batch is deferred to the next), so every identity appears about equally
 * often. Each identity's images of a modality are drawn from a shuffled cycle of them, reshuffled when exhausted,
 * so an identity's images are used evenly; an identity with fewer than K/2 images of a modality repeats some.
 *
 * <p>The plan of epoch e is a pure function of (seed, e): it does not depend on earlier epochs or on where an
 * iteration starts, which is what lets a resumed run see exactly the batches an uninterrupted run would have.
 */
public final class IdentitySampler {
  /** One batch: per pair row, the identity's label and the indices of its visible and infrared image. */
  public record BatchPlan(int[] labels, int[] visible, int[] infrared) {}

  private final int[][] visible;
  private final int[][] infrared;
  private final int identities;
  private final int half;
  private final long seed;
  private final int batches;

  /**
   * @param visible per label 0..C-1, the indices of its visible images (non-empty)
   * @param infrared per label, the indices of its infrared images (non-empty)
   * @param identitiesPerBatch P, 1..C
   * @param imagesPerIdentity K, even and at least 2
   * @param seed the run seed
   */
  public IdentitySampler(int[][] visible, int[][] infrared, int identitiesPerBatch, int imagesPerIdentity,
      long seed) {
    if (visible.length != infrared.length) {
      throw new IllegalArgumentException("visible and infrared image lists cover " + visible.length + " and "
          + infrared.length + " identities");
    }
    if (identitiesPerBatch < 1 || identitiesPerBatch > visible.length) {
      throw new IllegalArgumentException("P = " + identitiesPerBatch + " identities per batch, but there are "
          + visible.length + " identities");
    }
    if (imagesPerIdentity < 2 || imagesPerIdentity % 2 != 0) {
      throw new IllegalArgumentException("K = " + imagesPerIdentity + " must be even and at least 2");
    }
    long nv = 0;
    long ni = 0;
    for (int c = 0; c < visible.length; c++) {
      if (visible[c].length == 0 || infrared[c].length == 0) {
        throw new IllegalArgumentException("identity " + c + " lacks " + (visible[c].length == 0 ? "visible"
            : "infrared") + " images");
      }
      nv += visible[c].length;
      ni += infrared[c].length;
    }
    this.visible = visible;
    this.infrared = infrared;
    this.identities = identitiesPerBatch;
    this.half = imagesPerIdentity / 2;
    this.seed = seed;
    long perBatch = (long) identitiesPerBatch * half;
    this.batches = (int) Math.max(1, (Math.max(nv, ni) + perBatch - 1) / perBatch);
  }

  public int batchesPerEpoch() {
    return batches;
  }

  /** Pair rows per batch: P·K/2 (the batch holds twice as many images). */
  public int pairsPerBatch() {
    return identities * half;
  }

  /** Every batch of epoch {@code epoch}, in order. */
  public BatchPlan[] plan(int epoch) {
    int classes = visible.length;
    long epochSeed = Seeds.derive(seed, epoch, "sampler");
    SplittableRandom idRandom = new SplittableRandom(Seeds.derive(epochSeed, 0, "identities"));
    Deque<Integer> stream = new ArrayDeque<>();
    List<Integer> deferred = new ArrayList<>();
    Cycle[] vis = new Cycle[classes];
    Cycle[] ir = new Cycle[classes];
    BatchPlan[] plans = new BatchPlan[batches];
    int rows = identities * half;
    for (int b = 0; b < batches; b++) {
      Set<Integer> chosen = new HashSet<>();
      int[] order = new int[identities];
      int n = 0;
      List<Integer> stillDeferred = new ArrayList<>();
      for (int id : deferred) {
        if (n < identities && chosen.add(id)) {
          order[n++] = id;
        } else {
          stillDeferred.add(id);
        }
      }
      deferred = stillDeferred;
      while (n < identities) {
        if (stream.isEmpty()) {
          for (int id : permutation(classes, idRandom)) {
            stream.add(id);
          }
        }
        int id = stream.poll();
        if (chosen.add(id)) {
          order[n++] = id;
        } else {
          deferred.add(id);
        }
      }
      int[] labels = new int[rows];
      int[] v = new int[rows];
      int[] i = new int[rows];
      for (int p = 0; p < identities; p++) {
        int id = order[p];
        if (vis[id] == null) {
          vis[id] = new Cycle(visible[id], Seeds.derive(epochSeed, id, "visible"));
          ir[id] = new Cycle(infrared[id], Seeds.derive(epochSeed, id, "infrared"));
        }
        for (int k = 0; k < half; k++) {
          int row = p * half + k;
          labels[row] = id;
          v[row] = vis[id].next();
          i[row] = ir[id].next();
        }
      }
      plans[b] = new BatchPlan(labels, v, i);
    }
    return plans;
  }

  private static int[] permutation(int n, SplittableRandom r) {
    int[] p = new int[n];
    for (int k = 0; k < n; k++) {
      p[k] = k;
    }
    for (int k = n - 1; k > 0; k--) {
      int j = r.nextInt(k + 1);
      int t = p[k];
      p[k] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** A shuffled cycle over one identity's images of one modality, reshuffled each time it is used up. */
  private static final class Cycle {
    private final int[] items;
    private final SplittableRandom random;
    private int[] order;
    private int pos;

    Cycle(int[] items, long seed) {
      this.items = Arrays.copyOf(items, items.length);
      this.random = new SplittableRandom(seed);
    }

    int next() {
      if (order == null || pos == order.length) {
        int[] perm = permutation(items.length, random);
        order = new int[items.length];
        for (int k = 0; k < perm.length; k++) {
          order[k] = items[perm[k]];
        }
        pos = 0;
      }
      return order[pos++];
    }
  }
}
