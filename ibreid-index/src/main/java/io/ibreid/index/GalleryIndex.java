package io.ibreid.index;

import io.ibreid.core.FileFailures;
import io.ibreid.core.IbreidException;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;

/**
 * A gallery of features in a Lucene index: one document per image with its feature as a {@link KnnFloatVectorField}
 * (L2-normalised on the way in and compared by dot product, i.e. cosine; an HNSW graph of {@link
 * Options#maxConnections} links per node, built with beam {@link Options#beamWidth}; optionally 7-bit scalar
 * quantised), and the image's path, identity, camera, modality and capture time as stored and indexed fields that a
 * search can filter on ({@link IndexFilter}). The run's fingerprint, the dimension and the HNSW settings are in every
 * commit's user data; queries embedded under another fingerprint are refused.
 *
 * <p>Writes: {@link #add} skips paths already present and commits each call (Lucene's commit is atomic and
 * durable: after a crash the index holds exactly the batches whose {@code add} returned, so a build that is
 * restarted continues where it stopped, with no duplicates); {@link #delete} removes by path and commits. One
 * process writes at a time (Lucene's write lock); any number read. Searches are thread-safe and see the last commit
 * that had been made when they started, never a half-applied batch.
 */
public final class GalleryIndex implements Closeable {
  static final String PATH = "path";
  static final String IDENTITY = "identity";
  static final String CAMERA = "camera";
  static final String MODALITY = "modality";
  static final String TIME = "time";
  static final String VECTOR = "vector";
  static final String KEY_FINGERPRINT = "ibreid.fingerprint";
  static final String KEY_DIMENSION = "ibreid.dimension";
  static final String KEY_M = "ibreid.hnsw.maxConnections";
  static final String KEY_BEAM = "ibreid.hnsw.beamWidth";
  static final String KEY_QUANTISED = "ibreid.hnsw.quantised";

  /** HNSW settings: links per node (M), beam width at construction (efConstruction), scalar quantisation. */
  public record Options(int maxConnections, int beamWidth, boolean quantised) {
    public Options {
      if (maxConnections < 2 || maxConnections > 512 || beamWidth < 1 || beamWidth > 3200) {
        throw new IbreidException("HNSW maxConnections must be in 2..512 and beamWidth in 1..3200, got "
            + maxConnections + " and " + beamWidth);
      }
    }

    /** Lucene's defaults: M = 16, efConstruction = 100, float vectors. */
    public static Options defaults() {
      return new Options(16, 100, false);
    }
  }

  /** One gallery image: its path (the key), identity (-1: unknown), camera, modality, capture time, feature. */
  public record Entry(String path, int identity, int camera, String modality, long time, float[] vector) {}

  /** A search result: the entry without its vector, and its cosine similarity to the query. */
  public record Hit(int rank, double similarity, String path, int identity, int camera, String modality, long time) {}

  private final Path dir;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Map<String, String> info;
  private final int dimension;
  private final Set<String> paths;

  private GalleryIndex(Path dir, Directory directory, IndexWriter writer, Map<String, String> info) throws IOException {
    this.dir = dir;
    this.directory = directory;
    this.writer = writer;
    this.info = Map.copyOf(info);
    this.dimension = Integer.parseInt(info.get(KEY_DIMENSION));
    this.searchers = writer != null ? new SearcherManager(writer, null) : new SearcherManager(directory, null);
    this.paths = writer != null ? storedPaths() : null;
  }

  /**
   * Opens the index in {@code dir} for writing, creating it when the folder holds none. An existing index must have
   * been built for {@code fingerprint} and {@code dimension}; its HNSW settings are kept (a new one takes
   * {@code options}). {@code extra} entries are stored in the commit data (e.g. the run folder).
   *
   * @throws IbreidException when the index belongs to another run, is being written by another process or is corrupt
   */
  public static GalleryIndex openForWriting(Path dir, int dimension, String fingerprint, Options options,
      Map<String, String> extra) {
    return openForWriting(dir, dimension, fingerprint, options, extra, 256);
  }

