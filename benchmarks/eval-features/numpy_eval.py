#!/usr/bin/env python3
"""A straightforward numpy implementation of `ibreid eval-features --protocol sysu` (cosine distance).

Same definitions: the ranked list of a query is the gallery sorted by distance (ties by gallery index), without
the camera-2 images when the query comes from camera 3 (SYSU-MM01: same place). CMC counts each gallery identity
once, in rank order; AP and INP (= number of true matches / rank of the last one) use the whole list; queries
without a valid match are skipped. Prints the same JSON object as ibreid (percent)."""
import csv
import json
import sys

import numpy as np


def meta(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return np.array([int(r["pid"]) for r in rows]), np.array([int(r["camid"]) for r in rows])


qf, gf = np.load(sys.argv[1]), np.load(sys.argv[3])
q_pid, q_cam = meta(sys.argv[2])
g_pid, g_cam = meta(sys.argv[4])

qf = qf / np.linalg.norm(qf, axis=1, keepdims=True)
gf = gf / np.linalg.norm(gf, axis=1, keepdims=True)
dist = 1 - qf @ gf.T
order = np.argsort(dist, axis=1, kind="stable")

hits = np.zeros(20)
aps, inps = [], []
for i in range(len(q_pid)):
    o = order[i]
    if q_cam[i] == 3:
        o = o[g_cam[o] != 2]
    ids = g_pid[o]
    match = ids == q_pid[i]
    if not match.any():
        continue
    _, first = np.unique(ids, return_index=True)
    distinct = ids[np.sort(first)]
    pos = np.flatnonzero(distinct == q_pid[i])[0]
    if pos < 20:
        hits[pos] += 1
    ranks = np.flatnonzero(match) + 1
    aps.append(np.mean(np.arange(1, len(ranks) + 1) / ranks))
    inps.append(len(ranks) / ranks[-1])

valid = len(aps)
cmc = np.cumsum(hits) / valid * 100
out = {"rank1": cmc[0], "rank5": cmc[4], "rank10": cmc[9], "rank20": cmc[19], "mAP": np.mean(aps) * 100,
       "mINP": np.mean(inps) * 100, "cmc": cmc.tolist(), "validQueries": valid,
       "skippedQueries": len(q_pid) - valid}
print(json.dumps({k: (float(v) if isinstance(v, np.floating) else v) for k, v in out.items()}))
