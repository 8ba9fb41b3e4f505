#!/usr/bin/python3
"""Writes torch-weights' test fixtures with PyTorch itself: torchvision's ResNet topology at reduced widths, saved
in both .pth formats and as .safetensors, an input batch, and PyTorch's outputs.

How to run it (never needed by the build or CI: its output is committed):

    sudo apt-get install python3-torch python3-torchvision    # Debian 12: torch 1.13, torchvision 0.14
    /usr/bin/python3 torch-weights/src/test/python/make_fixtures.py

It writes into torch-weights/src/test/resources/io/ibreid/weights/fixtures/ (override with --out). Its values are
deterministic (fixed seeds, one thread): rerunning it on the same torch version writes the same tensors and
outputs. Some bytes are not: legacy-format files name their storages by memory address, torchscript.pt differs
per run, and torch >= 2.0 puts a random serialization id in zip-format files. Only Debian's packages are used
(no pip): the .safetensors files are written here by hand (8-byte little-endian header length, JSON header, raw
little-endian data), since python3-safetensors is not packaged.

    /usr/bin/python3 torch-weights/src/test/python/make_fixtures.py --full-size /tmp/resnet50-full

writes a full-width random ResNet-50 (torchvision's own resnet50(), last stride 1, at 256x128: resnet50-full.pth,
-legacy.pth, .safetensors, input and outputs laid out as below), for a one-off comparison at full size (too large to
commit).

What is written (width w scales every channel count: stem w, stages w*(1, 2, 4, 8) planes; w = 64 is torchvision's):
- resnet50-w4.pth (zip format, torch >= 1.6), resnet50-w4-legacy.pth (legacy pickle stream, as
  _use_new_zipfile_serialization=False writes it), resnet50-w4.safetensors: one state dict, torchvision's key names,
  fc with 10 classes, batch-norm weights, biases, running statistics and num_batches_tracked all randomised.
- resnet50-w4-neck.safetensors: a BN-neck (BatchNorm1d over the 4 * 8 * w pooled channels; weight, bias, running_mean,
  running_var, num_batches_tracked), randomised.
- resnet50-w4/input-f64.npy, input-f32.npy: the input batch, 2x3x64x32 (NCHW); the float input is the double one
  rounded to float.
- resnet50-w4/{eval,train}-ls{1,2}-{f64,f32}/{layer4,pool,neck,logits}.npy: PyTorch's outputs with last stride 1
  or 2 (layer4[0]'s 3x3 and shortcut strides), in eval mode (running statistics) or training mode (batch
  statistics; each configuration starts from the saved state), in double (the model and input converted with
  .double()) or float. pool = global average pool, flattened; neck = the BN-neck applied to pool; logits = fc
  applied to pool. The stages before layer4 do not depend on the last stride and are written once per mode and
  precision: resnet50-w4/{eval,train}-{f64,f32}/{stem,layer1,layer2,layer3}.npy (stem = after the max-pool).
- resnet18-w2.pth (zip) and resnet18-w2-v0.1.pth (the legacy stream as PyTorch 0.1.x wrote it, like torchvision's
  2017 files such as resnet50-19c8e357.pth: tensors as torch.FloatTensor with a __setstate__ tuple, the
  OrderedDict reduced with a list of pairs, no num_batches_tracked), and resnet18-w2/... outputs in eval mode, last
  stride 2 (f64 and f32; no neck).
- reid-checkpoint.pth: a Re-ID training checkpoint as such code saves it: {'net': the resnet18-w2 state dict under
  'module.base.' plus a 'module.classifier.weight', 'epoch': int, 'mAP': numpy float64, 'cmc': numpy array}.
- storage-view-v0.1.pth: a legacy storage view (PyTorch 0.1 to 0.3 wrote them): 'a' lies over elements 2..7 of
  the storage of 'b' = arange(10) and holds [[3, 4], [5, 6]].
- views.pth, views-legacy.pth, views.safetensors: tensors of every dtype, non-contiguous views, storage offsets, two
  tensors sharing one storage, a 0-d and an empty tensor (the .safetensors holds the same values contiguously).
- whole-model.pth (a pickled nn.Module, not a state dict), torchscript.pt (torch.jit.save), and
  storage-too-small.pth (legacy stream whose tensor claims more elements than its storage holds): files that must
  be refused.
- fixtures.json: torch / torchvision versions, widths, seeds, and every state dict's keys with dtype and shape.
"""
import argparse
import collections
import copy
import json
import os
import pickle
import re
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock, Bottleneck

