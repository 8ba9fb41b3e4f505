"""Times each convolution of the bench trunk (fast-resnet width 32, stages [1,1,1], D 512, 3x64x32 input, batch 32)
alone in PyTorch: forward, and backward for input and weight (autograd.grad), NCHW, 2 threads, medians of 21.
The ibreid counterpart: java -cp benchmarks/target/ibreid-bench.jar io.ibreid.bench.ConvProbe N C H W OUT K S 20 2
(NHWC YXIO row). Usage: /usr/bin/python3 benchmarks/pytorch/convs.py"""
import time, torch, statistics
torch.set_num_threads(2)
S=[(3,64,32,32,3,2),(32,32,16,32,3,1),(32,32,16,32,3,1),(32,32,16,64,3,2),(64,16,8,64,3,1),(32,32,16,64,1,2),(64,16,8,128,3,2),(128,8,4,128,3,1),(64,16,8,128,1,2),(128,8,4,512,1,1)]
n=32
tot_f=tot_b=0
for (c,h,w,o,k,s) in S:
    x=torch.randn(n,c,h,w,requires_grad=True); wt=torch.randn(o,c,k,k,requires_grad=True)
    pad=k//2
    def f(): return torch.nn.functional.conv2d(x,wt,stride=s,padding=pad)
    y=f(); g=torch.randn_like(y)
    for _ in range(5): y=f(); torch.autograd.grad(y,(x,wt),g)
    tf=[];tb=[]
    for _ in range(21):
        t0=time.perf_counter(); y=f(); t1=time.perf_counter(); torch.autograd.grad(y,(x,wt),g); t2=time.perf_counter()
        tf.append(t1-t0); tb.append(t2-t1)
    mf=statistics.median(tf)*1e3; mb=statistics.median(tb)*1e3; tot_f+=mf; tot_b+=mb
    print("n%d c%d %dx%d -> %d k%d s%d: fwd %.2f ms, bwd %.2f ms" % (n,c,h,w,o,k,s,mf,mb))
print("total fwd %.1f ms, bwd %.1f ms" % (tot_f, tot_b))
