package io.ibreid.weights.pretrained;

import io.ibreid.core.IbreidException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A folder of downloaded weight files named as torch.hub names them, {@code NAME-HASH.EXT}, where HASH is the
 * start of the file's SHA-256 in hex. A file is looked up in the folder and then in the other folders given (by
 * default PyTorch's own hub cache, so a file PyTorch downloaded is used where it is); a file found is used only
 * if its SHA-256 starts with the hash in its name. A missing file is downloaded into the folder: to a temporary
 * file, hashed while it streams, renamed into place only when its hash is right. Offline, the error is one line
 * saying which file to put where.
 *
 * <p>{@link #standard()}'s folder: the system property {@code ibreid.weights.dir}, else the environment variable
 * {@code IBREID_WEIGHTS_DIR}, else {@code $XDG_CACHE_HOME/ibreid/weights}, else {@code ~/.cache/ibreid/weights}.
 */
public final class WeightsCache {
  /** torch.hub's pattern: the hash is the hex digits after the last dash before the extension. */
  private static final Pattern HASHED = Pattern.compile("-([a-f0-9]{6,64})\\.[A-Za-z0-9.]+$");
  /** No weights file of this project's networks is larger (ResNet-101 is 171 MB). */
  static final long MAX_DOWNLOAD_BYTES = 2L << 30;
  private static final int TIMEOUT_MS = 30_000;

  private final Path folder;
  private final List<Path> alsoLookIn;
  private final String baseUrl;

  /**
   * @param folder where downloads go (created when needed)
   * @param alsoLookIn other folders searched after it, read-only (PyTorch's hub cache, say)
   * @param baseUrl where {@link #imagenet} downloads torchvision's files from: {@link TorchvisionResNet#BASE_URL},
   *     or a mirror serving the same file names ({@code http:}, {@code https:} or {@code file:}), ending in '/'
   */
  public WeightsCache(Path folder, List<Path> alsoLookIn, String baseUrl) {
    this.folder = folder;
    this.alsoLookIn = List.copyOf(alsoLookIn);
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
  }

  /**
   * The standard folder (see the class comment), also searching PyTorch's hub cache; torchvision's files from
   * {@link TorchvisionResNet#BASE_URL} unless the system property {@code ibreid.weights.url} names a mirror.
   */
  public static WeightsCache standard() {
    String mirror = System.getProperty("ibreid.weights.url");
    return new WeightsCache(defaultFolder(System.getProperties(), System.getenv()),
        List.of(torchHubFolder(System.getenv())),
        mirror != null && !mirror.isBlank() ? mirror : TorchvisionResNet.BASE_URL);
  }

  /** The download folder from these properties and environment (see the class comment). */
  static Path defaultFolder(Map<Object, Object> properties, Map<String, String> env) {
    Object property = properties.get("ibreid.weights.dir");
    if (property != null && !property.toString().isBlank()) {
      return Path.of(property.toString());
    }
    String dir = env.get("IBREID_WEIGHTS_DIR");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    return cacheHome(env).resolve("ibreid").resolve("weights");
  }

  /** PyTorch's hub cache: {@code $TORCH_HOME/hub/checkpoints}, by default under the user's cache folder. */
  static Path torchHubFolder(Map<String, String> env) {
    String torchHome = env.get("TORCH_HOME");
    Path home = torchHome != null && !torchHome.isBlank() ? Path.of(torchHome) : cacheHome(env).resolve("torch");
    return home.resolve("hub").resolve("checkpoints");
  }

  private static Path cacheHome(Map<String, String> env) {
    String xdg = env.get("XDG_CACHE_HOME");
    return xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
  }

  /** The download folder. */
  public Path folder() {
    return folder;
  }

  /**
   * The ImageNet weights of a torchvision ResNet: its current file, or the 2017 file of the same weights if
   * only that one is at hand, else the current file downloaded from the base URL.
   *
   * @throws IbreidException as {@link #get(String)}
   */
  public Path imagenet(TorchvisionResNet network) {
    Path legacy = find(network.legacyFileName());
    if (find(network.fileName()) == null && legacy != null) {
      return verified(legacy);
    }
    return get(baseUrl + network.fileName());
  }

  /**
   * The file an URL names (its last path segment, {@code NAME-HASH.EXT}), found or downloaded, its SHA-256
   * checked against HASH.
   *
   * @throws IbreidException (one line) when the name carries no hash, a file found or downloaded has another
   *     hash (nothing is left behind by a download), or the download fails, naming the file to put in the folder
   */
  public Path get(String url) {
    String name = fileName(url);
    hashOf(name);
    Path found = find(name);
    if (found != null) {
      return verified(found);
    }
    Path target = folder.resolve(name);
    try {
      download(url, target);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IbreidException i) {
        throw i;
      }
      throw new IbreidException("cannot download " + url + " (" + reason(e) + "): put that file at " + target
          + " (downloaded on a machine with network access), or set ibreid.weights.dir / IBREID_WEIGHTS_DIR to "
          + "a folder that holds it", e);
    }
    return target;
  }

  /** The first existing regular file of that name in the folder, then in the other folders; null if none. */
  Path find(String name) {
    List<Path> folders = new ArrayList<>();
    folders.add(folder);
    folders.addAll(alsoLookIn);
    for (Path f : folders) {
      Path p = f.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  /** The file, if its SHA-256 starts with the hash in its name. */
  static Path verified(Path file) {
    String expected = hashOf(file.getFileName().toString());
    String actual;
    try (InputStream in = Files.newInputStream(file)) {
      actual = sha256(in, Long.MAX_VALUE, null);
    } catch (IOException e) {
      throw new IbreidException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (!actual.startsWith(expected)) {
      throw new IbreidException(file + ": SHA-256 starts with " + actual.substring(0, expected.length())
          + ", its name says " + expected + ": a damaged or different file; delete it to download it again");
    }
    return file;
  }

  /** The hash in a torch.hub file name. */
  static String hashOf(String name) {
    Matcher m = HASHED.matcher(name);
    if (!m.find()) {
      throw new IbreidException(name + ": no SHA-256 prefix in the file name (expected NAME-HASH.pth, "
          + "as torchvision names its files)");
    }
    return m.group(1);
  }

  static String fileName(String url) {
    String path = URI.create(url).getPath();
    if (path == null || path.isEmpty() || path.endsWith("/")) {
      throw new IbreidException(url + ": no file name in the URL");
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private void download(String url, Path target) throws IOException {
    Files.createDirectories(folder);
    String expected = hashOf(target.getFileName().toString());
    Path part = Files.createTempFile(folder, "." + target.getFileName(), ".part");
    try {
      URLConnection c = new URL(url).openConnection();
      c.setConnectTimeout(TIMEOUT_MS);
      c.setReadTimeout(TIMEOUT_MS);
      if (c instanceof HttpURLConnection h && h.getResponseCode() != HttpURLConnection.HTTP_OK) {
        throw new IOException("HTTP " + h.getResponseCode() + " " + h.getResponseMessage());
      }
      long length = c.getContentLengthLong();
      if (length > MAX_DOWNLOAD_BYTES) {
        throw new IOException("the server announces " + length + " bytes, more than a weights file");
      }
      String actual;
      try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(part)) {
        actual = sha256(in, MAX_DOWNLOAD_BYTES, out);
      }
      if (!actual.startsWith(expected)) {
        throw new IbreidException(url + ": the downloaded file's SHA-256 starts with "
            + actual.substring(0, expected.length()) + ", its name says " + expected + "; nothing was written");
      }
      try {
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** The hex SHA-256 of a stream, copied to {@code out} if not null; more than {@code max} bytes is an error. */
  static String sha256(InputStream in, long max, OutputStream out) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    try (DigestInputStream d = new DigestInputStream(in, md)) {
      for (int n; (n = d.read(buffer)) > 0; ) {
        total += n;
        if (total > max) {
          throw new IOException("more than " + max + " bytes");
        }
        if (out != null) {
          out.write(buffer, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static String reason(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.replace('\n', ' '));
  }
}
