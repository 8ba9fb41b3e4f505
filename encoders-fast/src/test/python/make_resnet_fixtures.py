#!/usr/bin/python3
"""Writes encoders-fast's fixtures for the torchvision ResNets that torch-weights' fixtures do not cover: ResNet-34
(basic blocks 3, 4, 6, 3) and ResNet-101 (bottlenecks 3, 4, 23, 3) at width 2, with PyTorch's pooled feature in
eval and training mode, last stride 1 and 2, double and float. ResNet-50 and ResNet-18 come from
torch-weights/src/test/python/make_fixtures.py, whose model builder, randomisation and writers this script reuses.

How to run it (never needed by the build or CI: its output is committed):

    sudo apt-get install python3-torch python3-torchvision    # Debian 12: torch 1.13, torchvision 0.14
    /usr/bin/python3 encoders-fast/src/test/python/make_resnet_fixtures.py

It writes into encoders-fast/src/test/resources/io/ibreid/encoders/fast/fixtures/ (override with --out):
- resnet34-w2.pth, resnet101-w2.pth (zip format): torchvision's key names, every batch norm randomised.
- input-f64.npy, input-f32.npy: the batch, 2x3x64x32 NCHW (the same values as torch-weights' resnet50-w4 input).
- resnet34-w2/{eval,train}-ls{1,2}-{f64,f32}/pool.npy and the same for resnet101-w2: PyTorch's global average pool,
  each configuration from a fresh copy of the saved state, in double (model and input .double()) or float.
Deterministic: fixed seeds, one thread.
"""
import argparse
import copy
import os
import sys

import torch
import torchvision
from torchvision.models.resnet import BasicBlock, Bottleneck

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', '..', '..', 'torch-weights', 'src', 'test', 'python'))
import make_fixtures as mf  # noqa: E402

DEFAULT_OUT = os.path.join(HERE, '..', 'resources', 'io', 'ibreid', 'encoders', 'fast', 'fixtures')
NETWORKS = [('resnet34', BasicBlock, [3, 4, 6, 3], torchvision.models.resnet34, 30),
            ('resnet101', Bottleneck, [3, 4, 23, 3], torchvision.models.resnet101, 40)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--out', default=DEFAULT_OUT)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    x64 = torch.randn(2, 3, 64, 32, dtype=torch.float64, generator=torch.Generator().manual_seed(mf.SEED + 3))
    mf.save_npy(x64.numpy(), os.path.join(out, 'input-f64.npy'))
    mf.save_npy(x64.float().numpy(), os.path.join(out, 'input-f32.npy'))
    for name, block, layers, factory, seed in NETWORKS:
        mf.check_layout_against_torchvision(block, layers, factory)
        model = mf.build(block, layers, 2, 10, mf.SEED + seed)
        torch.save(model.state_dict(), os.path.join(out, name + '-w2.pth'))
        for mode in ('eval', 'train'):
            for last_stride in (1, 2):
                for precision in ('f64', 'f32'):
                    m = copy.deepcopy(model)
                    mf.set_last_stride(m, last_stride)
                    x = x64 if precision == 'f64' else x64.float()
                    if precision == 'f64':
                        m = m.double()
                    m.train(mode == 'train')
                    with torch.no_grad():
                        pool = mf.stages(m, None, x)['pool']
                    mf.save_npy(pool.numpy(), os.path.join(out, '%s-w2' % name,
                                                           '%s-ls%d-%s' % (mode, last_stride, precision),
                                                           'pool.npy'))
    total = sum(os.path.getsize(os.path.join(d, n)) for d, _, names in os.walk(out) for n in names)
    print('wrote %s: %.2f MB' % (out, total / 1e6))


if __name__ == '__main__':
    sys.exit(main())
