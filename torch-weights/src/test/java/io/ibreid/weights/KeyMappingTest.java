package io.ibreid.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.core.IbreidException;
import io.ibreid.weights.pretrained.TorchvisionResNet;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyMappingTest {
  static final Map<String, long[]> R50 = TorchvisionResNet.RESNET50.keys(4, 0);
  static final Map<String, long[]> R18 = TorchvisionResNet.RESNET18.keys(2, 0);

  @Test
  void aBackboneLoadsFromTorchvisionsFileAndLeavesItsClassifierUnused() {
    StateDict sd = Fixtures.stateDict("resnet50-w4.pth");
    KeyMapping m = KeyMapping.of(sd, R50, Prefix.auto());
    assertThat(m.prefix()).isEmpty();
    assertThat(m.missing()).isEmpty();
    assertThat(m.unused()).containsExactly("fc.weight", "fc.bias");
    assertThat(m.requireAll()).hasSize(265);
    assertThat(m.requireAll().keySet()).containsExactlyElementsOf(R50.keySet());
    assertThat(m.requireAll().get("layer4.2.bn3.running_var").bitwiseEquals(sd.get("layer4.2.bn3.running_var")))
        .isTrue();
    assertThat(m.report()).isEqualTo("resnet50-w4.pth (PyTorch zip, prefix none): loaded 265 tensors; "
        + "unused: fc.weight, fc.bias; missing: none; ignored: 53 num_batches_tracked");
  }

  @Test
  void requireAllWithALayoutKeepsTheFilesOtherLayoutKeysInLayoutOrder() {
    StateDict sd = Fixtures.stateDict("resnet50-w4.pth");
    Map<String, long[]> layout = TorchvisionResNet.RESNET50.stateDict(4, 10);
    Map<String, Tensor> all = KeyMapping.of(sd, R50, Prefix.auto()).requireAll(layout);
    assertThat(all.keySet()).containsExactlyElementsOf(sd.keys()); // torchvision's order: the file's
    assertThat(all.get("bn1.num_batches_tracked").bitwiseEquals(sd.get("bn1.num_batches_tracked"))).isTrue();
    assertThat(all.get("bn1.num_batches_tracked").dtype()).isEqualTo(DType.I64);

    StateDict old = Fixtures.stateDict("resnet18-w2-v0.1.pth"); // no num_batches_tracked: none invented
    Map<String, Tensor> none = KeyMapping.of(old, R18, Prefix.auto())
        .requireAll(TorchvisionResNet.RESNET18.stateDict(2, 10));
    assertThat(none.keySet()).containsExactlyElementsOf(old.keys());

    StateDict reid = Fixtures.stateDict("reid-checkpoint.pth"); // under the prefix; the classifier left out
    Map<String, Tensor> base = KeyMapping.of(reid, R18, Prefix.auto())
        .requireAll(TorchvisionResNet.RESNET18.stateDict(2, 10));
    assertThat(base.keySet()).containsExactlyElementsOf(Fixtures.stateDict("resnet18-w2.pth").keys());
  }

  @Test
  void requireAllWithALayoutRefusesAnOtherKeyOfAnotherShapeInOneLine() {
    StateDict sd = Fixtures.stateDict("resnet50-w4.pth"); // fc has 10 classes
    KeyMapping m = KeyMapping.of(sd, R50, Prefix.auto());
    assertThatThrownBy(() -> m.requireAll(TorchvisionResNet.RESNET50.stateDict(4, 1000)))
        .isInstanceOf(IbreidException.class)
        .hasMessage(sd.source() + ": fc.weight has shape [10, 128] in the file, [1000, 128] in the model");
  }

  @Test
  void theAutomaticPrefixFindsTheStateDictInsideAReidCheckpoint() {
    StateDict sd = Fixtures.stateDict("reid-checkpoint.pth");
    KeyMapping auto = KeyMapping.of(sd, TorchvisionResNet.RESNET18.keys(2, 10), Prefix.auto());
    assertThat(auto.prefix()).isEqualTo("net.module.base.");
    assertThat(auto.missing()).isEmpty();
    assertThat(auto.unused()).containsExactly("net.module.classifier.weight");
    KeyMapping given = KeyMapping.of(sd, TorchvisionResNet.RESNET18.keys(2, 10), Prefix.parse("net.module.base"));
    assertThat(given.requireAll().keySet()).isEqualTo(auto.requireAll().keySet());
    assertThat(given.report()).isEqualTo("reid-checkpoint.pth (PyTorch zip, prefix 'net.module.base.'): loaded 102 "
        + "tensors; unused: net.module.classifier.weight; missing: none; ignored: 20 num_batches_tracked");
  }

  @Test
  void aWrongPrefixFindsNothingInOneLine() {
    StateDict sd = Fixtures.stateDict("reid-checkpoint.pth");
    KeyMapping m = KeyMapping.of(sd, R18, Prefix.strip("module.base."));
    assertThat(m.found()).isEmpty();
    assertThat(m.missing()).hasSize(R18.size());
    assertThatThrownBy(m::tensors).isInstanceOf(IbreidException.class)
        .hasMessage(sd.source() + ": none of the model's 100 keys (conv1.weight, bn1.weight, bn1.bias, "
            + "... (+97 more)) is in the file under prefix 'module.base.'; its keys: net.module.base.conv1.weight, "
            + "net.module.base.bn1.weight, net.module.base.bn1.bias, ... (+120 more)")
        .hasMessageNotContaining("\n");
  }

  @Test
  void missingKeysAreListedAndRequireAllRefuses() {
    StateDict sd = Fixtures.stateDict("resnet18-w2-v0.1.pth");
    Map<String, long[]> expected = new LinkedHashMap<>(R18);
    expected.put("bn1.num_batches_tracked", new long[0]);
    KeyMapping m = KeyMapping.of(sd, expected, Prefix.auto());
    assertThat(m.missing()).containsExactly("bn1.num_batches_tracked");
    assertThat(m.tensors()).hasSize(R18.size());
    assertThatThrownBy(m::requireAll).hasMessage(sd.source() + ": 1 of the model's 101 keys are missing: "
        + "bn1.num_batches_tracked");
  }

  @Test
  void aShapeMismatchIsOneLineNamingTheKeyBothShapesAndTheFile() {
    StateDict sd = Fixtures.stateDict("resnet50-w4.safetensors");
    Map<String, long[]> expected = new LinkedHashMap<>(R50);
    expected.put("layer3.1.conv2.weight", new long[] {16, 16, 1, 3});
    KeyMapping m = KeyMapping.of(sd, expected, Prefix.auto());
    assertThat(m.mismatches()).hasSize(1);
    assertThatThrownBy(m::tensors).isInstanceOf(IbreidException.class).hasMessage(sd.source()
        + ": layer3.1.conv2.weight has shape [16, 16, 3, 3] in the file, [16, 16, 1, 3] in the model");
    assertThat(m.report()).contains("; shape mismatches: layer3.1.conv2.weight has shape [16, 16, 3, 3] in the "
        + "file, [16, 16, 1, 3] in the model");
  }

  @Test
  void aStateDictOfAnotherArchitectureIsOneLine() {
    StateDict sd = Fixtures.stateDict("resnet18-w2.pth");
    KeyMapping m = KeyMapping.of(sd, TorchvisionResNet.RESNET50.keys(2, 0), Prefix.auto());
    // common keys of another shape: 8 first convolutions (3x3 against 1x1), the 3 shortcut convolutions and
    // their 12 batch-norm tensors (a quarter of the channels)
    assertThat(m.mismatches()).hasSize(23);
    assertThatThrownBy(m::tensors).isInstanceOf(IbreidException.class)
        .hasMessage(sd.source() + ": layer1.0.conv1.weight has shape [2, 2, 3, 3] in the file, [2, 2, 1, 1] in "
            + "the model (and 22 more shape mismatches: weights of another architecture?)");
  }

  @Test
  void anAmbiguousPrefixNamesTheCandidates() {
    Tensor t = Tensor.ofFloats(new long[] {1}, new float[] {1});
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("visible.fc.weight", t);
    tensors.put("thermal.fc.weight", t);
    StateDict sd = new StateDict(Path.of("two-branches.pth"), WeightsFormat.PTH_ZIP, tensors, List.of());
    Map<String, long[]> expected = Map.of("fc.weight", new long[] {1});
    assertThatThrownBy(() -> KeyMapping.of(sd, expected, Prefix.auto())).isInstanceOf(IbreidException.class)
        .hasMessage("two-branches.pth: prefix is ambiguous: 'thermal.', 'visible.' each hold 1 of the model's 1 "
            + "keys; choose one (prefix: ...)");
    assertThat(KeyMapping.of(sd, expected, Prefix.strip("thermal")).requireAll()).containsOnlyKeys("fc.weight");
  }

  @Test
  void prefixesParseAsDocumented() {
    assertThat(Prefix.parse("auto").isAuto()).isTrue();
    assertThat(Prefix.parse(null).isAuto()).isTrue();
    assertThat(Prefix.parse("none")).isEqualTo(Prefix.none());
    assertThat(Prefix.parse("").value()).isEmpty();
    assertThat(Prefix.parse("module").value()).isEqualTo("module.");
    assertThat(Prefix.parse(" RGB_backbone.base. ").value()).isEqualTo("RGB_backbone.base.");
    assertThat(Prefix.strip("base.")).hasToString("'base.'");
  }
}
