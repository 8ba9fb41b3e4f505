package io.ibreid.weights;

import io.ibreid.core.IbreidException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The file formats {@link StateDict#read} reads, recognised by their first bytes (not by the file name). */
public enum WeightsFormat {
  /** {@code torch.save} since PyTorch 1.6: a zip archive of {@code data.pkl} and one entry per storage. */
  PTH_ZIP("PyTorch zip"),
  /** {@code torch.save} before 1.6, or with {@code _use_new_zipfile_serialization=False}: a pickle stream. */
  PTH_LEGACY("PyTorch legacy"),
  /** Hugging Face's safetensors: a length-prefixed JSON header, then raw little-endian tensors. */
  SAFETENSORS("safetensors");

  private final String title;

  WeightsFormat(String title) {
    this.title = title;
  }

  /** A short name for reports: {@code PyTorch zip}, {@code PyTorch legacy}, {@code safetensors}. */
  public String title() {
    return title;
  }

  /**
   * Recognises a file's format from its first 9 bytes: a zip signature, a safetensors header length followed by
   * '{', or a pickle protocol opcode (protocol 2 to 5).
   *
   * @throws IbreidException when the file cannot be read or is none of the three
   */
  public static WeightsFormat detect(Path file) {
    byte[] head = new byte[9];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new IbreidException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return PTH_ZIP;
    }
    if (n == 9 && head[8] == '{') { // before the pickle test: a header length such as 0x280 starts with 80 02
      return SAFETENSORS;
    }
    if (n >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
      return PTH_LEGACY;
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(n, 8); i++) {
      hex.append(String.format(" %02x", head[i] & 0xff));
    }
    throw new IbreidException(file + ": not a PyTorch .pth or .safetensors file (" + (n == 0 ? "empty"
        : "starts with" + hex) + "; expected a zip archive, a pickle stream or a safetensors header)");
  }
}
