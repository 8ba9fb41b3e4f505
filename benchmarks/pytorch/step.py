#!/usr/bin/env python3
"""ibreid's benchmark training step, written again in PyTorch, for a side-by-side timing on the same CPU.

The model is the one `benchmarks/bench.sh --encoder fast-resnet --width 32 --stages 1,1,1 --dim 512 --batch 32`
builds (and `--branches 3`): per branch

  trunk (fast-resnet = small-resnet): stem conv3x3/2 (3->W) BN ReLU;
      per stage s (width W<<s), blocks of [conv3x3/stride BN ReLU, conv3x3 BN] + shortcut (conv1x1/stride BN when the
      shape changes, else identity), add, ReLU (stride 2 for the first block of every stage but the first);
      expand conv1x1 (->D) BN ReLU; global average pooling -> v (N x D); no BN-neck (fast-resnet's default)
  mlp bottleneck: Linear D->512 (no bias) BN ReLU, Linear 512->256 (no bias) BN -> z
  heads: Linear D->classes and Linear 256->classes, both without bias -> v_logits, z_logits

and the step is BenchMain's: forward in training mode (batch statistics), fixed random external errors
(randn * 1e-3 / batch, drawn once) as dLoss/d{v, z, v_logits, z_logits} of every branch, backward, Adam
(lr 1e-4, L2 5e-4 added to the gradient of conv and dense kernels only, as DL4J's l2 does), float32.
With --branches 3 there are three such networks (visible, infrared: batch rows each; shared: 2 x batch rows).

With --model resnet50 (or resnet18/34/101) the trunk is instead ibreid's encoder of that name
(`benchmarks/bench.sh --encoder resnet50 --input 3x256x128 --batch 16`): torchvision's own network without its
classifier, last stride --last-stride (1), global average pooling, BN-neck (BatchNorm1d; --no-neck drops it) -> v
(2048-d); the bottleneck and heads read v as above. --infer N then also times eval-mode extraction of v.

Differences that do not change the work: convolutions pad symmetrically (padding = k // 2) where libnd4j's SAME mode
pads a stride-2 3x3 convolution at the bottom/right only (same output size, same FLOPs); weights are PyTorch's
default initialisation. The input gradient is computed (ibreid's trunk computes dL/dx too) unless --no-input-grad.

Prints one parseable line starting with `pytorch-step:` (key=value pairs). Run it with the Python that has torch,
e.g. Debian's `python3-torch`: `apt-get install python3-torch`, then `/usr/bin/python3 benchmarks/pytorch/step.py`.
"""
import argparse
import os
import platform
import resource
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
except ImportError:
    sys.stderr.write("step.py: this Python has no torch; on Debian: apt-get install python3-torch "
                     "(then run /usr/bin/python3)\n")
    sys.exit(3)


class Unit(nn.Module):
    """Convolution without bias, then batch normalisation (ibreid's ConvUnit)."""

    def __init__(self, cin, cout, k, stride):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)  # DL4J decay 0.9

    def forward(self, x):
        return self.bn(self.conv(x))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.a = Unit(cin, cout, 3, stride)
        self.b = Unit(cout, cout, 3, 1)
        self.down = Unit(cin, cout, 1, stride) if (stride != 1 or cin != cout) else None

    def forward(self, x):
        y = self.b(torch.relu(self.a(x)))
        s = x if self.down is None else self.down(x)
        return torch.relu(y + s)


class Trunk(nn.Module):
    def __init__(self, channels, width, stages, dim, stem_stride):
        super().__init__()
        self.stem = Unit(channels, width, 3, stem_stride)
        blocks = []
        c = width
        for s, n in enumerate(stages):
            out = width << s
            for b in range(n):
                blocks.append(Block(c, out, 2 if (s > 0 and b == 0) else 1))
                c = out
        self.blocks = nn.Sequential(*blocks)
        self.expand = Unit(c, dim, 1, 1)

    def forward(self, x):
        a = torch.relu(self.stem(x))
        a = self.blocks(a)
        e = torch.relu(self.expand(a))
        return e.mean(dim=(2, 3))


