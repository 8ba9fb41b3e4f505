#!/usr/bin/python3
"""Writes torchvision-state-dicts.json: the key names, dtypes and shapes of torchvision's own ResNet-18, -34, -50 and
-101 state dicts (torchvision.models.resnetNN(), no weights downloaded: the layout does not depend on the values),
in torchvision's order. TorchvisionStateDictTest checks TorchvisionResNet.stateDict(64, 1000) against it, and the
safetensors export's tests check an exported backbone's keys against it, so neither the build nor CI needs Python.

How to run it (its output is committed; rerun only when torchvision's layout is in question):

    /usr/bin/python3 torch-weights/src/test/python/torchvision_state_dicts.py

(Debian 12: python3-torch 1.13, python3-torchvision 0.14.) It writes into
torch-weights/src/test/resources/io/ibreid/weights/fixtures/ (override with --out).
"""
import argparse
import json
import os

import torch
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, '..', 'resources', 'io', 'ibreid', 'weights', 'fixtures')
NETWORKS = ['resnet18', 'resnet34', 'resnet50', 'resnet101']


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default=DEFAULT_OUT)
    args = parser.parse_args()
    out = {
        'torch': torch.__version__,
        'torchvision': torchvision.__version__,
        'generator': 'torch-weights/src/test/python/torchvision_state_dicts.py',
        'state_dicts': {},
    }
    for name in NETWORKS:
        model = getattr(torchvision.models, name)()  # random initialisation, nothing downloaded
        out['state_dicts'][name] = [
            {'key': k, 'dtype': str(v.dtype).replace('torch.', ''), 'shape': list(v.shape)}
            for k, v in model.state_dict().items()]
    path = os.path.join(args.out, 'torchvision-state-dicts.json')
    with open(path, 'w') as f:
        f.write('{\n')
        f.write(' "torch": %s,\n "torchvision": %s,\n "generator": %s,\n "state_dicts": {\n' % (
            json.dumps(out['torch']), json.dumps(out['torchvision']), json.dumps(out['generator'])))
        names = list(out['state_dicts'])
        for i, name in enumerate(names):
            f.write('  %s: [\n' % json.dumps(name))
            rows = out['state_dicts'][name]
            f.write(',\n'.join('   ' + json.dumps(r) for r in rows))
            f.write('\n  ]%s\n' % (',' if i < len(names) - 1 else ''))
        f.write(' }\n}\n')
    for name in NETWORKS:
        print(name, len(out['state_dicts'][name]), 'keys')
    print('wrote', path)


if __name__ == '__main__':
    main()