SEED = 20261206
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, '..', 'resources', 'io', 'ibreid', 'weights', 'fixtures')


class ScaledResNet(nn.Module):
    """torchvision's ResNet container (same module names, so the same state-dict keys) with every width scaled:
    torchvision's own ResNet fixes the stem at 64 channels. Built from torchvision's BasicBlock / Bottleneck."""

    def __init__(self, block, layers, width, num_classes):
        super().__init__()
        self.inplanes = width
        self.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, width, layers[0], 1)
        self.layer2 = self._make_layer(block, width * 2, layers[1], 2)
        self.layer3 = self._make_layer(block, width * 4, layers[2], 2)
        self.layer4 = self._make_layer(block, width * 8, layers[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(width * 8 * block.expansion, num_classes)

    def _make_layer(self, block, planes, blocks, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                nn.Conv2d(self.inplanes, planes * block.expansion, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        for _ in range(1, blocks):
            layers.append(block(self.inplanes, planes))
        return nn.Sequential(*layers)


def set_last_stride(model, stride):
    first = model.layer4[0]
    conv = first.conv2 if isinstance(first, Bottleneck) else first.conv1
    conv.stride = (stride, stride)
    first.downsample[0].stride = (stride, stride)


def randomise(module, generator):
    """Batch norms leave torchvision's init at weight 1, bias 0, mean 0, var 1: an eval-mode test would not see
    them. Give every batch norm random affine parameters, running statistics and num_batches_tracked."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                n = m.num_features
                m.weight.copy_(0.5 + torch.rand(n, generator=generator))
                m.bias.copy_(0.1 * torch.randn(n, generator=generator))
                m.running_mean.copy_(0.1 * torch.randn(n, generator=generator))
                m.running_var.copy_(0.5 + torch.rand(n, generator=generator))
                m.num_batches_tracked.fill_(int(torch.randint(1, 1000, (1,), generator=generator)))


def build(block, layers, width, num_classes, seed):
    torch.manual_seed(seed)
    model = ScaledResNet(block, layers, width, num_classes)
    randomise(model, torch.Generator().manual_seed(seed + 1))
    return model.eval()


def check_layout_against_torchvision(block, layers, factory):
    """At width 64 the scaled container must hold exactly torchvision's keys, shapes and dtypes."""
    ours = ScaledResNet(block, layers, 64, 1000).state_dict()
    theirs = factory().state_dict()
    a = [(k, tuple(v.shape), v.dtype) for k, v in ours.items()]
    b = [(k, tuple(v.shape), v.dtype) for k, v in theirs.items()]
    assert a == b, 'ScaledResNet at width 64 differs from torchvision.models.' + factory.__name__


# ---------------------------------------------------------------------------------------------------- writers

SAFETENSORS_DTYPES = {
    torch.float64: 'F64', torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16',
    torch.int64: 'I64', torch.int32: 'I32', torch.int16: 'I16', torch.int8: 'I8', torch.uint8: 'U8',
    torch.bool: 'BOOL',
}


def tensor_bytes(t):
    """A tensor's elements in row-major order, little-endian (the only byte order this script runs on)."""
    assert sys.byteorder == 'little'
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def save_safetensors(tensors, path):
    """The safetensors layout: u64 LE header length, a JSON header {name: {dtype, shape, data_offsets}} padded with
    spaces to a multiple of 8, then the tensors' bytes back to back (offsets relative to the data start)."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = tensor_bytes(t)
        header[name] = {'dtype': SAFETENSORS_DTYPES[t.dtype], 'shape': list(t.shape),
                        'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header['__metadata__'] = {'format': 'pt', 'writer': 'ibreid make_fixtures.py'}
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


MAGIC_NUMBER = 0x1950a86a20f9469cfc6c
LEGACY_PROTOCOL = 1001


class V01View:
    """A tensor over a storage view, as PyTorch 0.1 to 0.3 could save one: the storage is the slice
    [view_offset, view_offset + view_size) of root's storage, and the tensor lies over that slice at offset with
    size and stride."""

    def __init__(self, root, view_offset, view_size, offset, size, stride):
        self.root, self.view_offset, self.view_size = root, view_offset, view_size
        self.offset, self.size, self.stride = offset, size, stride


def save_v01(state, path, lie_numel=None):
    """The legacy stream as PyTorch 0.1.x wrote it: each tensor reduced to (torch.FloatTensor, (), state) with the
    state tuple (storage, offset, size, stride) applied by __setstate__, storages as persistent ids
    ('storage', torch.FloatStorage, key, location, numel, None), Python 2's OrderedDict reduction (a list of pairs),
    then the sorted storage keys and each storage's element count (int64 LE) and raw bytes. lie_numel, if given,
    maps a storage key to a smaller element count: the storage is written cut to that many elements (a damaged
    file whose tensor no longer fits its storage)."""
    storages = collections.OrderedDict()  # key -> a 1-d tensor over the whole storage
    keys = {}
    lie_numel = lie_numel or {}

    def storage_key(t):
        s = t.storage()
        k = keys.setdefault(s.data_ptr(), str(1000 + len(keys)))
        whole = t.new_empty(0).set_(s)
        storages.setdefault(k, whole[:lie_numel[k]] if k in lie_numel else whole)
        return k

    tensor_class = {torch.float32: torch.FloatTensor, torch.float64: torch.DoubleTensor,
                    torch.int64: torch.LongTensor}
    storage_class = {torch.float32: torch.FloatStorage, torch.float64: torch.DoubleStorage,
                     torch.int64: torch.LongStorage}

    class StorageRef:
        def __init__(self, t, view=None):
            self.t = t
            self.key = storage_key(t)
            self.view = view

    class V01Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            if isinstance(obj, StorageRef):
                view = None
                if obj.view is not None:  # (key, offset, size) of a slice of the root storage, in elements
                    view = ('%s.%d' % (obj.key, obj.view[0]), obj.view[0], obj.view[1])
                return ('storage', storage_class[obj.t.dtype], obj.key, 'cpu', storages[obj.key].numel(), view)
            return None

        def reducer_override(self, obj):
            if isinstance(obj, V01View):
                return (tensor_class[obj.root.dtype], (),
                        (StorageRef(obj.root, (obj.view_offset, obj.view_size)), obj.offset, obj.size, obj.stride))
            if isinstance(obj, torch.Tensor):
                return (tensor_class[obj.dtype], (),
                        (StorageRef(obj), obj.storage_offset(), tuple(obj.size()), obj.stride()))
            if isinstance(obj, collections.OrderedDict):
                return (collections.OrderedDict, ([[k, v] for k, v in obj.items()],))
            return NotImplemented

    with open(path, 'wb') as f:
        pickle.dump(MAGIC_NUMBER, f, protocol=2)
        pickle.dump(LEGACY_PROTOCOL, f, protocol=2)
        pickle.dump(dict(protocol_version=LEGACY_PROTOCOL, little_endian=True,
                         type_sizes=dict(short=2, int=4, long=8)), f, protocol=2)
        V01Pickler(f, protocol=2).dump(state)
        pickle.dump(sorted(storages.keys()), f, protocol=2)
        for k in sorted(storages.keys()):
            f.write(struct.pack('<q', storages[k].numel()))
            f.write(tensor_bytes(storages[k]))


def save_npy(array, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, np.ascontiguousarray(array))


# ---------------------------------------------------------------------------------------------------- outputs

def stages(model, neck, x):
    out = collections.OrderedDict()
    x = model.maxpool(model.relu(model.bn1(model.conv1(x))))
    out['stem'] = x
    for i in range(1, 5):
        x = getattr(model, 'layer%d' % i)(x)
        out['layer%d' % i] = x
    pool = torch.flatten(model.avgpool(x), 1)
    out['pool'] = pool
    if neck is not None:
        out['neck'] = neck(pool)
    out['logits'] = model.fc(pool)
    return out


BEFORE_LAYER4 = ('stem', 'layer1', 'layer2', 'layer3')


def write_outputs(model, neck, x64, folder, configs):
    """One forward per configuration, each from a fresh copy of the saved state (training mode updates running
    statistics)."""
    for mode, last_stride, precision in configs:
        m = copy.deepcopy(model)
        n = copy.deepcopy(neck) if neck is not None else None
        set_last_stride(m, last_stride)
        x = x64 if precision == 'f64' else x64.float()
        if precision == 'f64':
            m = m.double()
            n = n.double() if n is not None else None
        m.train(mode == 'train')
        if n is not None:
            n.train(mode == 'train')
        with torch.no_grad():
            out = stages(m, n, x)
        for name, value in out.items():
            if name in BEFORE_LAYER4:  # the same for both last strides: written once, in a folder without ls
                sub = '%s-%s' % (mode, precision)
            else:
                sub = '%s-ls%d-%s' % (mode, last_stride, precision)
            save_npy(value.numpy(), os.path.join(folder, sub, name + '.npy'))


def describe(state):
    return [{'key': k, 'dtype': str(v.dtype).replace('torch.', ''), 'shape': list(v.shape)}
            for k, v in state.items()]


# ---------------------------------------------------------------------------------------------------- fixtures

def views_state():
    """Every dtype, views with strides and storage offsets, a shared storage, a 0-d and an empty tensor. Values are
    arange-based so that a test can compute them."""
    base = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4)
    state = collections.OrderedDict()
    state['float.contiguous'] = base
    state['float.transposed'] = base.transpose(0, 2)  # shape (4, 3, 2), strides (1, 4, 12), shares base's storage
    state['float.sliced'] = base[1, 1:, ::2]  # shape (2, 2), offset 16, strides (4, 2), shares base's storage
    state['double'] = torch.arange(6, dtype=torch.float64).reshape(3, 2).t() / 3
    state['half'] = torch.tensor([0.5, -2.0, 65504.0, 6.1035156e-05, 5.9604645e-08, float('inf')],
                                 dtype=torch.float16)
    state['bfloat16'] = torch.tensor([1.0, -3.140625, 1.0e38, -1.0e-38], dtype=torch.bfloat16)
    state['long'] = torch.tensor([-(2 ** 62), -1, 0, 2 ** 62 + 7], dtype=torch.int64)
    state['int'] = torch.tensor([-(2 ** 31), 2 ** 31 - 1], dtype=torch.int32)
    state['short'] = torch.tensor([-32768, 32767], dtype=torch.int16)
    state['char'] = torch.tensor([-128, 127], dtype=torch.int8)
    state['byte'] = torch.tensor([0, 255], dtype=torch.uint8)
    state['bool'] = torch.tensor([True, False, True])
    state['scalar'] = torch.tensor(42, dtype=torch.int64)  # like num_batches_tracked
    state['empty'] = torch.zeros(0, 3)
    return state


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--out', default=DEFAULT_OUT)
    parser.add_argument('--full-size', metavar='FOLDER', help='write a full-width random ResNet-50 there instead')
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    check_layout_against_torchvision(Bottleneck, [3, 4, 6, 3], torchvision.models.resnet50)
    check_layout_against_torchvision(BasicBlock, [2, 2, 2, 2], torchvision.models.resnet18)
    if args.full_size:
        return full_size(args.full_size)

    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    manifest = {'torch': torch.__version__, 'torchvision': torchvision.__version__, 'seed': SEED,
                'generator': 'torch-weights/src/test/python/make_fixtures.py', 'state_dicts': {}}

    # ResNet-50 topology, width 4
    r50 = build(Bottleneck, [3, 4, 6, 3], 4, 10, SEED)
    sd = r50.state_dict()
    torch.save(sd, os.path.join(out, 'resnet50-w4.pth'))
    torch.save(sd, os.path.join(out, 'resnet50-w4-legacy.pth'), _use_new_zipfile_serialization=False)
    save_safetensors(sd, os.path.join(out, 'resnet50-w4.safetensors'))
    manifest['state_dicts']['resnet50-w4'] = describe(sd)
    neck = nn.BatchNorm1d(4 * 8 * 4)
    randomise(neck, torch.Generator().manual_seed(SEED + 2))
    neck.eval()
    save_safetensors(neck.state_dict(), os.path.join(out, 'resnet50-w4-neck.safetensors'))
    manifest['state_dicts']['resnet50-w4-neck'] = describe(neck.state_dict())
    x64 = torch.randn(2, 3, 64, 32, dtype=torch.float64, generator=torch.Generator().manual_seed(SEED + 3))
    folder = os.path.join(out, 'resnet50-w4')
    save_npy(x64.numpy(), os.path.join(folder, 'input-f64.npy'))
    save_npy(x64.float().numpy(), os.path.join(folder, 'input-f32.npy'))
    write_outputs(r50, neck, x64, folder,
                  [(mode, ls, p) for mode in ('eval', 'train') for ls in (1, 2) for p in ('f64', 'f32')])

    # ResNet-18 topology, width 2: zip and the 0.1.x legacy stream; a Re-ID checkpoint around it
    r18 = build(BasicBlock, [2, 2, 2, 2], 2, 10, SEED + 10)
    sd18 = r18.state_dict()
    torch.save(sd18, os.path.join(out, 'resnet18-w2.pth'))
    old = collections.OrderedDict((k, v) for k, v in sd18.items() if not k.endswith('num_batches_tracked'))
    save_v01(old, os.path.join(out, 'resnet18-w2-v0.1.pth'))
    check_equal(torch.load(os.path.join(out, 'resnet18-w2-v0.1.pth')), old, 'resnet18-w2-v0.1.pth')
    manifest['state_dicts']['resnet18-w2'] = describe(sd18)
    x18 = x64[:, :, :, :]
    folder18 = os.path.join(out, 'resnet18-w2')
    write_outputs(r18, None, x18, folder18, [('eval', 2, 'f64'), ('eval', 2, 'f32')])
    net = collections.OrderedDict(('module.base.' + k, v) for k, v in sd18.items())
    net['module.classifier.weight'] = torch.randn(7, 16, generator=torch.Generator().manual_seed(SEED + 11))
    torch.save({'net': net, 'epoch': 80, 'mAP': np.float64(0.5731), 'cmc': np.arange(20) / 20.0},
               os.path.join(out, 'reid-checkpoint.pth'))
    manifest['state_dicts']['reid-checkpoint'] = describe(net)

    # a legacy storage view (PyTorch 0.1 to 0.3): 'a' is elements 3..6 of root as [[3, 4], [5, 6]], 'b' the root
    root = torch.arange(10, dtype=torch.float32)
    save_v01(collections.OrderedDict([('a', V01View(root, 2, 6, 1, (2, 2), (2, 1))), ('b', root)]),
             os.path.join(out, 'storage-view-v0.1.pth'))
    loaded = torch.load(os.path.join(out, 'storage-view-v0.1.pth'))
    assert torch.equal(loaded['a'], torch.tensor([[3., 4.], [5., 6.]])) and torch.equal(loaded['b'], root)

    # dtypes and views
    views = views_state()
    torch.save(views, os.path.join(out, 'views.pth'))
    torch.save(views, os.path.join(out, 'views-legacy.pth'), _use_new_zipfile_serialization=False)
    save_safetensors(collections.OrderedDict((k, v.contiguous()) for k, v in views.items()),
                     os.path.join(out, 'views.safetensors'))
    for name in ('views.pth', 'views-legacy.pth'):
        check_equal(torch.load(os.path.join(out, name)), views, name)
    manifest['state_dicts']['views'] = describe(views)

    # files to refuse
    torch.manual_seed(SEED + 20)
    torch.save(nn.Sequential(nn.Conv2d(1, 2, 1)), os.path.join(out, 'whole-model.pth'))
    torch.jit.save(torch.jit.script(nn.Sequential(nn.Conv2d(1, 2, 1))), os.path.join(out, 'torchscript.pt'))
    small = collections.OrderedDict([('weight', torch.arange(16, dtype=torch.float32).reshape(4, 4))])
    save_v01(small, os.path.join(out, 'storage-too-small.pth'), lie_numel={'1000': 8})
    try:
        torch.load(os.path.join(out, 'storage-too-small.pth'))
        raise AssertionError('torch.load read storage-too-small.pth')
    except RuntimeError:
        pass  # PyTorch refuses it too

    with open(os.path.join(out, 'fixtures.json'), 'w') as f:  # one line per key: small, and diffs stay readable
        text = json.dumps(manifest, indent=1)
        f.write(re.sub(r'\{\n\s*("key": [^\n]*),\n\s*("dtype": [^\n]*),\n\s*"shape": \[([^\]]*)\]\n\s*\}',
                       lambda m: '{%s, %s, "shape": [%s]}' % (m.group(1), m.group(2),
                                                             re.sub(r'\s+', ' ', m.group(3)).strip()), text))
        f.write('\n')
    total = sum(os.path.getsize(os.path.join(d, n)) for d, _, names in os.walk(out) for n in names)
    print('wrote %s: %.2f MB' % (out, total / 1e6))


def check_equal(loaded, expected, name):
    assert list(loaded.keys()) == list(expected.keys()), name
    for k, v in expected.items():
        w = loaded[k]
        assert w.dtype == v.dtype and w.shape == v.shape and torch.equal(w, v), name + ': ' + k


def full_size(folder):
    """A full-width random torchvision ResNet-50 (its own class), randomised batch norms, last stride 1, input
    2x3x256x128: the weights in the three formats and PyTorch's outputs in eval mode, double and float (the
    folders eval-f64, eval-ls1-f64... as for the small fixtures; pool.npy is the 2048-d feature)."""
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(SEED)
    model = torchvision.models.resnet50()
    randomise(model, torch.Generator().manual_seed(SEED + 1))
    model.eval()
    sd = model.state_dict()
    torch.save(sd, os.path.join(folder, 'resnet50-full.pth'))
    torch.save(sd, os.path.join(folder, 'resnet50-full-legacy.pth'), _use_new_zipfile_serialization=False)
    save_safetensors(sd, os.path.join(folder, 'resnet50-full.safetensors'))
    x64 = torch.randn(2, 3, 256, 128, dtype=torch.float64, generator=torch.Generator().manual_seed(SEED + 3))
    save_npy(x64.numpy(), os.path.join(folder, 'input-f64.npy'))
    save_npy(x64.float().numpy(), os.path.join(folder, 'input-f32.npy'))
    write_outputs(model, None, x64, folder, [('eval', 1, 'f64'), ('eval', 1, 'f32')])
    print('wrote', folder)


if __name__ == '__main__':
    sys.exit(main())
