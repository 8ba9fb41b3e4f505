package io.ibreid.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ibreid.data.synthetic.SyntheticGenerator.Layout;
import io.ibreid.data.synthetic.SyntheticGenerator.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the generator may write (issue 29): never into the current folder (an empty {@code data.root} used to mean
 * it), and the hidden folder a killed generation left is removed by the next one, only when its process is gone.
 */
class SyntheticOutputTest {
  @TempDir
  Path dir;

  static Spec tiny() {
    return Spec.of(Layout.SYSU, 6, 3, 32, 16, 2, 0.75, 1);
  }

  @Test
  void theCurrentFolderOrAnEmptyNameIsRefused() {
    assertThatThrownBy(() -> SyntheticGenerator.generate(tiny(), Path.of(""), 1))
        .hasMessage("synthetic output folder is empty; expected the name of a new or empty folder");
    assertThatThrownBy(() -> SyntheticGenerator.generate(tiny(), Path.of("."), 1))
        .hasMessage("synthetic output . is the current folder; expected a new or empty folder beside or below it");
    assertThatThrownBy(() -> SyntheticGenerator.generate(tiny(), Path.of(".."), 1))
        .hasMessageContaining("above the current folder");
  }

  @Test
  void aKilledGenerationsLeftoverIsRemovedWhenItsProcessIsGone() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Path dead = Files.createDirectories(dir.resolve(".lab.partial-" + gone.pid() + "-1a2b/cam1/0001"));
    Files.write(dead.resolve("0001.jpg"), new byte[1000]);
    Path live = Files.createDirectories(dir.resolve(".lab.partial-" + ProcessHandle.current().pid() + "-ffff"));
    Path other = Files.createDirectories(dir.resolve(".other.partial-" + gone.pid() + "-1"));
    SyntheticGenerator.generate(tiny(), dir.resolve("lab"), 1);
    assertThat(dir.resolve(".lab.partial-" + gone.pid() + "-1a2b")).doesNotExist();
    assertThat(live).as("a live process's folder is kept").exists();
    assertThat(other).as("another target's folder is not touched").exists();
    assertThat(dir.resolve("lab/exp/train_id.txt")).exists();
  }
}
