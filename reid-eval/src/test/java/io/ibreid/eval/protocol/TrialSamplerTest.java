package io.ibreid.eval.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.eval.features.ImageMeta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrialSamplerTest {
  /** Identities 1..6 in cameras 1..6; group (pid, cam) has 3 + (pid * cam) % 14 images (3..16). */
  static List<ImageMeta> dataset() {
    List<ImageMeta> out = new ArrayList<>();
    for (int pid = 1; pid <= 6; pid++) {
      for (int cam = 1; cam <= 6; cam++) {
        int size = 3 + (pid * cam) % 14;
        for (int i = 1; i <= size; i++) {
          out.add(new ImageMeta(String.format("cam%d/%04d/%04d.jpg", cam, pid, i), pid, cam));
        }
      }
    }
    return out;
  }

  static Map<String, Long> countPerGroup(List<ImageMeta> images, int[] chosen) {
    return Arrays.stream(chosen).mapToObj(images::get)
        .collect(Collectors.groupingBy(m -> m.pid() + "/" + m.camid(), Collectors.counting()));
  }

  @Test
  void multiShotTakesTenPerIdentityAndCameraOrAllWhenFewer() {
    List<ImageMeta> images = dataset();
    SysuProtocol p = new SysuProtocol(SysuProtocol.Mode.ALL, 10, 10);
    for (int trial = 0; trial < 10; trial++) {
      int[] g = p.gallery(images, trial);
      Map<String, Long> counts = countPerGroup(images, g);
      assertThat(counts).hasSize(6 * 4);
      for (int pid = 1; pid <= 6; pid++) {
        for (int cam : new int[] {1, 2, 4, 5}) {
          assertThat(counts.get(pid + "/" + cam)).isEqualTo(Math.min(10, 3 + (pid * cam) % 14));
        }
      }
      assertThat(Arrays.stream(g).map(i -> images.get(i).camid()).distinct().sorted().toArray())
          .containsExactly(1, 2, 4, 5);
    }
  }

  @Test
  void singleShotIndoorTakesOnePerIdentityOfCameras1And2() {
    List<ImageMeta> images = dataset();
    int[] g = new SysuProtocol(SysuProtocol.Mode.INDOOR, 1, 10).gallery(images, 3);
    assertThat(g).hasSize(6 * 2);
    assertThat(countPerGroup(images, g).values()).allMatch(c -> c == 1);
    assertThat(Arrays.stream(g).map(i -> images.get(i).camid()).distinct().sorted().toArray()).containsExactly(1, 2);
  }

  @Test
  void trialsAreReproducibleAndIndependentOfInputOrderAndOtherGroups() {
    List<ImageMeta> images = dataset();
    SysuProtocol p = new SysuProtocol(SysuProtocol.Mode.ALL, 10, 10);
    List<ImageMeta> shuffled = new ArrayList<>(images);
    Collections.shuffle(shuffled, new Random(3));
    List<ImageMeta> onlyPid2 = images.stream().filter(m -> m.pid() == 2).toList();
    Set<String> previous = null;
    for (int trial = 0; trial < 10; trial++) {
      Set<String> a = paths(images, p.gallery(images, trial));
      assertThat(paths(images, p.gallery(images, trial))).isEqualTo(a);
      assertThat(paths(shuffled, p.gallery(shuffled, trial))).isEqualTo(a);
      Set<String> pid2 = a.stream().filter(s -> s.contains("/0002/")).collect(Collectors.toCollection(TreeSet::new));
      assertThat(paths(onlyPid2, p.gallery(onlyPid2, trial))).isEqualTo(pid2);
      if (previous != null) {
        assertThat(a).isNotEqualTo(previous);
      }
      previous = a;
    }
  }

  /**
   * The documented procedure, re-implemented independently in Python from the class comment, drew these images of
   * a 15-image group (camera 1, identity 7).
   */
  @Test
  void drawsMatchAnIndependentImplementationOfTheDocumentedProcedure() {
    List<ImageMeta> group = new ArrayList<>();
    for (int i = 15; i >= 1; i--) { // input order must not matter
      group.add(new ImageMeta(String.format("cam1/0007/%04d.jpg", i), 7, 1));
    }
    int[] cams = {1};
    assertThat(numbers(group, TrialSampler.gallery(group, cams, 10, 0))).containsExactly(1, 2, 3, 4, 7, 9, 10, 11,
        12, 14);
    assertThat(numbers(group, TrialSampler.gallery(group, cams, 10, 1))).containsExactly(2, 4, 5, 6, 8, 9, 11, 13,
        14, 15);
    assertThat(numbers(group, TrialSampler.gallery(group, cams, 10, 9))).containsExactly(2, 3, 5, 6, 7, 8, 11, 13,
        14, 15);
    assertThat(numbers(group, TrialSampler.gallery(group, cams, 1, 0))).containsExactly(9);
    assertThat(numbers(group, TrialSampler.gallery(group, cams, 1, 1))).containsExactly(13);
    assertThat(numbers(group, TrialSampler.gallery(group, cams, 1, 9))).containsExactly(15);
  }

  static Set<String> paths(List<ImageMeta> images, int[] idx) {
    return Arrays.stream(idx).mapToObj(i -> images.get(i).path()).collect(Collectors.toCollection(TreeSet::new));
  }

  static List<Integer> numbers(List<ImageMeta> images, int[] idx) {
    return Arrays.stream(idx).mapToObj(i -> Integer.parseInt(images.get(i).path().substring(10, 14))).sorted()
        .toList();
  }
}
