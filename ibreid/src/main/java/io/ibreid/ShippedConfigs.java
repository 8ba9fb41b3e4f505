package io.ibreid;

import io.ibreid.core.ConfigException;
import io.ibreid.core.IbreidException;
import io.ibreid.core.config.ConfigLoader;
import io.ibreid.core.config.RunConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The configs that ship inside this module's jar, as class-path resources {@code io/ibreid/configs/NAME.yaml}. They
 * are the repository's {@code configs/*.yaml}, copied in at build time (the folder stays where the command line, the
 * tests and the ablation read it; git holds one copy).
 */
final class ShippedConfigs {
  /** The resource folder, relative to this class's package. */
  static final String FOLDER = "configs/";
  /** The resource folder's full name. */
  static final String RESOURCE_FOLDER = "io/ibreid/" + FOLDER;
  private static final String SUFFIX = ".yaml";

  private ShippedConfigs() {}

  /** Loads the shipped config {@code name}, applies the overrides in order and validates it. */
  static RunConfig load(String name, List<String> overrides) {
    if (name == null || name.isBlank()) {
      throw new ConfigException("shipped config name is empty; expected one of " + names());
    }
    String n = name.strip();
    URL url = n.contains("/") || n.contains("\\") ? null : ShippedConfigs.class.getResource(FOLDER + n + SUFFIX);
    if (url == null) {
      String hint = n.endsWith(SUFFIX) || n.contains("/") || n.contains("\\")
          ? " (a file is read with Ibreid.config(Path.of(\"" + n + "\")))" : "";
      throw new ConfigException("no shipped config named [" + n + "]; known: " + names() + hint);
    }
    String yaml;
    try (InputStream in = url.openStream()) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IbreidException("cannot read shipped config " + n + " from " + url + ": " + e.getMessage());
    }
    return ConfigLoader.parse(yaml, overrides, "shipped config " + n);
  }

  /** The shipped configs' names, sorted; empty when the resource folder cannot be listed. */
  static SortedSet<String> names() {
    SortedSet<String> names = new TreeSet<>();
    try {
      URL anchor = ShippedConfigs.class.getResource(FOLDER);
      if (anchor == null) { // a jar without directory entries: find it through the demo's file
        anchor = ShippedConfigs.class.getResource(FOLDER + "demo" + SUFFIX);
      }
      if (anchor == null) {
        return Collections.unmodifiableSortedSet(names);
      }
      if (anchor.getProtocol().equals("file")) {
        Path folder = Path.of(anchor.toURI());
        try (Stream<Path> files = Files.list(Files.isDirectory(folder) ? folder : folder.getParent())) {
          files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(SUFFIX))
              .forEach(f -> names.add(f.substring(0, f.length() - SUFFIX.length())));
        }
      } else {
        URLConnection c = anchor.openConnection();
        if (c instanceof JarURLConnection jar) {
          c.setUseCaches(false);
          String prefix = RESOURCE_FOLDER;
          try (JarFile file = jar.getJarFile()) {
            for (JarEntry e : Collections.list(file.entries())) {
              String entry = e.getName();
              if (entry.startsWith(prefix) && entry.endsWith(SUFFIX) && entry.indexOf('/', prefix.length()) < 0) {
                names.add(entry.substring(prefix.length(), entry.length() - SUFFIX.length()));
              }
            }
          }
        }
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      // an unusual class loader: the names stay unknown, loading by name still works
    }
    return Collections.unmodifiableSortedSet(names);
  }
}
