package io.ibreid.encoders.fast;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;

/** JavaCPP objects that one owner created and frees together, in the reverse order of their creation. */
final class NativeObjects implements AutoCloseable {
  private final List<Pointer> owned = new ArrayList<>();

  /** Registers {@code p} to be freed by {@link #close()}; returns it. */
  <T extends Pointer> T own(T p) {
    owned.add(p);
    return p;
  }

  @Override
  public void close() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      owned.get(i).close();
    }
    owned.clear();
  }
}
