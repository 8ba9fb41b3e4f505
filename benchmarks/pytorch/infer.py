#!/usr/bin/env python3
"""Feature extraction img/s in PyTorch for the demo's branch (fast-resnet width 32, stages 1,1,1, D 512 with a
BN-neck, mlp bottleneck 512 -> 256, the z feature, L2-normalised), eval mode, no gradient, float32: the PyTorch
column next to benchmarks/onnx (ibreid's own extraction and ONNX Runtime on the run's export). Weights are random
(the time does not depend on them). Prints one JSON line.

  /usr/bin/python3 benchmarks/pytorch/infer.py [--batch 64] [--threads 2] [--input 3x64x32] [--rounds 8]
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import step  # noqa: E402  (the same network definition as the training-step benchmark)
import torch  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--input", default="3x64x32")
    p.add_argument("--rounds", type=int, default=8)
    p.add_argument("--channels-last", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    c, h, w = (int(x) for x in a.input.split("x"))
    args = argparse.Namespace(model="fast-resnet", channels=c, width=32, stages=[1, 1, 1], dim=512, hidden=512,
                              z_dim=256, classes=395)
    branch = step.Branch(args)
    neck = torch.nn.BatchNorm1d(512)
    branch.eval()
    neck.eval()
    x = torch.randn(a.batch, c, h, w)
    if a.channels_last:
        branch = branch.to(memory_format=torch.channels_last)
        x = x.to(memory_format=torch.channels_last)

    def feature(x):
        v = neck(branch.trunk(x))
        z = branch.z_bn(branch.z(torch.relu(branch.h1_bn(branch.h1(v)))))
        return torch.nn.functional.normalize(z, dim=1)

    with torch.no_grad():
        for _ in range(2):
            feature(x)
        t0 = time.time()
        for _ in range(a.rounds):
            feature(x)
        s = time.time() - t0
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(json.dumps({"engine": f"pytorch {torch.__version__} ({a.threads} threads"
                      + (", channels-last" if a.channels_last else "") + ")", "input": a.input, "batch": a.batch,
                      "images": a.rounds * a.batch, "img_per_s": round(a.rounds * a.batch / s, 1),
                      "cpu": step.cpu_model(), "load": load}))


if __name__ == "__main__":
    main()
