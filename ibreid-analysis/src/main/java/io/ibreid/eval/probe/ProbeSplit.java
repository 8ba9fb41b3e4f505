package io.ibreid.eval.probe;

import io.ibreid.core.random.Seeds;
import io.ibreid.data.ImageRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which images a probe is fitted on and which it is scored on, the same for every feature of a run so that the
 * rows of the table are comparable. Two rules, both seeded:
 * <ul>
 *   <li><b>by identity</b> (every factor but identity): the identities are shuffled and the first half are fitted
 *       on, the others scored on, so an identity-level factor (a colour, a body shape) is predicted for people the
 *       probe never saw — it can only succeed if the feature encodes the factor itself, not the identity;
 *   <li><b>within identity</b> (the identity factor): each identity's images of each modality are shuffled and
 *       half of them (rounded down) fitted on, the rest scored on, so every identity is in both parts.
 * </ul>
 * Regularisation strengths are chosen on an inner split of the fitting part made by the same rule with the next
 * seed.
 */
final class ProbeSplit {
  private ProbeSplit() {}

  /** Per image: true = fitted on. Identities are split in half ({@code pids} of the images). */
  static boolean[] byIdentity(List<ImageRecord> images, int[] subset, long seed, double fitShare) {
    List<Integer> ids = new ArrayList<>(new java.util.TreeSet<>(java.util.Arrays.stream(subset)
        .mapToObj(i -> images.get(i).pid()).toList()));
    Collections.shuffle(ids, new Random(Seeds.derive(seed, ids.size(), "probe-identities")));
    int fit = (int) Math.round(ids.size() * fitShare);
    fit = Math.max(1, Math.min(ids.size() - 1, fit));
    Set<Integer> fitIds = new HashSet<>(ids.subList(0, fit));
    boolean[] out = new boolean[subset.length];
    for (int k = 0; k < subset.length; k++) {
      out[k] = fitIds.contains(images.get(subset[k]).pid());
    }
    return out;
  }

  /** Per image: true = fitted on; each identity's images of each modality are split ({@code fitShare} fitted). */
  static boolean[] withinIdentity(List<ImageRecord> images, int[] subset, long seed, double fitShare) {
    Map<String, List<Integer>> groups = new TreeMap<>();
    for (int k = 0; k < subset.length; k++) {
      ImageRecord r = images.get(subset[k]);
      groups.computeIfAbsent(r.pid() + "/" + r.modality().label(), g -> new ArrayList<>()).add(k);
    }
    boolean[] out = new boolean[subset.length];
    for (Map.Entry<String, List<Integer>> e : groups.entrySet()) {
      List<Integer> members = new ArrayList<>(e.getValue());
      members.sort(Comparator.comparing(k -> images.get(subset[k]).path().toString()));
      Collections.shuffle(members, new Random(Seeds.derive(seed, e.getKey().hashCode(), "probe-images")));
      int fit = (int) Math.floor(members.size() * fitShare);
      for (int i = 0; i < fit; i++) {
        out[members.get(i)] = true;
      }
    }
    return out;
  }
}
