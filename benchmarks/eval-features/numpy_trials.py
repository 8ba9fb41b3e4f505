#!/usr/bin/env python3
"""A straightforward numpy implementation of the 10-trial SYSU-MM01 protocol as run by
`ibreid eval-features --protocol sysu --trials 10 --shots 10 --mode all` (cosine distance).

Each trial draws its gallery from the candidate file exactly as ibreid's TrialSampler documents (per (camera,
identity) group: images sorted by path, Fisher-Yates shuffle driven by SplitMix64 seeded with
1000003 * (1000003 * (trial + 1) + camera) + pid, first `shots` kept), then scores the queries as numpy_eval.py
does. Prints the mean metrics (percent)."""
import csv
import json
import sys
from collections import defaultdict

import numpy as np

MASK = (1 << 64) - 1


def meta(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["path"] for r in rows], np.array([int(r["pid"]) for r in rows]), np.array([int(r["camid"]) for r in rows])


def draw(paths, pids, cams, trial, shots, cameras):
    groups = defaultdict(list)
    for i, (pid, cam) in enumerate(zip(pids, cams)):
        if cam in cameras:
            groups[(cam, pid)].append(i)
    chosen = []
    for (cam, pid), members in groups.items():
        order = sorted(members, key=lambda i: (paths[i], i))
        state = (1000003 * (1000003 * (trial + 1) + int(cam)) + int(pid)) & MASK
        for i in range(len(order) - 1, 0, -1):
            state = (state + 0x9E3779B97F4A7C15) & MASK
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            j = (z ^ (z >> 31)) % (i + 1)
            order[i], order[j] = order[j], order[i]
        chosen += order[:shots]
    return np.sort(np.array(chosen))


def evaluate(qf, q_pid, q_cam, gf, g_pid, g_cam):
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
    return np.cumsum(hits) / len(aps), np.mean(aps), np.mean(inps)


qf, gf = np.load(sys.argv[1]), np.load(sys.argv[3])
_, q_pid, q_cam = meta(sys.argv[2])
g_path, g_pid, g_cam = meta(sys.argv[4])
qf = qf / np.linalg.norm(qf, axis=1, keepdims=True)
gf = gf / np.linalg.norm(gf, axis=1, keepdims=True)
cmcs, maps, minps = [], [], []
for t in range(10):
    sel = draw(g_path, g_pid, g_cam, t, 10, (1, 2, 4, 5))
    cmc, m, inp = evaluate(qf, q_pid, q_cam, gf[sel], g_pid[sel], g_cam[sel])
    cmcs.append(cmc)
    maps.append(m)
    minps.append(inp)
cmc = np.mean(cmcs, axis=0) * 100
print(json.dumps({"rank1": cmc[0], "rank5": cmc[4], "rank10": cmc[9], "rank20": cmc[19],
                  "mAP": float(np.mean(maps) * 100), "mINP": float(np.mean(minps) * 100), "cmc": cmc.tolist(),
                  "trials": 10}))