class TorchvisionTrunk(nn.Module):
    """ibreid's resnet18/34/50/101 encoder in PyTorch: torchvision's ResNet without its classifier, the first block of
    layer4 at stride `last_stride` (its 3x3, or first 3x3 for basic blocks, and its shortcut), global average pooling,
    then a BN-neck (BatchNorm1d) when `neck`."""

    def __init__(self, model, last_stride, neck):
        super().__init__()
        import torchvision
        net = getattr(torchvision.models, model)()
        first = net.layer4[0]
        conv = first.conv2 if hasattr(first, "conv3") else first.conv1
        conv.stride = (last_stride, last_stride)
        first.downsample[0].stride = (last_stride, last_stride)
        net.fc = nn.Identity()
        self.net = net
        self.neck = nn.BatchNorm1d(net.layer4[-1].conv2.out_channels * (4 if hasattr(first, "conv3") else 1)) \
            if neck else None
        self.dim = self.neck.num_features if neck else None

    def forward(self, x):
        v = self.net(x)
        return self.neck(v) if self.neck is not None else v


class Branch(nn.Module):
    """Encoder + mlp bottleneck + two bias-free identity heads; returns v, z, v_logits, z_logits."""

    def __init__(self, args):
        super().__init__()
        if args.model == "fast-resnet":
            self.trunk = Trunk(args.channels, args.width, args.stages, args.dim, 2)
        else:
            self.trunk = TorchvisionTrunk(args.model, args.last_stride, not args.no_neck)
            args.dim = {"resnet18": 512, "resnet34": 512}.get(args.model, 2048)
        self.h1 = nn.Linear(args.dim, args.hidden, bias=False)
        self.h1_bn = nn.BatchNorm1d(args.hidden)
        self.z = nn.Linear(args.hidden, args.z_dim, bias=False)
        self.z_bn = nn.BatchNorm1d(args.z_dim)
        self.head_v = nn.Linear(args.dim, args.classes, bias=False)
        self.head_z = nn.Linear(args.z_dim, args.classes, bias=False)

    def forward(self, x):
        v = self.trunk(x)
        z = self.z_bn(self.z(torch.relu(self.h1_bn(self.h1(v)))))
        return v, z, self.head_v(v), self.head_z(z)


def count_forward_flops(model, inputs):
    """BenchMain's FlopCounter rule: 2*H'*W'*C'*C*k*k per convolution, 2*nIn*nOut per dense layer (+ biases)."""
    total = [0]

    def conv_hook(m, inp, out):
        k = m.kernel_size[0] * m.kernel_size[1]
        total[0] += 2 * out.numel() * (m.in_channels // m.groups) * k + (out.numel() if m.bias is not None else 0)

    def linear_hook(m, inp, out):
        rows = out.shape[0]
        total[0] += rows * (2 * m.in_features * m.out_features + (m.out_features if m.bias is not None else 0))

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear_hook))
    state = {k: v.clone() for k, v in model.state_dict().items()}
    with torch.no_grad():
        for branch, x in zip(model, inputs):
            branch(x)
    for h in hooks:
        h.remove()
    model.load_state_dict(state)  # undo the running-statistics update of the counting pass
    return total[0]


