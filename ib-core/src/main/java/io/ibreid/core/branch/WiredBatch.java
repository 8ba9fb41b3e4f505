package io.ibreid.core.branch;

import io.ibreid.core.data.CrossModalBatch;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training batch as the branches see it, built once per step by {@link Wiring#wire}: the images each branch's
 * encoder receives and, for every output key a loss term may read, which rows of the branch's output it addresses and
 * the identity label of each. The model's forward pass reads {@link #images}; the objective reads {@link #rows}.
 */
public final class WiredBatch {
  /**
   * The rows of a branch output that a key addresses: {@code count} rows from row {@code first}, and the identity
   * label of each of them.
   */
  public record Rows(int first, int count, int[] labels) {
    public Rows {
      if (labels.length != count) {
        throw new IllegalArgumentException(count + " rows with " + labels.length + " labels");
      }
    }

    /** Whether these are all {@code total} rows of the output. */
    public boolean all(long total) {
      return first == 0 && count == total;
    }
  }

  private final int pairs;
  private final Map<BranchRole, INDArray> images = new LinkedHashMap<>();
  private final Map<BranchRole, Rows> branchRows = new EnumMap<>(BranchRole.class);
  private final Map<View, Rows> sharedViews = new EnumMap<>(View.class);

  WiredBatch(Wiring wiring, CrossModalBatch batch, List<BranchRole> roles) {
    this.pairs = batch.pairs();
    for (BranchRole role : roles) {
      images.put(role, wiring.images(role, batch));
      int[] labels = wiring.labels(role, batch);
      branchRows.put(role, new Rows(0, labels.length, labels));
      if (role == BranchRole.SHARED) {
        int half = labels.length / 2;
        sharedViews.put(View.VISIBLE, new Rows(0, half, Arrays.copyOfRange(labels, 0, half)));
        sharedViews.put(View.INFRARED, new Rows(half, half, Arrays.copyOfRange(labels, half, 2 * half)));
      }
    }
  }

  /** Visible/infrared image pairs in the batch the branches were fed from. */
  public int pairs() {
    return pairs;
  }

  /** The branches, in the order they were wired (the model's branch order). */
  public List<BranchRole> roles() {
    return List.copyOf(images.keySet());
  }

  /** The images {@code role}'s encoder receives (rows in the order of {@link #rows}' labels). */
  public INDArray images(BranchRole role) {
    INDArray x = images.get(role);
    if (x == null) {
      throw new IllegalArgumentException("the batch was not wired for branch " + role.label() + "; it has "
          + images.keySet());
    }
    return x;
  }

  /**
   * The rows {@code key} addresses within its branch's output: every row for {@code branch.output}, one modality's
   * half for {@code shared.view.output} (visible rows first, then infrared).
   */
  public Rows rows(OutputKey key) {
    Rows all = branchRows.get(key.branch());
    if (all == null) {
      throw new IllegalArgumentException("the batch was not wired for branch " + key.branch().label() + " (key "
          + key + "); it has " + branchRows.keySet());
    }
    return key.branch() == BranchRole.SHARED && key.view() != null ? sharedViews.get(key.view()) : all;
  }
}
