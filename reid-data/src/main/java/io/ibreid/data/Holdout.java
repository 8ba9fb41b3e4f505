package io.ibreid.data;

import io.ibreid.core.IbreidException;
import io.ibreid.core.random.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Chooses the training identities kept aside as a validation split: the sorted training ids are shuffled with a
 * generator seeded from {@code seed}, and the first {@code count} are held out. Only training ids are ever chosen,
 * so the test identities stay unseen until the final evaluation.
 */
public final class Holdout {
  private Holdout() {}

  public static SortedSet<Integer> choose(SortedSet<Integer> trainIds, int count, long seed, String where) {
    if (count < 0 || count >= trainIds.size()) {
      throw new IbreidException("holdout " + count + " for " + where + " is out of range; expected 0.."
          + (trainIds.size() - 1) + " identities (there are " + trainIds.size() + " training identities)");
    }
    List<Integer> ids = new ArrayList<>(trainIds);
    Collections.shuffle(ids, new Random(Seeds.derive(seed, count, "holdout")));
    return new TreeSet<>(ids.subList(0, count));
  }

  /** The ids of {@code all} that are not in {@code held}. */
  public static SortedSet<Integer> rest(Set<Integer> all, Set<Integer> held) {
    SortedSet<Integer> rest = new TreeSet<>(all);
    rest.removeAll(held);
    return rest;
  }
}
