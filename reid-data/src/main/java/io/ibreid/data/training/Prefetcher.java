package io.ibreid.data.training;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Yields {@code make(from) .. make(to - 1)} in order while up to {@code depth} of the next items are being made on
 * a thread pool: a bounded read-ahead queue. Without a pool, items are made on the calling thread. An exception
 * thrown while making an item is rethrown by {@link #next()} (unwrapped); {@link #close()} cancels the read-ahead
 * and may be called from another thread. One thread consumes.
 */
final class Prefetcher<T> implements Iterator<T>, AutoCloseable {
  private final ExecutorService pool;
  private final IntFunction<T> make;
  private final int to;
  private final int depth;
  private final Deque<Future<T>> ahead = new ArrayDeque<>();
  private int nextToSubmit;
  private int nextToReturn;
  private volatile boolean closed;

  Prefetcher(ExecutorService pool, int from, int to, int depth, IntFunction<T> make) {
    this.pool = pool;
    this.make = make;
    this.to = to;
    this.depth = Math.max(1, depth);
    this.nextToSubmit = from;
    this.nextToReturn = from;
    fill();
  }

  private void fill() {
    if (pool == null) {
      return;
    }
    synchronized (ahead) {
      while (!closed && ahead.size() < depth && nextToSubmit < to) {
        int index = nextToSubmit++;
        ahead.add(pool.submit(() -> make.apply(index)));
      }
    }
  }

  @Override
  public boolean hasNext() {
    return !closed && nextToReturn < to;
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    int index = nextToReturn++;
    if (pool == null) {
      return make.apply(index);
    }
    Future<T> f;
    synchronized (ahead) {
      f = ahead.poll();
    }
    if (f == null) {
      throw new IllegalStateException("batch " + index + " was cancelled (the data set was closed)");
    }
    try {
      T item = f.get();
      fill();
      return item;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while waiting for batch " + index, e);
    } catch (CancellationException e) {
      close();
      throw new IllegalStateException("batch " + index + " was cancelled (the data set was closed)", e);
    } catch (ExecutionException e) {
      close();
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("making batch " + index + " failed", cause);
    }
  }

  /** Items made or being made ahead of the consumer. */
  int readAhead() {
    synchronized (ahead) {
      return ahead.size();
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (ahead) {
      for (Future<T> f : ahead) {
        f.cancel(true);
      }
      ahead.clear();
    }
  }
}
