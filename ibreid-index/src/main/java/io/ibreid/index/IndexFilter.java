package io.ibreid.index;

import java.util.Set;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Which gallery entries a search may return, applied inside the vector search (Lucene's filtered HNSW search,
 * which falls back to an exact scan when the filter leaves few entries), not to its results. Every part is optional
 * (null: no condition): cameras kept, cameras excluded ("other cameras only"), the modality, identities kept, and a
 * capture-time window [from, to] (inclusive, epoch milliseconds).
 */
public record IndexFilter(Set<Integer> cameras, Set<Integer> excludedCameras, String modality, Set<Integer> identities,
    Long from, Long to) {
  /** No condition. */
  public static final IndexFilter NONE = new IndexFilter(null, null, null, null, null, null);

  public IndexFilter withCameras(Set<Integer> c) {
    return new IndexFilter(c, excludedCameras, modality, identities, from, to);
  }

  public IndexFilter withoutCameras(Set<Integer> c) {
    return new IndexFilter(cameras, c, modality, identities, from, to);
  }

  public IndexFilter withModality(String m) {
    return new IndexFilter(cameras, excludedCameras, m, identities, from, to);
  }

  public IndexFilter withIdentities(Set<Integer> ids) {
    return new IndexFilter(cameras, excludedCameras, modality, ids, from, to);
  }

  public IndexFilter withTime(Long fromMillis, Long toMillis) {
    return new IndexFilter(cameras, excludedCameras, modality, identities, fromMillis, toMillis);
  }

  public boolean isEmpty() {
    return cameras == null && excludedCameras == null && modality == null && identities == null && from == null
        && to == null;
  }

  /** Whether an entry passes (the same test as {@link #query()}, for exact search and tests). */
  public boolean accepts(GalleryIndex.Entry e) {
    return (cameras == null || cameras.contains(e.camera()))
        && (excludedCameras == null || !excludedCameras.contains(e.camera()))
        && (modality == null || modality.equals(e.modality()))
        && (identities == null || identities.contains(e.identity()))
        && (from == null || e.time() >= from) && (to == null || e.time() <= to);
  }

  /** The Lucene query of the filter (null when it has no condition). */
  Query query() {
    if (isEmpty()) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.FILTER);
    if (cameras != null) {
      b.add(IntPoint.newSetQuery(GalleryIndex.CAMERA, cameras), Occur.FILTER);
    }
    if (excludedCameras != null && !excludedCameras.isEmpty()) {
      b.add(IntPoint.newSetQuery(GalleryIndex.CAMERA, excludedCameras), Occur.MUST_NOT);
    }
    if (modality != null) {
      b.add(new TermQuery(new Term(GalleryIndex.MODALITY, modality)), Occur.FILTER);
    }
    if (identities != null) {
      b.add(IntPoint.newSetQuery(GalleryIndex.IDENTITY, identities), Occur.FILTER);
    }
    if (from != null || to != null) {
      b.add(LongPoint.newRangeQuery(GalleryIndex.TIME, from == null ? Long.MIN_VALUE : from,
          to == null ? Long.MAX_VALUE : to), Occur.FILTER);
    }
    return b.build();
  }
}
