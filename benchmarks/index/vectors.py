#!/usr/bin/python3
"""Gallery vectors for the index benchmark, from real features of a trained run.

Usage: vectors.py FEATURES.npy[,MORE.npy...] N OUT_DIR [--queries 1000] [--seed 1]

Real features (rows of the .npy files `bin/ibreid extract` writes) are L2-normalised. `--queries` of them, chosen at
random, are held out: they never enter the gallery. The gallery is the other real features ("copy 0") followed by
rotated copies about their mean: copy k holds  normalise(mu + Q_k (x - mu))  for every real x, with Q_k a random
orthogonal matrix (QR of a Gaussian matrix, sign-fixed) and mu the mean real feature. A rotation about the mean
preserves every distance inside a copy, so each copy has exactly the neighbourhood structure of the real features
(identities, cameras, modality gaps), while the copies overlap around the same mean in different orientations,
like other people seen by other cameras. The first N rows are kept. Each query is a held-out real feature mapped by
the rotation of a random copy that the N rows contain, so it has true neighbours (its identity's other images in
that copy) without being in the gallery.

Writes OUT_DIR/base.f32 (N x d float32, row-major), queries.f32 (Q x d), gt.npy (Q x 100 int64: exact top 100 by
inner product, i.e. cosine, from FAISS IndexFlatIP) and vectors.json (sizes and the method's parameters).
"""
import json
import os
import sys

import numpy as np


def main():
    args = sys.argv[1:]
    opts = {"--queries": "1000", "--seed": "1"}
    pos = []
    i = 0
    while i < len(args):
        if args[i] in opts:
            opts[args[i]] = args[i + 1]
            i += 2
        else:
            pos.append(args[i])
            i += 1
    files, n, out = pos[0].split(","), int(pos[1]), pos[2]
    nq, seed = int(opts["--queries"]), int(opts["--seed"])
    rng = np.random.default_rng(seed)
    real = np.concatenate([np.load(f).astype(np.float32) for f in files])
    real /= np.maximum(np.linalg.norm(real, axis=1, keepdims=True), 1e-12)
    d = real.shape[1]
    order = rng.permutation(len(real))
    held, kept = real[order[:nq]], real[order[nq:]]
    mu = kept.mean(axis=0)
    copies = -(-n // len(kept))
    base = np.empty((copies * len(kept), d), dtype=np.float32)
    rotations = [np.eye(d, dtype=np.float32)]
    for k in range(1, copies):
        q, r = np.linalg.qr(rng.standard_normal((d, d)))
        rotations.append((q * np.sign(np.diag(r))).astype(np.float32))
    for k, rot in enumerate(rotations):
        block = mu + (kept - mu) @ rot.T
        base[k * len(kept):(k + 1) * len(kept)] = block
    base = base[:n]
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    used = -(-n // len(kept))
    which = rng.integers(0, used, size=nq)
    queries = np.stack([mu + (held[j] - mu) @ rotations[which[j]].T for j in range(nq)]).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    import faiss
    flat = faiss.IndexFlatIP(d)
    flat.add(base)
    _, gt = flat.search(queries, 100)
    os.makedirs(out, exist_ok=True)
    base.tofile(os.path.join(out, "base.f32"))
    queries.tofile(os.path.join(out, "queries.f32"))
    np.save(os.path.join(out, "gt.npy"), gt.astype(np.int64))
    with open(os.path.join(out, "vectors.json"), "w") as f:
        json.dump({"n": int(n), "d": int(d), "queries": nq, "real": int(len(real)), "held_out": nq,
                   "copies": int(used), "seed": seed, "sources": files,
                   "method": "rotated copies about the mean (vectors.py docstring)"}, f, indent=1)
    print(f"{n} x {d} gallery from {len(kept)} real features in {used} copies; {nq} queries -> {out}")


if __name__ == "__main__":
    main()
