#!/usr/bin/python3
"""FAISS's side of benchmarks/index (run.sh): on the vectors vectors.py wrote, IndexHNSWFlat (inner product) with the
same M and efConstruction as the Lucene index, recall@10 against the exact top 10 and queries per second at 1 and 2
threads for each efSearch; exact IndexFlatIP, queries one at a time and as one batch; build time, bytes of the
written index, peak RSS. One JSON object per line on stdout.

Usage: faiss_bench.py VECTORS_DIR INDEX_FILE M EF_CONSTRUCTION EF1,EF2,...
"""
import json
import os
import platform
import resource
import sys
import time

import faiss
import numpy as np


def cpu():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip() + " x" + str(os.cpu_count())
    return platform.processor()


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def recall(found, truth, k=10):
    return float(np.mean([len(set(found[q, :k]) & set(truth[q, :k])) / k for q in range(len(found))]))


def main():
    vdir, index_file, m, efc, efs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    meta = json.load(open(os.path.join(vdir, "vectors.json")))
    d = meta["d"]
    base = np.fromfile(os.path.join(vdir, "base.f32"), dtype=np.float32).reshape(-1, d)
    queries = np.fromfile(os.path.join(vdir, "queries.f32"), dtype=np.float32).reshape(-1, d)
    truth = np.load(os.path.join(vdir, "gt.npy"))[:, :10]
    common = {"engine": "faiss-" + faiss.__version__, "n": len(base), "d": d, "M": m, "efConstruction": efc,
              "cpu": cpu()}

    def emit(**kw):
        print(json.dumps({**common, **kw, "load": load()}), flush=True)

    search_only = "--search-only" in sys.argv  # read the index an earlier run wrote; searches only
    faiss.omp_set_num_threads(1)
    if search_only:
        index = faiss.read_index(index_file)
    else:
        t0 = time.time()
        index = faiss.IndexHNSWFlat(d, m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = efc
        index.add(base)
        build1 = time.time() - t0
        faiss.write_index(index, index_file)
        emit(phase="build", threads=1, seconds=round(build1, 1), bytes=os.path.getsize(index_file))

    for ef in [int(e) for e in efs.split(",")]:
        index.hnsw.efSearch = ef
        for threads in (1, 2):
            faiss.omp_set_num_threads(threads)
            index.search(queries[:200], 10)  # warm-up
            t0 = time.time()
            _, found = index.search(queries, 10)
            s = time.time() - t0
            emit(phase="search", efSearch=ef, threads=threads, recall10=round(recall(found, truth), 4),
                 qps=round(len(queries) / s, 1))

    if search_only:
        return
    flat = faiss.IndexFlatIP(d)
    flat.add(base)
    n1 = 50 if len(base) > 200_000 else 200
    for threads in (1, 2):
        faiss.omp_set_num_threads(threads)
        t0 = time.time()
        found = np.stack([flat.search(queries[q:q + 1], 10)[1][0] for q in range(n1)])
        s = time.time() - t0
        emit(phase="exact-one-at-a-time", threads=threads, queries=n1, recall10=round(recall(found, truth[:n1]), 4),
             qps=round(n1 / s, 2))
        t0 = time.time()
        _, found = flat.search(queries, 10)
        s = time.time() - t0
        emit(phase="exact-batch", threads=threads, queries=len(queries),
             recall10=round(recall(found, truth), 4), qps=round(len(queries) / s, 1))
    emit(phase="memory", peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


if __name__ == "__main__":
    main()
