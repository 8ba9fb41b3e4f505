package io.ibreid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ablation's variants follow one recipe: the same data, input, sampler, optimizer, schedule and encoder as
 * {@code baseline-ce}, and on every branch they train the same CE (same label smoothing) and triplet terms with the
 * same weights; each variant adds only the terms (and, for VIB, the bottleneck) it is about.
 */
class ShippedConfigsRecipeTest {
  private static RunConfig load(String name) {
    return ConfigLoader.load(ShippedConfigsTest.CONFIGS.resolve(name + ".yaml"), List.of());
  }

  /** The recipe a config must share with baseline-ce, as comparable text. */
  private static String recipe(RunConfig c) {
    return "data=" + c.data.type + " " + new TreeMap<>(c.data.params) + " input=" + c.input.height + "x"
        + c.input.width + " sampler=" + c.sampler.identities + "x" + c.sampler.instances + " lr=" + c.optimizer.lr
        + " wd=" + c.optimizer.weightDecay + " schedule=" + c.schedule.epochs + "/" + c.schedule.warmupEpochs + "/"
        + c.schedule.warmupFactor + "/" + c.schedule.milestones + "/" + c.schedule.gamma + "/"
        + c.schedule.maxIterations + "/" + c.schedule.batchesPerEpoch + " precision=" + c.precision
        + " validation=" + c.validation.everyEpochs;
  }

  /** The CE and triplet terms of one branch, by the output they read: "ce:z" -> weight and params. */
  private static Map<String, String> reidTerms(RunConfig c, String branch) {
    Map<String, String> out = new TreeMap<>();
    for (RunConfig.LossSpec l : c.losses) {
      if (!branch.equals(l.branch)) {
        continue;
      }
      if (l.type.equals("ce") || l.type.equals("triplet")) {
        Map<String, Object> p = new TreeMap<>(l.params);
        Object on = p.remove("on");
        out.put(l.type + ":" + (on == null ? "z" : on), "weight " + l.weight + " " + p);
      } else if (l.type.equals("ib")) {
        // the classic IB term contains the representation's cross-entropy (its -I(z;y) bound)
        out.put("ce:z", "weight " + l.weight + " {epsilon=" + l.params.get("epsilon") + "}");
      }
    }
    return out;
  }

  private static List<String> extraTerms(RunConfig c) {
    List<String> out = new ArrayList<>();
    for (RunConfig.LossSpec l : c.losses) {
      if (!l.type.equals("ce") && !l.type.equals("triplet")) {
        out.add(l.type + "@" + l.branch);
      }
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "baseline-ce;shared;;mlp",
      "ib;shared;ib@shared;mlp",
      "vib;shared;vib@shared;vib",
      "vsd-shared;shared;vsd@shared;mlp",
      "crossview;shared;vcd@shared,vml@shared;mlp",
      "ib-upper;shared;ib-upper@shared;vib",
      "vib-tuned;shared;vib@shared;vib",
      "vsd;visible,infrared;vsd@visible,vsd@infrared;mlp",
      "full;visible,infrared,shared;vsd@visible,vsd@infrared,vcd@shared,vml@shared;mlp"})
  void everyVariantIsBaselineCePlusTheTermsItIsAbout(String variant, String branches, String extra,
      String bottleneck) {
    RunConfig base = load("baseline-ce");
    RunConfig c = load(variant);
    assertThat(recipe(c)).isEqualTo(recipe(base));
    assertThat(c.branches.keySet()).containsExactlyInAnyOrder(branches.split(","));
    RunConfig.BranchSpec baseBranch = base.branches.get("shared");
    Map<String, String> baseTerms = reidTerms(base, "shared");
    assertThat(baseTerms).containsOnlyKeys("ce:v", "ce:z", "triplet:v", "triplet:z");
    for (String b : c.branches.keySet()) {
      RunConfig.BranchSpec spec = c.branches.get(b);
      assertThat(spec.encoder.type).isEqualTo(baseBranch.encoder.type);
      assertThat(new TreeMap<>(spec.encoder.params)).hasToString(new TreeMap<>(baseBranch.encoder.params).toString());
      assertThat(spec.bottleneck.type).isEqualTo(bottleneck);
      assertThat(spec.bottleneck.params.get("dim")).isEqualTo(baseBranch.bottleneck.params.get("dim"));
      assertThat(reidTerms(c, b)).as("%s branch %s", variant, b).isEqualTo(baseTerms);
    }
    assertThat(extraTerms(c)).containsExactlyInAnyOrderElementsOf(
        extra == null ? List.of() : List.of(extra.split(",")));
    if (c.branches.containsKey("shared")) {
      // evaluated on the same feature as baseline-ce
      assertThat(c.evaluation.visible).isEqualTo(base.evaluation.visible).containsExactly("shared.z");
      assertThat(c.evaluation.infrared).isEqualTo(base.evaluation.infrared).containsExactly("shared.z");
    }
  }

