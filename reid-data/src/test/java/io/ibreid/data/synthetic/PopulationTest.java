package io.ibreid.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import io.ibreid.data.synthetic.SyntheticGenerator.Spec;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

/** The shared-code margins of the default populations, and the level spacings against the per-image jitter. */
class PopulationTest {
  @Test
  void defaultPopulationsKeepTheirMargins() {
    for (Layout layout : Layout.values()) {
      Spec spec = Spec.defaults(layout);
      SortedSet<Integer> test = SyntheticGenerator.chooseTest(spec, layout == Layout.SYSU ? 0 : 101);
      Population p = Population.draw(spec, test);
      assertThat(p.size()).isEqualTo(spec.trainIds() + spec.testIds());
      for (int a = 1; a <= p.size(); a++) {
        for (int b = a + 1; b <= p.size(); b++) {
          int d = Person.distance(p.person(a).shape().code(), p.person(b).shape().code());
          assertThat(d).as("identities %d and %d", a, b).isGreaterThanOrEqualTo(1);
          if (test.contains(a) && test.contains(b)) {
            assertThat(d).as("test identities %d and %d", a, b).isGreaterThanOrEqualTo(Population.TEST_MARGIN);
          }
        }
      }
    }
  }

  /**
   * The documented margins: every shared level is a proportion of the body height, which no per-image jitter
   * changes; neighbouring stripe periods differ by more than the largest scale ratio between two images at
   * nuisance 1 (1.05 / 0.93), and shoulder and torso levels by more than their within-level spread.
   */
  @Test
  void levelsAreFurtherApartThanTheJitterAndTheWithinLevelSpread() {
    double scaleRatio = (1 + 0.05) / (1 - 0.07);
    for (int i = 1; i < Person.PERIODS.length; i++) {
      assertThat(Person.PERIODS[i] / Person.PERIODS[i - 1]).isGreaterThan(1.2 * scaleRatio);
    }
    for (int i = 1; i < Person.SHOULDERS.length; i++) {
      assertThat(Person.SHOULDERS[i] - Person.SHOULDERS[i - 1]).isGreaterThan(2 * 0.01 + 0.03);
    }
    assertThat(Person.TORSOS[1] - Person.TORSOS[0]).isGreaterThan(2 * 0.01 + 0.03);
    // a band of the finest period is wider than the resize filter's reach at 64x32 (about 2 pixels) when the body
    // is 0.82 x 64 x 0.93 = 48.8 pixels tall
    assertThat(Person.PERIODS[0] / 2 * 0.82 * 64 * 0.93).isGreaterThan(2.5);
  }
}