  /**
   * As {@link #openForWriting(Path, int, String, Options, Map)}, buffering up to {@code ramBufferMB} of added
   * documents before Lucene writes a segment (a bulk load that fits builds one HNSW graph, with no merges).
   */
  public static GalleryIndex openForWriting(Path dir, int dimension, String fingerprint, Options options,
      Map<String, String> extra, double ramBufferMB) {
    Directory d = null;
    try {
      Files.createDirectories(dir);
      d = FSDirectory.open(dir);
      boolean exists = DirectoryReader.indexExists(d);
      Map<String, String> data = new LinkedHashMap<>();
      if (exists) {
        data.putAll(readInfo(dir, d));
        checkFingerprint(dir, data, fingerprint);
        if (Integer.parseInt(data.get(KEY_DIMENSION)) != dimension) {
          throw new IbreidException("index " + dir + " holds features of " + data.get(KEY_DIMENSION)
              + " columns, got " + dimension);
        }
        options = new Options(Integer.parseInt(data.get(KEY_M)), Integer.parseInt(data.get(KEY_BEAM)),
            Boolean.parseBoolean(data.get(KEY_QUANTISED)));
      } else {
        if (extra != null) {
          data.putAll(extra);
        }
        data.put(KEY_FINGERPRINT, fingerprint);
        data.put(KEY_DIMENSION, Integer.toString(dimension));
        data.put(KEY_M, Integer.toString(options.maxConnections()));
        data.put(KEY_BEAM, Integer.toString(options.beamWidth()));
        data.put(KEY_QUANTISED, Boolean.toString(options.quantised()));
      }
      IndexWriterConfig cfg = new IndexWriterConfig().setCodec(codec(options))
          .setOpenMode(exists ? IndexWriterConfig.OpenMode.APPEND : IndexWriterConfig.OpenMode.CREATE)
          .setRAMBufferSizeMB(ramBufferMB).setRAMPerThreadHardLimitMB((int) Math.min(2047, Math.max(ramBufferMB, 16)))
          .setCommitOnClose(false);
      IndexWriter w = new IndexWriter(d, cfg);
      w.setLiveCommitData(data.entrySet());
      if (!exists) {
        w.commit();
      }
      return new GalleryIndex(dir, d, w, data);
    } catch (LockObtainFailedException e) {
      close(d);
      throw new IbreidException("index " + dir + " is being written by another process (its write.lock is held)");
    } catch (IOException | RuntimeException e) {
      close(d);
      throw failure(dir, e);
    }
  }

  /** Opens the index in {@code dir} for searching only (no lock; later commits of a writer are picked up). */
  public static GalleryIndex openForReading(Path dir) {
    Directory d = null;
    try {
      if (!Files.isDirectory(dir)) {
        throw new IbreidException("index " + dir + " does not exist (build it with ibreid index)");
      }
      d = FSDirectory.open(dir);
      if (!DirectoryReader.indexExists(d)) {
        throw new IbreidException("folder " + dir + " holds no gallery index (build one with ibreid index)");
      }
      return new GalleryIndex(dir, d, null, readInfo(dir, d));
    } catch (IOException | RuntimeException e) {
      close(d);
      throw failure(dir, e);
    }
  }

  private static Map<String, String> readInfo(Path dir, Directory d) throws IOException {
    try (DirectoryReader r = DirectoryReader.open(d)) {
      Map<String, String> data = r.getIndexCommit().getUserData();
      if (!data.containsKey(KEY_FINGERPRINT) || !data.containsKey(KEY_DIMENSION)) {
        throw new IbreidException("index " + dir + " is a Lucene index but not an ibreid gallery (no "
            + KEY_FINGERPRINT + " in its commit data)");
      }
      return new LinkedHashMap<>(data);
    }
  }

  private static void checkFingerprint(Path dir, Map<String, String> data, String fingerprint) {
    if (!data.get(KEY_FINGERPRINT).equals(fingerprint)) {
      throw new IbreidException("index " + dir + " holds features of run fingerprint " + data.get(KEY_FINGERPRINT)
          + (data.containsKey("ibreid.run") ? " (" + data.get("ibreid.run") + ")" : "") + "; these features come "
          + "from fingerprint " + fingerprint + ": embed with the run the index was built with");
    }
  }