  /**
   * The release-faithful variants are {@code full} with the release's wiring and test feature (and, for
   * {@code full-release-terms}, the release's KL form and "VIB" bottleneck): same recipe, branches, encoder, z width,
   * CE/triplet terms and the weights of every other term.
   */
  @ParameterizedTest
  @CsvSource({"full-release,mlp,paper", "full-release-terms,release-vib,release"})
  void releaseVariantsAreFullWithTheReleaseWiring(String variant, String bottleneck, String form) {
    RunConfig full = load("full");
    RunConfig c = load(variant);
    assertThat(recipe(c)).isEqualTo(recipe(full)).isEqualTo(recipe(load("baseline-ce")));
    assertThat(full.wiring).isEqualTo("paper");
    assertThat(c.wiring).isEqualTo("release");
    assertThat(c.branches.keySet()).containsExactlyElementsOf(full.branches.keySet());
    for (String b : c.branches.keySet()) {
      RunConfig.BranchSpec spec = c.branches.get(b);
      RunConfig.BranchSpec fullSpec = full.branches.get(b);
      assertThat(spec.encoder.type).isEqualTo(fullSpec.encoder.type);
      assertThat(new TreeMap<>(spec.encoder.params)).hasToString(new TreeMap<>(fullSpec.encoder.params).toString());
      assertThat(spec.bottleneck.type).isEqualTo(bottleneck);
      assertThat(spec.bottleneck.params.get("dim")).isEqualTo(fullSpec.bottleneck.params.get("dim"));
      assertThat(reidTerms(c, b)).isEqualTo(reidTerms(full, b));
    }
    assertThat(c.losses).hasSameSizeAs(full.losses);
    for (int i = 0; i < c.losses.size(); i++) {
      RunConfig.LossSpec l = c.losses.get(i);
      RunConfig.LossSpec f = full.losses.get(i);
      assertThat(l.type + "@" + l.branch + " " + l.weight).isEqualTo(f.type + "@" + f.branch + " " + f.weight);
      Map<String, Object> params = new TreeMap<>(l.params);
      if (l.type.equals("vsd") || l.type.equals("vcd")) {
        assertThat(params.remove("form")).isEqualTo(form.equals("paper") ? null : form);
      }
      assertThat(params).hasToString(new TreeMap<>(f.params).toString());
    }
    // the release's test feature: the four observation features, the same for both modalities
    List<String> release = List.of("infrared.v", "shared.v@gray", "visible.v", "shared.v");
    assertThat(c.evaluation.visible).isEqualTo(release);
    assertThat(c.evaluation.infrared).isEqualTo(release);
    assertThat(c.evaluation.featureSets).containsKeys("shared-v", "shared-vz");
    for (String set : List.of("shared-v", "shared-vz")) {
      assertThat(c.evaluation.featureSets.get(set).visible).isEqualTo(full.evaluation.featureSets.get(set).visible);
    }
    assertThat(c.evaluation.featureSets.get("shared-z").visible).isEqualTo(full.evaluation.visible);
  }

  @ParameterizedTest
  @CsvSource({"baseline-ce", "ib", "vib", "vsd-shared", "crossview", "vsd", "full", "full-release", "ib-upper",
      "vib-tuned", "crossview-release", "baseline-release", "baseline-ce-2x", "crossview-2x", "baseline-ce-gray",
      "crossview-release-kl", "crossview-release-vib", "full-release-cml",
      "full-release-terms"})
  void theComparisonsUseOneLabelSmoothing(String variant) {
    Set<Object> eps = new java.util.HashSet<>();
    for (RunConfig.LossSpec l : load(variant).losses) {
      if (l.type.equals("ce") || l.type.equals("ib")) {
        eps.add(((Number) l.params.get("epsilon")).doubleValue());
      }
    }
    assertThat(eps).containsExactly(0.1);
  }

