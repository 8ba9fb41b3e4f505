package io.ibreid.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line prints for a failure that did not come wrapped in an {@link IbreidException}. */
class UserFacingTest {
  @TempDir Path dir;

  @Test
  void anIbreidExceptionInTheChainIsReturnedAsItIs() {
    IbreidException inner = new IbreidException("config x.yaml: key 'seed' must be an integer");
    assertThat(UserFacing.exception(new ExecutionException(new RuntimeException(inner)))).isSameAs(inner);
    assertThat(UserFacing.exception(new ExecutionException(inner))).isSameAs(inner);
  }

  @Test
  void aCheckedIoFailureIsSaidInWordsNamingThePathNotByItsClassName() throws IOException {
    Path missing = dir.resolve("gallery.csv");
    IOException real = null;
    try {
      Files.readAllLines(missing);
    } catch (IOException e) {
      real = e;
    }
    assertThat(real).isInstanceOf(NoSuchFileException.class);
    RuntimeException shown = UserFacing.exception(new UncheckedIOException(real));
    assertThat(shown).isInstanceOf(IbreidException.class).hasMessage(missing + " does not exist");
    assertThat(shown.getMessage()).doesNotContain("Exception");

    Path file = Files.writeString(dir.resolve("runs"), "a file");
    IOException blocked = null;
    try {
      Files.createDirectories(file.resolve("run-1"));
    } catch (IOException e) {
      blocked = e;
    }
    assertThat(UserFacing.exception(new ExecutionException(blocked)).getMessage())
        .isEqualTo(file + " is a file, not a folder");
  }

  @Test
  void anotherCheckedExceptionKeepsItsClassNameAndFirstLine() {
    Exception odd = new Exception("first line\nsecond line");
    assertThat(UserFacing.exception(odd)).isInstanceOf(IbreidException.class)
        .hasMessage("Exception: first line");
  }

  @Test
  void aDescriptionThatGivesNothingFallsBackToTheClassName() {
    NoSuchFileException io = new NoSuchFileException("/x/y.csv");
    assertThat(UserFacing.exception(io)).hasMessage("/x/y.csv does not exist");
    assertThat(UserFacing.exception(io, e -> null)).hasMessage("NoSuchFileException: /x/y.csv");
    assertThat(UserFacing.exception(io, e -> "told\nmore")).hasMessage("told");
  }

  @Test
  void aPlainRuntimeExceptionIsReturnedUnchanged() {
    IllegalStateException bug = new IllegalStateException("bug");
    assertThat(UserFacing.exception(new ExecutionException(bug))).isSameAs(bug);
  }
}
