package io.ibreid.weights.pth;

import java.io.IOException;
import java.io.InputStream;

/**
 * A view of a stream that ends after {@code limit} bytes, knows how many it has left, and supports mark / reset
 * (over a stream that does). The unpickler checks every length a pickle declares against {@link #remaining()}
 * before anything is allocated.
 */
final class BoundedInput extends InputStream {
  private final InputStream in;
  private final long limit;
  private long position;
  private long marked;

  BoundedInput(InputStream in, long limit) {
    if (!in.markSupported()) {
      throw new IllegalArgumentException("the stream must support mark");
    }
    this.in = in;
    this.limit = limit;
  }

  /** Bytes that may still be read. */
  long remaining() {
    return limit - position;
  }

  /** Bytes read so far. */
  long position() {
    return position;
  }

  @Override
  public int read() throws IOException {
    if (position >= limit) {
      return -1;
    }
    int b = in.read();
    if (b >= 0) {
      position++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (position >= limit) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, limit - position));
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public boolean markSupported() {
    return true;
  }

  @Override
  public synchronized void mark(int readlimit) {
    in.mark(readlimit);
    marked = position;
  }

  @Override
  public synchronized void reset() throws IOException {
    in.reset();
    position = marked;
  }

  @Override
  public void close() {
    // the underlying stream belongs to the caller
  }
}
