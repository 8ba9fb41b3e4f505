package io.ibreid.data.synthetic;

import io.ibreid.core.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedSet;

/**
 * Every identity of a synthetic data set, drawn together so that their shared codes keep the documented margins:
 * identities are drawn in increasing id order, each from its own seed; a candidate shared code is redrawn (from
 * the same identity's generator) while it equals an earlier identity's code or, for a test identity, while it
 * differs from an earlier test identity's code in fewer than {@link #TEST_MARGIN} fields. So any two identities
 * differ in at least one field of the shared code and any two test identities in at least two; each field's levels
 * differ by more than any per-image jitter can hide (see {@link Person#PERIODS}).
 */
public final class Population {
  /** Least number of shared-code fields in which any two test identities differ. */
  public static final int TEST_MARGIN = 2;

  private final Person[] persons;

  private Population(Person[] persons) {
    this.persons = persons;
  }

  /** The identities 1..N of {@code spec}, whose test ids are {@code test}. */
  static Population draw(SyntheticGenerator.Spec spec, SortedSet<Integer> test) {
    int n = spec.trainIds() + spec.testIds();
    Person[] persons = new Person[n + 1];
    List<int[]> all = new ArrayList<>();
    List<int[]> tests = new ArrayList<>();
    for (int pid = 1; pid <= n; pid++) {
      boolean isTest = test.contains(pid);
      Random codes = new Random(Seeds.derive(spec.seed(), pid, "shared-code"));
      int[] code;
      int attempts = 0;
      do {
        code = Person.randomCode(codes);
        if (++attempts > 100_000) {
          throw new IllegalStateException("no shared code left for identity " + pid);
        }
      } while (!acceptable(code, all, isTest ? tests : List.of()));
      all.add(code);
      if (isTest) {
        tests.add(code);
      }
      persons[pid] = Person.draw(pid, code, spec.difficulty(), new Random(Seeds.derive(spec.seed(), pid,
          "person-v2")));
    }
    return new Population(persons);
  }

  private static boolean acceptable(int[] code, List<int[]> all, List<int[]> tests) {
    for (int[] c : all) {
      if (Person.distance(c, code) == 0) {
        return false;
      }
    }
    for (int[] c : tests) {
      if (Person.distance(c, code) < TEST_MARGIN) {
        return false;
      }
    }
    return true;
  }

  /** Identity {@code pid} (1-based). */
  public Person person(int pid) {
    return persons[pid];
  }

  public int size() {
    return persons.length - 1;
  }
}