  /**
   * The paper's setting: {@code full}'s branches, terms and weights on torchvision's ResNet-50 from ImageNet weights
   * (last stride 1, BN-neck) at 256×128 with z = 256, the release's sampler, schedule and augmentation, on the real
   * data set's reader; the configs validate against the discovered plug-ins.
   */
  @ParameterizedTest
  @CsvSource({"paper-sysu,sysu,16,30", "paper-regdb,regdb,8,25"})
  void paperConfigsAreFullOnTorchvisionsResNet50(String name, String data, int identities, int batchesPerEpoch) {
    RunConfig full = load("full");
    RunConfig c = load(name);
    io.ibreid.core.config.ConfigValidator.validate(c, ShippedConfigsTest.plugins());
    assertThat(c.data.type).isEqualTo(data);
    assertThat(c.data.params).containsEntry("pad", 0).containsEntry("erasing", 0.0).containsEntry("flip", 0.5);
    assertThat(c.input.height + "x" + c.input.width).isEqualTo("256x128");
    assertThat(c.sampler.identities + "x" + c.sampler.instances).isEqualTo(identities + "x8");
    assertThat(c.optimizer.lr).isEqualTo(3.5e-4);
    assertThat(c.optimizer.weightDecay).isEqualTo(5e-4);
    assertThat(c.schedule.epochs + "/" + c.schedule.warmupEpochs + "/" + c.schedule.warmupFactor + "/"
        + c.schedule.milestones + "/" + c.schedule.gamma + "/" + c.schedule.batchesPerEpoch)
        .isEqualTo("600/10.0/0.01/[210]/0.1/" + batchesPerEpoch);
    assertThat(c.wiring).isEqualTo(full.wiring);
    assertThat(c.branches.keySet()).containsExactlyElementsOf(full.branches.keySet());
    for (RunConfig.BranchSpec b : c.branches.values()) {
      assertThat(b.encoder.type).isEqualTo("resnet50");
      assertThat(new TreeMap<>(b.encoder.params)).hasToString("{bnNeck=true, lastStride=1, pretrained=imagenet}");
      assertThat(b.bottleneck.type).isEqualTo("mlp");
      assertThat(b.bottleneck.params.get("dim")).isEqualTo(256);
    }
    assertThat(c.losses).hasSameSizeAs(full.losses);
    for (int i = 0; i < c.losses.size(); i++) {
      RunConfig.LossSpec l = c.losses.get(i);
      RunConfig.LossSpec f = full.losses.get(i);
      assertThat(l.type + "@" + l.branch + " " + l.weight + " " + new TreeMap<>(l.params))
          .isEqualTo(f.type + "@" + f.branch + " " + f.weight + " " + new TreeMap<>(f.params));
    }
    assertThat(c.evaluation.visible).isEqualTo(full.evaluation.visible);
    assertThat(c.evaluation.infrared).isEqualTo(full.evaluation.infrared);
  }

  /**
   * The third design's controls for the release's gain (docs/ablation-v3/design.md, block D) and the split of the
   * release's terms are baseline-ce or crossview with exactly one thing changed: the sampler's images per identity,
   * random grayscale, the release's wiring (one shared branch), the release's KL form or its bottleneck.
   */
  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "baseline-ce-2x;baseline-ce;sampler=8x8",
      "crossview-2x;crossview;sampler=8x8",
      "baseline-ce-gray;baseline-ce;gray",
      "baseline-release;baseline-ce;release",
      "crossview-release;crossview;release",
      "crossview-release-kl;crossview;release+form",
      "crossview-release-vib;crossview;release+bottleneck"})
  void controlsChangeOneThing(String variant, String base, String change) {
    RunConfig c = load(variant);
    RunConfig b = load(base);
    String want = recipe(b);
    if (change.startsWith("sampler")) {
      want = want.replace("sampler=8x4", "sampler=8x8");
    }
    if (change.equals("gray")) {
      assertThat(c.data.params).containsEntry("gray", 0.5);
      c.data.params.remove("gray");
    }
    assertThat(recipe(c)).isEqualTo(want);
    assertThat(c.wiring).isEqualTo(change.startsWith("release") ? "release" : "paper");
    assertThat(c.branches.keySet()).containsExactly("shared");
    assertThat(c.branches.get("shared").bottleneck.type).isEqualTo(change.endsWith("bottleneck") ? "release-vib"
        : "mlp");
    assertThat(reidTerms(c, "shared")).isEqualTo(reidTerms(b, "shared"));
    assertThat(extraTerms(c)).isEqualTo(extraTerms(b));
    for (RunConfig.LossSpec l : c.losses) {
      if (l.type.equals("vcd")) {
        assertThat(l.params.get("form")).isEqualTo(change.endsWith("form") ? "release" : null);
      }
    }
    assertThat(c.evaluation.visible).containsExactly("shared.z");
  }
}
