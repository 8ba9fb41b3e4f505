package io.ibreid.data.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentitySamplerTest {
  /** 7 identities; identity c has c+1 visible images (indices 100c..) and 3 infrared images (indices 1000+10c..). */
  private static IdentitySampler sampler(int p, int k, long seed) {
    int classes = 7;
    int[][] vis = new int[classes][];
    int[][] ir = new int[classes][];
    for (int c = 0; c < classes; c++) {
      vis[c] = new int[c + 1];
      for (int i = 0; i <= c; i++) {
        vis[c][i] = 100 * c + i;
      }
      ir[c] = new int[] {1000 + 10 * c, 1001 + 10 * c, 1002 + 10 * c};
    }
    return new IdentitySampler(vis, ir, p, k, seed);
  }

  @Test
  void epochLengthCoversTheLargerModalityOnce() {
    // visible images 1+2+...+7 = 28, infrared 21; P*K/2 = 3*2 = 6 per batch -> ceil(28/6) = 5
    assertThat(sampler(3, 4, 1).batchesPerEpoch()).isEqualTo(5);
    assertThat(sampler(3, 4, 1).pairsPerBatch()).isEqualTo(6);
  }

  @Test
  void batchesHoldPDistinctIdentitiesWithKOver2PairedImagesEach() {
    IdentitySampler s = sampler(3, 4, 5);
    for (int e = 0; e < 3; e++) {
      for (IdentitySampler.BatchPlan b : s.plan(e)) {
        assertThat(b.labels()).hasSize(6);
        Set<Integer> ids = new HashSet<>();
        for (int p = 0; p < 3; p++) {
          int id = b.labels()[2 * p];
          assertThat(b.labels()[2 * p + 1]).isEqualTo(id);
          ids.add(id);
          for (int k = 0; k < 2; k++) {
            int row = 2 * p + k;
            assertThat(b.visible()[row] / 100).isEqualTo(id); // a visible image of this identity
            assertThat((b.infrared()[row] - 1000) / 10).isEqualTo(id); // an infrared image of this identity
          }
        }
        assertThat(ids).hasSize(3);
      }
    }
  }

  @Test
  void identitiesAreDrawnEvenlyAndImagesCycle() {
    IdentitySampler s = sampler(2, 2, 3);
    Map<Integer, Integer> appearances = new HashMap<>();
    int batches = 0;
    for (int e = 0; e < 20; e++) {
      for (IdentitySampler.BatchPlan b : s.plan(e)) {
        batches++;
        for (int id : b.labels()) {
          appearances.merge(id, 1, Integer::sum);
        }
      }
    }
    // 20 epochs of ceil(28/2) = 14 batches, 2 identities each: 560 draws over 7 identities = 80 each, give or take
    // the unfinished permutation at each epoch's end
    assertThat(batches).isEqualTo(280);
    assertThat(appearances).hasSize(7);
    appearances.values().forEach(n -> assertThat(n).isBetween(70, 90));
    // within an epoch an identity's images are a shuffled cycle: identity 6 (7 visible images) drawn 4 times in a
    // row uses 4 different images
    IdentitySampler.BatchPlan[] plan = s.plan(0);
    Set<Integer> seen = new HashSet<>();
    int draws = 0;
    for (IdentitySampler.BatchPlan b : plan) {
      for (int row = 0; row < b.labels().length; row++) {
        if (b.labels()[row] == 6 && draws < 7) {
          seen.add(b.visible()[row]);
          draws++;
        }
      }
    }
    assertThat(seen).hasSize(draws);
  }

  @Test
  void planIsAPureFunctionOfSeedAndEpoch() {
    IdentitySampler a = sampler(3, 4, 11);
    IdentitySampler b = sampler(3, 4, 11);
    a.plan(0); // history must not matter
    assertThat(a.plan(4)).usingRecursiveFieldByFieldElementComparator().isEqualTo(b.plan(4));
    assertThat(a.plan(4)[0].labels()).isNotEqualTo(a.plan(5)[0].labels());
  }

  @Test
  void pEqualToTheNumberOfIdentitiesWorks() {
    IdentitySampler s = sampler(7, 2, 1);
    for (IdentitySampler.BatchPlan b : s.plan(2)) {
      assertThat(new HashSet<>(java.util.Arrays.stream(b.labels()).boxed().toList())).hasSize(7);
    }
  }

  @Test
  void rejectsOddKAndTooLargeP() {
    assertThatThrownBy(() -> sampler(3, 3, 1)).hasMessageContaining("even");
    assertThatThrownBy(() -> sampler(8, 2, 1)).hasMessageContaining("8 identities per batch");
  }
}