def blas_library():
    """The BLAS shared object this process mapped (Debian's torch calls the system libblas.so.3 alternative)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return ",".join(sorted(os.path.realpath(p) for p in libs)) or "none"
    except OSError:
        return "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--branches", type=int, choices=(1, 3), default=1)
    p.add_argument("--model", default="fast-resnet", choices=("fast-resnet", "resnet18", "resnet34", "resnet50",
                                                              "resnet101"),
                   help="the encoder: fast-resnet (ibreid's small trunk, --width/--stages/--dim) or a torchvision "
                        "ResNet as ibreid's resnetNN encoder (last stride --last-stride, BN-neck unless --no-neck)")
    p.add_argument("--last-stride", type=int, default=1, choices=(1, 2))
    p.add_argument("--no-neck", action="store_true")
    p.add_argument("--infer", type=int, default=0, metavar="N",
                   help="after the training steps, time eval-mode extraction of v (trunk + neck, no gradient) on "
                        "batches of N images: img/s over --infer-calls calls after one warm-up call")
    p.add_argument("--infer-calls", type=int, default=4)
    p.add_argument("--batch", type=int, default=32, help="images per branch and modality (shared sees 2x)")
    p.add_argument("--input", default="3x64x32", help="CxHxW")
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--stages", default="1,1,1")
    p.add_argument("--dim", type=int, default=512)
    p.add_argument("--hidden", type=int, default=512)
    p.add_argument("--z-dim", type=int, default=256)
    p.add_argument("--classes", type=int, default=200)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--channels-last", action="store_true", help="NHWC memory format for the trunks and inputs")
    p.add_argument("--no-input-grad", action="store_true", help="do not compute dL/d(input images)")
    p.add_argument("--foreach", action="store_true", help="Adam(foreach=True) (multi-tensor update)")
    p.add_argument("--profile", type=int, default=0, metavar="N",
                   help="after timing, run N more steps: phase times and torch.autograd.profiler's op table")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    args.channels, args.height, args.width_px = (int(s) for s in args.input.lower().split("x"))
    args.stages = [int(s) for s in args.stages.split(",")]

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rows = [args.batch] if args.branches == 1 else [args.batch, args.batch, 2 * args.batch]
    model = nn.ModuleList([Branch(args) for _ in rows])
    model.train()
    fmt = torch.channels_last if args.channels_last else torch.contiguous_format
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    inputs = [torch.rand(n, args.channels, args.height, args.width_px).contiguous(memory_format=fmt) for n in rows]
    if not args.no_input_grad:
        for x in inputs:
            x.requires_grad_(True)

    forward_flops = count_forward_flops(model, inputs)
    step_flops = 3 * forward_flops
    images = sum(rows)

    decay, no_decay = [], []
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            decay.append(m.weight)
            if m.bias is not None:
                no_decay.append(m.bias)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            no_decay += [m.weight, m.bias]
    opt_kwargs = {"lr": 1e-4, "betas": (0.9, 0.999), "eps": 1e-8}
    if args.foreach:
        opt_kwargs["foreach"] = True
    opt = torch.optim.Adam([{"params": decay, "weight_decay": 5e-4}, {"params": no_decay, "weight_decay": 0.0}],
                           **opt_kwargs)

    # Fixed external errors, drawn once: dLoss/d(v, z, v_logits, z_logits) of every branch.
    with torch.no_grad():
        outs = [o for b, x in zip(model, inputs) for o in b(x)]
    errors = [torch.randn_like(o) * (1e-3 / args.batch) for o in outs]

    def step():
        opt.zero_grad(set_to_none=True)
        outputs = [o for b, x in zip(model, inputs) for o in b(x)]
        torch.autograd.backward(outputs, errors)
        opt.step()

    times = []
    for i in range(args.warmup + args.steps):
        t0 = time.perf_counter()
        step()
        if i >= args.warmup:
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    params = sum(t.numel() for t in model.parameters())
    print("# pytorch %s; cpu: %s; ATen capability %s; oneDNN %s; BLAS: %s; threads %d" % (
        torch.__version__, cpu_model(), torch.__config__.show().split("CPU capability usage: ")[-1].split("\n")[0]
        if "CPU capability usage" in torch.__config__.show() else "?",
        getattr(torch.backends.mkldnn, "version", lambda: "?")() if callable(getattr(torch.backends.mkldnn, "version",
                                                                                    None)) else
        ("available" if torch.backends.mkldnn.is_available() else "absent"), blas_library(), torch.get_num_threads()))
    print("# model: %d branch(es), %d parameters, forward %.1f MFLOP per branch-image (conv+dense), training step "
          "%.2f GFLOP for %d branch-images" % (len(rows), params, forward_flops / images / 1e6, step_flops / 1e9,
                                               images))
    print("pytorch-step: model=%s branches=%d batch=%d layout=%s input_grad=%d foreach=%d threads=%d warmup=%d steps=%d "
          "gflop_per_step=%.4f step_ms_median=%.1f step_ms_min=%.1f step_ms_max=%.1f img_per_s=%.1f gflop_per_s=%.2f"
          % (args.model, args.branches, args.batch, "nhwc" if args.channels_last else "nchw", 0 if args.no_input_grad else 1,
             1 if args.foreach else 0, args.threads, args.warmup, args.steps, step_flops / 1e9, med * 1e3,
             min(times) * 1e3, max(times) * 1e3, images / med, step_flops / med / 1e9))
    sys.stdout.flush()

    if args.infer > 0:
        infer(args, model[0].trunk, fmt)
    print("pytorch-rss: maxrss_mib=%.0f" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0))
    sys.stdout.flush()

    if args.profile > 0:
        profile(args, model, inputs, errors, opt, step)


def infer(args, trunk, fmt):
    """Eval-mode extraction of v: the encoder (and its neck) on batches of --infer images, no gradient."""
    trunk.eval()
    x = torch.rand(args.infer, args.channels, args.height, args.width_px).contiguous(memory_format=fmt)
    times = []
    with torch.no_grad():
        trunk(x)
        for _ in range(args.infer_calls):
            t0 = time.perf_counter()
            trunk(x)
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print("pytorch-infer: batch=%d calls=%d ms_median=%.1f img_per_s=%.2f" % (args.infer, len(times), med * 1e3,
                                                                          args.infer / med))


def profile(args, model, inputs, errors, opt, step):
    """Phase times (forward, backward, Adam) by wall clock, then torch.autograd.profiler's table over N steps."""
    n = args.profile
    ph = {"forward": [], "backward": [], "adam": []}
    for _ in range(n):
        opt.zero_grad(set_to_none=True)
        t0 = time.perf_counter()
        outputs = [o for b, x in zip(model, inputs) for o in b(x)]
        t1 = time.perf_counter()
        torch.autograd.backward(outputs, errors)
        t2 = time.perf_counter()
        opt.step()
        t3 = time.perf_counter()
        ph["forward"].append(t1 - t0)
        ph["backward"].append(t2 - t1)
        ph["adam"].append(t3 - t2)
    total = sum(statistics.median(v) for v in ph.values())
    print("## pytorch phases (median of %d steps, ms): %s; sum %.1f" % (n, ", ".join(
        "%s %.1f" % (k, statistics.median(v) * 1e3) for k, v in ph.items()), total * 1e3))
    with torch.autograd.profiler.profile() as prof:
        for _ in range(n):
            step()
    table = prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=30)
    print("## torch.autograd.profiler, %d steps (times are totals over the steps)" % n)
    print(table)
    # Self time per op kind, ms per step.
    kinds = [
        ("conv forward (mkldnn_convolution / _convolution)", ("mkldnn_convolution", "thnn_conv2d",
                                                               "slow_conv2d_forward", "_convolution")),
        ("conv backward (convolution_backward)", ("convolution_backward", "mkldnn_convolution_backward",
                                                  "slow_conv2d_backward")),
        ("batch norm forward", ("native_batch_norm", "batch_norm", "_batch_norm_impl_index")),
        ("batch norm backward", ("native_batch_norm_backward",)),
        ("relu / threshold_backward", ("relu", "threshold_backward", "clamp_min")),
        ("dense (mm / addmm / matmul)", ("aten::mm", "aten::addmm", "aten::matmul", "aten::linear")),
        ("add / mean / other element-wise", ("aten::add", "aten::mean", "aten::sum", "aten::div", "aten::expand",
                                             "aten::fill_", "aten::copy_", "aten::zero", "aten::zeros")),
    ]
    by = {}
    for e in prof.key_averages():
        name = e.key
        kind = "other (Adam's element-wise ops, autograd bookkeeping, ...)"
        for label, keys in kinds:
            if any(name == k or name == "aten::" + k or name.startswith(k) for k in keys):
                kind = label
                break
        by[kind] = by.get(kind, 0.0) + e.self_cpu_time_total / 1e3 / n
    total = sum(by.values())
    print("## self CPU time by kind (ms per step; profiler overhead included, sum %.1f)" % total)
    for k, v in sorted(by.items(), key=lambda kv: -kv[1]):
        print("  %-60s %8.2f  (%.0f %%)" % (k, v, 100 * v / total))


if __name__ == "__main__":
    main()
