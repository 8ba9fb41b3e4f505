#!/usr/bin/env python3
"""Random SYSU-MM01-sized features for the eval-features benchmark.

Writes OUT/query.npy + query.csv (3,803 infrared queries, cameras 3 and 6) and OUT/gallery.npy + gallery.csv
(3,010 visible images, cameras 1, 2, 4, 5: ten per identity and camera, as in a multi-shot trial), float32,
2048-d, 96 identities. A feature is 0.2 * (its identity's centre) + unit Gaussian noise, so that the metrics are
in the range real models reach (rank-1 around 50 %). With --per-group 20 --gallery 6020 the gallery file holds the
candidates from which the 10-trial protocol draws ten images per group."""
import argparse
import os

import numpy as np

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--queries", type=int, default=3803)
p.add_argument("--gallery", type=int, default=3010)
p.add_argument("--dim", type=int, default=2048)
p.add_argument("--ids", type=int, default=96)
p.add_argument("--per-group", type=int, default=10,
               help="gallery images per (identity, camera) group (20 + --gallery 6020: trial candidates)")
p.add_argument("--seed", type=int, default=0)
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
rng = np.random.default_rng(a.seed)
centres = rng.standard_normal((a.ids, a.dim), dtype=np.float32)

# gallery: ten images per (identity, camera) group, groups taken in order until the size is reached
groups = [(pid, cam) for pid in range(a.ids) for cam in (1, 2, 4, 5)]
rng.shuffle(groups)
g_pid, g_cam = [], []
for pid, cam in groups:
    take = min(a.per_group, a.gallery - len(g_pid))
    g_pid += [pid] * take
    g_cam += [cam] * take
    if len(g_pid) == a.gallery:
        break
g_pid = np.array(g_pid)
g_cam = np.array(g_cam)
q_pid = rng.integers(0, a.ids, a.queries)
q_cam = rng.choice([3, 6], a.queries)


def feats(pids):
    f = rng.standard_normal((len(pids), a.dim), dtype=np.float32)
    f += np.float32(0.2) * centres[pids]
    return f


for name, pids, cams in (("query", q_pid, q_cam), ("gallery", g_pid, g_cam)):
    np.save(os.path.join(a.out, name + ".npy"), feats(pids))
    with open(os.path.join(a.out, name + ".csv"), "w") as f:
        f.write("path,pid,camid\n")
        for i, (pid, cam) in enumerate(zip(pids, cams)):
            f.write(f"cam{cam}/{pid + 1:04d}/{i:04d}.jpg,{pid + 1},{cam}\n")
print(f"wrote {a.queries} queries and {len(g_pid)} gallery images ({a.dim}-d) to {a.out}")
