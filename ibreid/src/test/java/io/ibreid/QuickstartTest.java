package io.ibreid;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/library.md's quickstart shows whole files: a line {@code <!-- file: PATH -->} followed by a fenced block holds
 * the file PATH of this repository, word for word. This checks that every such block equals its file and that the
 * quickstart shows every file of examples/consumer (the project .ci/run builds from the blocks), so the page and the
 * project CI builds cannot drift apart. {@code -Dibreid.quickstart.write=true} rewrites the blocks from the files.
 */
class QuickstartTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Path PAGE = ROOT.resolve("docs/library.md");
  static final Path CONSUMER = ROOT.resolve("examples/consumer");
  static final Pattern MARKER = Pattern.compile("<!-- file: (\\S+) -->");

  /** A block: the file it shows and the lines of the page it spans (the fences excluded). */
  record Block(String path, int from, int to) {}

  static List<Block> blocks(List<String> lines) {
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = MARKER.matcher(lines.get(i).strip());
      if (m.matches()) {
        assertThat(lines.get(i + 1)).as("line %d of %s: a fence after the marker", i + 2, PAGE).startsWith("```");
        int end = i + 2;
        while (end < lines.size() && !lines.get(end).equals("```")) {
          end++;
        }
        assertThat(end).as("the block of %s is closed", m.group(1)).isLessThan(lines.size());
        out.add(new Block(m.group(1), i + 2, end));
        i = end;
      }
    }
    return out;
  }

  static String text(List<String> lines, Block b) {
    return lines.subList(b.from(), b.to()).stream().map(l -> l + "\n").collect(Collectors.joining());
  }

  @Test
  void everyFileBlockOfTheQuickstartIsItsFileAndTheConsumerIsShownWhole() throws IOException {
    List<String> lines = Files.readAllLines(PAGE, StandardCharsets.UTF_8);
    List<Block> blocks = blocks(lines);
    if (Boolean.getBoolean("ibreid.quickstart.write")) {
      rewrite(lines, blocks);
      lines = Files.readAllLines(PAGE, StandardCharsets.UTF_8);
      blocks = blocks(lines);
    }
    Map<String, String> shown = new LinkedHashMap<>();
    for (Block b : blocks) {
      shown.put(b.path(), text(lines, b));
    }
    for (Map.Entry<String, String> e : shown.entrySet()) {
      assertThat(e.getValue()).as("the block of %s in docs/library.md equals the file (rewrite the blocks with "
          + "mvn test -pl ibreid -Dtest=QuickstartTest -Dibreid.quickstart.write=true)", e.getKey())
          .isEqualTo(Files.readString(ROOT.resolve(e.getKey()), StandardCharsets.UTF_8));
    }
    TreeSet<String> consumer;
    try (Stream<Path> files = Files.walk(CONSUMER)) {
      consumer = files.filter(Files::isRegularFile).map(p -> ROOT.relativize(p).toString().replace('\\', '/'))
          .filter(p -> !p.startsWith("examples/consumer/target/") && !p.startsWith("examples/consumer/.mvn/")
              && !p.equals("examples/consumer/README.md"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(new TreeSet<>(shown.keySet()).tailSet("examples/consumer/"))
        .as("the quickstart shows every file of examples/consumer, so a project pasted from it is that project")
        .containsAll(consumer);
    assertThat(consumer).contains("examples/consumer/pom.xml", "examples/consumer/run.sh",
        "examples/consumer/src/main/java/com/example/reid/TrainAndEmbed.java");
    assertThat(shown).containsKey("configs/tiny.yaml");
  }

  private static void rewrite(List<String> lines, List<Block> blocks) throws IOException {
    List<String> out = new ArrayList<>();
    int next = 0;
    for (Block b : blocks) {
      out.addAll(lines.subList(next, b.from()));
      out.addAll(Files.readString(ROOT.resolve(b.path()), StandardCharsets.UTF_8).lines().toList());
      next = b.to();
    }
    out.addAll(lines.subList(next, lines.size()));
    Files.write(PAGE, out, StandardCharsets.UTF_8);
  }
}
