#!/usr/bin/python3
"""Loads an ibreid safetensors export into torchvision's own ResNet and compares its output with ibreid's.

    /usr/bin/python3 benchmarks/pytorch/safetensors_check.py DIR

DIR holds what ibreid's SafetensorsPyTorchCheckTest writes (-Dibreid.safetensorsCheck=DIR): backbone.safetensors
(`ibreid export --format safetensors`), input.npy (the preprocessed batch, N x 3*H*W float32: RGB / 255, ImageNet
mean/std, H and W from the file's metadata), trunk.npy (ibreid's pooled trunk output, N x C) and v.npy (ibreid's
observation v: the pooled output through the branch's BN-neck, inference mode). Not part of the build or CI.

It builds torchvision.models.<architecture>() exactly as a PyTorch user would, sets the last stage's stride to the
run's (ibreid's default is 1, torchvision's 2), loads the whole file with load_state_dict(strict=False), requires
the missing keys to be fc.weight and fc.bias only and the unexpected ones to be the ibreid.* keys the metadata lists,
then runs the network in eval mode up to the global average pooling and applies the exported BN-neck as a
BatchNorm1d. It prints the largest absolute differences from ibreid's trunk output and v and exits 1 when either
exceeds 1e-4 of the largest |value|. The safetensors package is not needed (Debian does not package it): the file
is read with numpy (8-byte little-endian header length, JSON header, raw little-endian data).
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torchvision

DTYPES = {'F32': np.float32, 'F64': np.float64, 'I64': np.int64, 'F16': np.float16}


def read_safetensors(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop('__metadata__', {})
    tensors = {}
    for key, spec in header.items():
        begin, end = spec['data_offsets']
        a = np.frombuffer(data[begin:end], dtype=np.dtype(DTYPES[spec['dtype']]).newbyteorder('<'))
        tensors[key] = torch.from_numpy(a.reshape(spec['shape']).copy())
    return tensors, meta


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    d = sys.argv[1]
    tensors, meta = read_safetensors(os.path.join(d, 'backbone.safetensors'))
    arch = meta['ibreid.architecture']  # torchvision.models.resnet50
    model = getattr(torchvision.models, arch.split('.')[-1])()
    if int(meta['ibreid.encoder.width']) != 64:
        sys.exit('this check needs a full-width export (torchvision.models builds width 64); got width '
                 + meta['ibreid.encoder.width'])
    if int(meta['ibreid.encoder.lastStride']) == 1:  # Re-ID's last stride 1
        block = model.layer4[0]
        (block.conv2 if hasattr(block, 'conv3') else block.conv1).stride = (1, 1)
        if block.downsample is not None:
            block.downsample[0].stride = (1, 1)
    result = model.load_state_dict(tensors, strict=False)  # the whole file, as a user would
    extra = [k for k in tensors if k.startswith('ibreid.')]
    print('%s <- %d tensors, load_state_dict(strict=False): missing %s, unexpected %s'
          % (arch, len(tensors), result.missing_keys, result.unexpected_keys))
    listed = [k for k in meta.get('ibreid.keys.extra', '').split(',') if k]
    ok = sorted(result.missing_keys) == ['fc.bias', 'fc.weight'] and result.unexpected_keys == extra == listed
    model.eval()
    h, w = int(meta['ibreid.input.height']), int(meta['ibreid.input.width'])
    x = torch.from_numpy(np.load(os.path.join(d, 'input.npy')).reshape(-1, 3, h, w))
    with torch.no_grad():
        m = model
        y = m.maxpool(m.relu(m.bn1(m.conv1(x))))
        y = m.layer4(m.layer3(m.layer2(m.layer1(y))))
        pooled = torch.flatten(m.avgpool(y), 1)
        neck = 'ibreid.%s.bnneck.' % meta['ibreid.branch']
        if neck + 'weight' in tensors:
            v = torch.nn.functional.batch_norm(pooled, tensors[neck + 'running_mean'], tensors[neck + 'running_var'],
                                               tensors[neck + 'weight'], tensors[neck + 'bias'], training=False,
                                               eps=float(meta.get('ibreid.batchnorm.eps', 1e-5)))
        else:
            v = pooled
    trunk_ibreid = np.load(os.path.join(d, 'trunk.npy'))
    v_ibreid = np.load(os.path.join(d, 'v.npy'))
    for name, ours, theirs in (('pooled trunk', trunk_ibreid, pooled.numpy()), ('v', v_ibreid, v.numpy())):
        diff = float(np.abs(ours - theirs).max())
        scale = float(np.abs(ours).max())
        print('%-12s %d x %d: max abs difference %.3g, largest |value| %.4g, relative %.3g'
              % (name, ours.shape[0], ours.shape[1], diff, scale, diff / max(scale, 1e-30)))
        ok = ok and diff <= 1e-4 * max(scale, 1.0)
    print('torch %s, torchvision %s, %d threads; %s' % (torch.__version__, torchvision.__version__,
                                                        torch.get_num_threads(), 'OK' if ok else 'FAILED'))
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
