package io.ibreid.data;

import io.ibreid.core.branch.View;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The training images of a data set with their training labels: the distinct identities, sorted by original id,
 * are relabelled 0..C-1 ({@link #label(int)}), while every {@link ImageRecord} keeps its original id.
 */
public final class LabelledSplit {
  private final List<ImageRecord> records;
  private final int[] pidOfLabel;
  private final Map<Integer, Integer> labelOfPid;

  public LabelledSplit(List<ImageRecord> records) {
    this.records = List.copyOf(records);
    SortedSet<Integer> pids = new TreeSet<>();
    for (ImageRecord r : records) {
      pids.add(r.pid());
    }
    this.pidOfLabel = pids.stream().mapToInt(Integer::intValue).toArray();
    Map<Integer, Integer> m = new TreeMap<>();
    for (int i = 0; i < pidOfLabel.length; i++) {
      m.put(pidOfLabel[i], i);
    }
    this.labelOfPid = Collections.unmodifiableMap(m);
  }

  /** Every training image, in the reader's order (sorted by camera/modality, identity, file name). */
  public List<ImageRecord> records() {
    return records;
  }

  /** Number of training identities C. */
  public int numClasses() {
    return pidOfLabel.length;
  }

  /** Training label 0..C-1 of an original id; fails for an id not in this split. */
  public int label(int pid) {
    Integer l = labelOfPid.get(pid);
    if (l == null) {
      throw new IllegalArgumentException("identity " + pid + " is not in this split");
    }
    return l;
  }

  /** Original id of a training label. */
  public int pid(int label) {
    return pidOfLabel[label];
  }

  /** Original ids in label order. */
  public List<Integer> pids() {
    List<Integer> out = new ArrayList<>(pidOfLabel.length);
    for (int p : pidOfLabel) {
      out.add(p);
    }
    return out;
  }

  /** Number of images of one modality. */
  public long count(View modality) {
    return records.stream().filter(r -> r.modality() == modality).count();
  }
}