  private static Lucene912Codec codec(Options o) {
    KnnVectorsFormat format = o.quantised()
        ? new Lucene99HnswScalarQuantizedVectorsFormat(o.maxConnections(), o.beamWidth())
        : new Lucene99HnswVectorsFormat(o.maxConnections(), o.beamWidth());
    return new Lucene912Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }

  private static RuntimeException failure(Path dir, Exception e) {
    if (e instanceof IbreidException ie) {
      return ie;
    }
    if (e instanceof CorruptIndexException || e instanceof IndexFormatTooOldException
        || e instanceof IndexFormatTooNewException || e instanceof NoSuchFileException
        || e instanceof java.io.EOFException) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      return new IbreidException("index " + dir + " is corrupt or incomplete: " + m, e);
    }
    if (e instanceof IOException io) {
      return new IbreidException("index " + dir + ": " + FileFailures.reason(io).lines().findFirst().orElse(""), e);
    }
    String m = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
    return new IbreidException("index " + dir + ": " + e.getClass().getSimpleName() + m, e);
  }

  private static void close(Directory d) {
    if (d != null) {
      try {
        d.close();
      } catch (IOException ignored) {
        // the original failure is reported
      }
    }
  }

  private Set<String> storedPaths() throws IOException {
    Set<String> out = new HashSet<>();
    IndexSearcher s = searchers.acquire();
    try {
      for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
        StoredFields stored = ctx.reader().storedFields();
        Bits live = ctx.reader().getLiveDocs();
        for (int doc = 0; doc < ctx.reader().maxDoc(); doc++) {
          if (live == null || live.get(doc)) {
            out.add(stored.document(doc, Set.of(PATH)).get(PATH));
          }
        }
      }
    } finally {
      searchers.release(s);
    }
    return out;
  }

  public Path directory() {
    return dir;
  }

  public int dimension() {
    return dimension;
  }

  public String fingerprint() {
    return info.get(KEY_FINGERPRINT);
  }

  /** The commit data: fingerprint, dimension, HNSW settings and what the builder stored. */
  public Map<String, String> info() {
    return info;
  }

  public Options options() {
    return new Options(Integer.parseInt(info.get(KEY_M)), Integer.parseInt(info.get(KEY_BEAM)),
        Boolean.parseBoolean(info.get(KEY_QUANTISED)));
  }

  /** Whether an entry of this path is in the index (writers only). */
  public synchronized boolean contains(String path) {
    requireWriter();
    return paths.contains(path);
  }

  /**
   * Adds the entries whose paths are not in the index yet (and not repeated within the batch), then commits; returns
   * how many were added. Each vector must have {@link #dimension()} finite values, not all zero.
   */
  public synchronized int add(List<Entry> entries) {
    requireWriter();
    int added = 0;
    Set<String> batch = new HashSet<>();
    try {
      for (Entry e : entries) {
        if (paths.contains(e.path()) || !batch.add(e.path())) {
          continue;
        }
        writer.addDocument(document(e));
        added++;
      }
      writer.commit();
      paths.addAll(batch);
      searchers.maybeRefreshBlocking();
    } catch (IOException | RuntimeException ex) {
      try {
        writer.rollback();
      } catch (IOException ignored) {
        // reported below
      }
      throw failure(dir, ex);
    }
    return added;
  }

  /** Removes the entries of these paths and commits; returns how many were in the index. */
  public synchronized int delete(Collection<String> remove) {
    requireWriter();
    int n = 0;
    try {
      for (String p : remove) {
        if (paths.contains(p)) {
          writer.deleteDocuments(new Term(PATH, p));
          n++;
        }
      }
      writer.commit();
      paths.removeAll(remove);
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw failure(dir, e);
    }
    return n;
  }

  /** Merges the index into one segment (one HNSW graph): slower to build, faster to search. Commits. */
  public synchronized void forceMerge() {
    requireWriter();
    try {
      writer.forceMerge(1);
      writer.commit();
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw failure(dir, e);
    }
  }

  private Document document(Entry e) {
    if (e.vector().length != dimension) {
      throw new IbreidException("feature of " + e.path() + " has " + e.vector().length + " columns, the index "
          + dir + " holds " + dimension);
    }
    Document d = new Document();
    d.add(new StringField(PATH, e.path(), Field.Store.YES));
    d.add(new IntPoint(IDENTITY, e.identity()));
    d.add(new StoredField(IDENTITY, e.identity()));
    d.add(new IntPoint(CAMERA, e.camera()));
    d.add(new StoredField(CAMERA, e.camera()));
    d.add(new StringField(MODALITY, e.modality() == null ? "" : e.modality(), Field.Store.YES));
    d.add(new LongPoint(TIME, e.time()));
    d.add(new StoredField(TIME, e.time()));
    d.add(new KnnFloatVectorField(VECTOR, unit(e.vector(), e.path()), VectorSimilarityFunction.DOT_PRODUCT));
    return d;
  }

  static float[] unit(float[] v, String what) {
    double n = 0;
    for (float x : v) {
      if (!Float.isFinite(x)) {
        throw new IbreidException("feature of " + what + " has a non-finite value");
      }
      n += (double) x * x;
    }
    if (n == 0) {
      throw new IbreidException("feature of " + what + " is all zeros");
    }
    float[] out = new float[v.length];
    double inv = 1 / Math.sqrt(n);
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] * inv);
    }
    return out;
  }

  /** Entries in the index (as of the last refresh). */
  public int size() {
    IndexSearcher s = acquire();
    try {
      return s.getIndexReader().numDocs();
    } finally {
      release(s);
    }
  }

  /** Bytes of the index's files on disk. */
  public long bytesOnDisk() {
    try (var files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code k} entries most similar to {@code query} that pass {@code filter}, by approximate HNSW search with
   * {@code efSearch} candidates (at least k), most similar first.
   *
   * @throws IbreidException when {@code fingerprint} differs from the index's (the query came from another run)
   */
  public List<Hit> search(float[] query, String fingerprint, int k, int efSearch, IndexFilter filter) {
    check(query, fingerprint, k);
    float[] q = unit(query, "the query");
    IndexSearcher s = acquire();
    try {
      Query knn = new KnnFloatVectorQuery(VECTOR, q, Math.max(k, efSearch), filter == null ? null : filter.query());
      TopDocs top = s.search(knn, Math.max(k, efSearch));
      List<Hit> hits = new ArrayList<>();
      StoredFields stored = s.storedFields();
      for (ScoreDoc sd : top.scoreDocs) {
        if (hits.size() == k) {
          break;
        }
        hits.add(hit(stored, sd.doc, hits.size() + 1, 2.0 * sd.score - 1.0));
      }
      return hits;
    } catch (IOException e) {
      throw failure(dir, e);
    } finally {
      release(s);
    }
  }

  /**
   * The Lucene document numbers of the {@code k} nearest entries by HNSW search ({@code efSearch} candidates), most
   * similar first, without reading their stored fields: for benchmarks, where an entry's number is its position in
   * the order of adding as long as the index is one segment with no deletion.
   */
  public int[] searchDocs(float[] query, int k, int efSearch) {
    IndexSearcher s = acquire();
    try {
      TopDocs top = s.search(new KnnFloatVectorQuery(VECTOR, query, Math.max(k, efSearch)), Math.max(k, efSearch));
      int n = Math.min(k, top.scoreDocs.length);
      int[] docs = new int[n];
      for (int i = 0; i < n; i++) {
        docs[i] = top.scoreDocs[i].doc;
      }
      return docs;
    } catch (IOException e) {
      throw failure(dir, e);
    } finally {
      release(s);
    }
  }

  /** The vector formats of the index's segments (Lucene's per-field format names), in segment order, distinct. */
  public List<String> vectorFormats() {
    IndexSearcher s = acquire();
    try {
      return s.getIndexReader().leaves().stream()
          .map(l -> l.reader().getFieldInfos().fieldInfo(VECTOR))
          .filter(java.util.Objects::nonNull)
          .map(f -> f.getAttribute("PerFieldKnnVectorsFormat.format"))
          .distinct().toList();
    } finally {
      release(s);
    }
  }

  /** Segments of the index (as of the last refresh). */
  public int segments() {
    IndexSearcher s = acquire();
    try {
      return s.getIndexReader().leaves().size();
    } finally {
      release(s);
    }
  }

  /** As {@link #search}, by exact scan of every vector that passes the filter (the reference for recall). */
  public List<Hit> searchExact(float[] query, String fingerprint, int k, IndexFilter filter) {
    check(query, fingerprint, k);
    float[] q = unit(query, "the query");
    IndexSearcher s = acquire();
    try {
      Query fq = filter == null ? null : filter.query();
      Weight w = fq == null ? null : s.createWeight(s.rewrite(fq), ScoreMode.COMPLETE_NO_SCORES, 1f);
      PriorityQueue<float[]> heap = new PriorityQueue<>(k + 1, (a, b) -> Float.compare(a[0], b[0]));
      for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
        FloatVectorValues values = ctx.reader().getFloatVectorValues(VECTOR);
        if (values == null) {
          continue;
        }
        DocIdSetIterator allowed = null;
        if (w != null) {
          Scorer scorer = w.scorer(ctx);
          if (scorer == null) {
            continue;
          }
          allowed = scorer.iterator();
        }
        Bits live = ctx.reader().getLiveDocs();
        for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
          if (live != null && !live.get(doc)) {
            continue;
          }
          if (allowed != null) {
            if (allowed.docID() < doc) {
              allowed.advance(doc);
            }
            if (allowed.docID() != doc) {
              continue;
            }
          }
          float score = VectorUtil.dotProduct(q, values.vectorValue());
          if (heap.size() < k) {
            heap.add(new float[] {score, ctx.docBase + doc});
          } else if (score > heap.peek()[0]) {
            heap.poll();
            heap.add(new float[] {score, ctx.docBase + doc});
          }
        }
      }
      List<float[]> best = new ArrayList<>(heap);
      best.sort((a, b) -> a[0] != b[0] ? Float.compare(b[0], a[0]) : Float.compare(a[1], b[1]));
      List<Hit> hits = new ArrayList<>();
      StoredFields stored = s.storedFields();
      for (float[] b : best) {
        hits.add(hit(stored, (int) b[1], hits.size() + 1, b[0]));
      }
      return hits;
    } catch (IOException e) {
      throw failure(dir, e);
    } finally {
      release(s);
    }
  }

  private void check(float[] query, String fingerprint, int k) {
    checkFingerprint(dir, info, fingerprint);
    if (query.length != dimension) {
      throw new IbreidException("the query has " + query.length + " columns, index " + dir + " holds " + dimension);
    }
    if (k < 1) {
      throw new IbreidException("top k must be at least 1, got " + k);
    }
  }

  private static Hit hit(StoredFields stored, int doc, int rank, double similarity) throws IOException {
    Document d = stored.document(doc);
    return new Hit(rank, similarity, d.get(PATH), d.getField(IDENTITY).numericValue().intValue(),
        d.getField(CAMERA).numericValue().intValue(), d.get(MODALITY), d.getField(TIME).numericValue().longValue());
  }

  private IndexSearcher acquire() {
    try {
      if (writer == null) {
        searchers.maybeRefresh();
      }
      return searchers.acquire();
    } catch (IOException e) {
      throw failure(dir, e);
    }
  }

  private void release(IndexSearcher s) {
    try {
      searchers.release(s);
    } catch (IOException e) {
      throw failure(dir, e);
    }
  }

  private void requireWriter() {
    if (writer == null) {
      throw new IbreidException("index " + dir + " was opened for reading only");
    }
  }

  @Override
  public synchronized void close() {
    try {
      searchers.close();
      if (writer != null) {
        writer.rollback(); // everything added was committed; rollback only releases the lock
      }
      directory.close();
    } catch (IOException e) {
      throw failure(dir, e);
    }
  }
}
