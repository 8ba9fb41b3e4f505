package io.ibreid;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * ibreid-bom has no parent (so importing it pins nothing but ibreid), hence its version and its list are kept by
 * hand: this checks that it names every artifact the build installs, at the reactor's version, and nothing else.
 */
class BomTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  static Document read(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  static String child(Element e, String name) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) {
        return c.getTextContent().trim();
      }
    }
    return null;
  }

  @Test
  void bomListsEveryInstalledModuleAtTheReactorsVersion() throws Exception {
    Element parent = read(ROOT.resolve("pom.xml")).getDocumentElement();
    Element bom = read(ROOT.resolve("ibreid-bom/pom.xml")).getDocumentElement();
    assertThat(child(bom, "version")).isEqualTo(child(parent, "version"));
    assertThat(child(bom, "parent")).as("the BOM has no parent").isNull();

    List<String> installed = new ArrayList<>();
    NodeList modules = parent.getElementsByTagName("module");
    for (int i = 0; i < modules.getLength(); i++) {
      Path pom = ROOT.resolve(modules.item(i).getTextContent().trim()).resolve("pom.xml");
      Element project = read(pom).getDocumentElement();
      String text = Files.readString(pom);
      if (!text.contains("<maven.install.skip>true</maven.install.skip>")
          && !"ibreid-bom".equals(child(project, "artifactId"))) {
        installed.add(child(project, "artifactId"));
      }
    }
    List<String> listed = new ArrayList<>();
    NodeList deps = bom.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      assertThat(child(d, "groupId")).isEqualTo("io.ibreid");
      assertThat(child(d, "version")).isEqualTo("${project.version}");
      listed.add(child(d, "artifactId"));
    }
    assertThat(installed).contains("ib-core", "ibreid", "ibreid-testing", "ibreid-backend-cpu", "ibreid-ablation")
        .doesNotContain("ibreid-examples", "ibreid-benchmarks", "ibreid-cli");
    assertThat(listed).containsExactlyInAnyOrderElementsOf(installed);
  }
}
