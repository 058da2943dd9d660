#!/usr/bin/python3
"""PyTorch-eager reference of cpt's trainer model, for `cpt bench trainer`.

The same model as dev.cpt.trainer.model.Gpt / GptLayer: token embedding + learned positions,
pre-LayerNorm blocks (causal multi-head self-attention with an additive -1e9 mask, GELU (erf)
MLP of ratio 4), a final LayerNorm and an output head tied to the token embedding; the same
AdamW (betas 0.9/0.95, eps 1e-8, decoupled weight decay 0.1 on the block matrices only,
global-norm clipping at 1.0); the same initial weights, read from the safetensors file that
the Java side wrote with Gpt.save (parsed with numpy only: u64 LE header length + JSON header);
the same token batches, read from a raw little-endian int32 file of shape (pool, batch, T+1).

Written for Debian's python3-torch (1.13) on OpenBLAS: run with /usr/bin/python3. Ops run
eagerly and synchronously on the CPU, so the per-phase wall times are exact.

Prints ONE JSON line on stdout (progress and warnings go to stderr).
"""
import argparse
import json
import math
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

# name -> (dModel, heads, layers, mlpRatio, default context), as GptConfig's presets
PRESETS = {
    "tiny": (64, 4, 2, 4, 64),
    "small": (256, 8, 4, 4, 256),
    "base": (768, 12, 12, 4, 1024),
}
VOCAB = 259
MASKED = -1e9
LN_EPS = 1e-5
INIT_STD = 0.02


def read_safetensors(path):
    """(metadata dict, {name: float32 torch tensor}) from an F32 safetensors file, via numpy."""
    with open(path, "rb") as f:
        raw = f.read()
    n = int(np.frombuffer(raw[:8], dtype="<u8")[0])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {}) or {}
    base = 8 + n
    tensors = {}
    for name, spec in header.items():
        if spec["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {spec['dtype']}, only F32 is supported")
        begin, end = spec["data_offsets"]
        arr = np.frombuffer(raw, dtype="<f4", count=(end - begin) // 4, offset=base + begin)
        tensors[name] = torch.from_numpy(arr.reshape(spec["shape"]).astype(np.float32, copy=True))
    return meta, tensors


class Gpt(torch.nn.Module):
    """Parameters are registered under cpt's names with '.' replaced by '_' (torch forbids dots)."""

    def __init__(self, vocab, context, d, heads, layers, ratio):
        super().__init__()
        self.vocab, self.context, self.d, self.heads, self.layers, self.ratio = vocab, context, d, heads, layers, ratio
        self.names = ["wte", "wpe"]
        shapes = {"wte": (vocab, d), "wpe": (context, d)}
        for i in range(layers):
            p = f"h{i}."
            for local, shape in [("ln1.gamma", (d,)), ("ln1.beta", (d,)),
                                 ("attn.qkv.weight", (3 * d, d)), ("attn.qkv.bias", (3 * d,)),
                                 ("attn.out.weight", (d, d)), ("attn.out.bias", (d,)),
                                 ("ln2.gamma", (d,)), ("ln2.beta", (d,)),
                                 ("mlp.in.weight", (ratio * d, d)), ("mlp.in.bias", (ratio * d,)),
                                 ("mlp.out.weight", (d, ratio * d)), ("mlp.out.bias", (d,))]:
                self.names.append(p + local)
                shapes[p + local] = shape
        self.names += ["lnf.gamma", "lnf.beta"]
        shapes["lnf.gamma"] = (d,)
        shapes["lnf.beta"] = (d,)
        self.shapes = shapes
        for name in self.names:
            self.register_parameter(name.replace(".", "_"), torch.nn.Parameter(torch.empty(shapes[name])))
        self.gpt2_init()

    def p(self, name):
        return getattr(self, name.replace(".", "_"))

    def gpt2_init(self, seed=1234):
        g = torch.Generator().manual_seed(seed)
        residual = INIT_STD / math.sqrt(2.0 * self.layers)
        with torch.no_grad():
            for name in self.names:
                w = self.p(name)
                if name.endswith("gamma"):
                    w.fill_(1.0)
                elif name.endswith("beta") or name.endswith("bias"):
                    w.zero_()
                else:
                    std = residual if name.endswith("attn.out.weight") or name.endswith("mlp.out.weight") else INIT_STD
                    w.normal_(0.0, std, generator=g)

    def load(self, tensors):
        if list(tensors.keys()) != self.names and set(tensors.keys()) != set(self.names):
            raise ValueError(f"parameters {sorted(tensors)} do not match the model's {sorted(self.names)}")
        with torch.no_grad():
            for name in self.names:
                t = tensors[name]
                if tuple(t.shape) != self.shapes[name]:
                    raise ValueError(f"{name}: shape {tuple(t.shape)}, the model {self.shapes[name]}")
                self.p(name).copy_(t)

    def decayed(self, name):
        # ParameterGroup.matrices(): the block matrices; not embeddings, norms or biases
        return name.startswith("h") and name.endswith(".weight")

    def forward(self, ids):
        b, t = ids.shape
        d, nh = self.d, self.heads
        hd = d // nh
        wte = self.p("wte")
        x = F.embedding(ids, wte) + F.embedding(torch.arange(t), self.p("wpe"))
        i = torch.arange(t).reshape(t, 1)
        j = torch.arange(t).reshape(1, t)
        mask = (j > i).to(torch.float32) * MASKED
        scale = 1.0 / math.sqrt(hd)
        for layer in range(self.layers):
            p = f"h{layer}."
            h = F.layer_norm(x, (d,), self.p(p + "ln1.gamma"), self.p(p + "ln1.beta"), LN_EPS)
            qkv = F.linear(h, self.p(p + "attn.qkv.weight"), self.p(p + "attn.qkv.bias"))
            q, k, v = qkv.split(d, dim=2)
            q = q.reshape(b, t, nh, hd).transpose(1, 2) * scale
            k = k.reshape(b, t, nh, hd).permute(0, 2, 3, 1)
            v = v.reshape(b, t, nh, hd).transpose(1, 2)
            att = (q.matmul(k) + mask).softmax(-1)
            y = att.matmul(v).transpose(1, 2).reshape(b, t, d)
            x = x + F.linear(y, self.p(p + "attn.out.weight"), self.p(p + "attn.out.bias"))
            h2 = F.layer_norm(x, (d,), self.p(p + "ln2.gamma"), self.p(p + "ln2.beta"), LN_EPS)
            f = F.gelu(F.linear(h2, self.p(p + "mlp.in.weight"), self.p(p + "mlp.in.bias")))
            x = x + F.linear(f, self.p(p + "mlp.out.weight"), self.p(p + "mlp.out.bias"))
        x = F.layer_norm(x, (d,), self.p("lnf.gamma"), self.p("lnf.beta"), LN_EPS)
        return F.linear(x, wte)


def loss_of(model, batch):
    logits = model(batch[:, :-1])
    # mean next-token cross entropy, as Gpt.crossEntropy: -mean(log_softmax gathered at targets)
    return -logits.log_softmax(-1).gather(-1, batch[:, 1:].unsqueeze(-1)).mean()


def blas_library():
    """The BLAS this process mapped (after a matmul): the OpenBLAS core library if any, else libblas."""
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f if "blas" in line.lower() and "/" in line})
    except OSError:
        return "unknown"
    for lib in libs:
        if "libopenblas" in os.path.basename(lib):
            return lib
    return next((lib for lib in libs if "libblas" in lib), ",".join(libs) or "unknown")


def peak_rss_kb():
    """VmHWM of this process. Not ru_maxrss: across exec it keeps the parent's peak (a JVM's, here)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def matmul_flops(n, seconds=0.5):
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    a.matmul(b)
    reps, t0 = 0, time.perf_counter()
    while True:
        a.matmul(b)
        reps += 1
        if time.perf_counter() - t0 >= seconds and reps >= 3:
            break
    return 2.0 * n ** 3 * reps / (time.perf_counter() - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--preset", default="tiny", choices=sorted(PRESETS))
    ap.add_argument("--weights", help="safetensors file written by Gpt.save (else GPT-2 init, seed 1234)")
    ap.add_argument("--tokens", help="raw little-endian int32 (pool, batch, context+1) (else random, seed 42)")
    ap.add_argument("--pool", type=int, default=1, help="batches in --tokens")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--context", type=int, help="sequence length T (default: the weights' or the preset's)")
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--matmul-n", type=int, default=1024, help="also time an n^3 matmul (0: skip)")
    ap.add_argument("--loss-only", action="store_true", help="print the loss of the first batch and exit")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    d, heads, layers, ratio, context = PRESETS[a.preset]
    vocab = VOCAB
    tensors = None
    if a.weights:
        meta, tensors = read_safetensors(a.weights)
        if meta.get("format") != "cpt.gpt":
            sys.exit(f"{a.weights}: not a cpt model file (format={meta.get('format')})")
        vocab, context = int(meta["vocabSize"]), int(meta["context"])
        d, heads, layers, ratio = int(meta["dModel"]), int(meta["heads"]), int(meta["layers"]), int(meta["mlpRatio"])
    t = a.context or context
    model = Gpt(vocab, context, d, heads, layers, ratio)
    if tensors is not None:
        model.load(tensors)

    if a.tokens:
        pool = np.fromfile(a.tokens, dtype="<i4").reshape(a.pool, a.batch, -1)
        if pool.shape[2] != t + 1:
            sys.exit(f"{a.tokens}: rows of {pool.shape[2]} tokens, expected context+1 = {t + 1}")
        batches = [torch.from_numpy(pool[i].astype(np.int64)) for i in range(a.pool)]
    else:
        g = torch.Generator().manual_seed(42)
        batches = [torch.randint(0, vocab, (a.batch, t + 1), generator=g) for _ in range(8)]

    if a.loss_only:
        with torch.no_grad():
            print(json.dumps({"loss": float(loss_of(model, batches[0]))}))
        return

    decay = [model.p(n) for n in model.names if model.decayed(n)]
    rest = [model.p(n) for n in model.names if not model.decayed(n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.95), eps=1e-8)
    params = list(model.parameters())

    def step(k):
        batch = batches[k % len(batches)]
        t0 = time.perf_counter()
        loss = loss_of(model, batch)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        lv = loss.item()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=False)
        t3 = time.perf_counter()
        return lv, t1 - t0, t2 - t1, t3 - t2

    first = None
    for k in range(a.warmup):
        lv = step(k)[0]
        first = lv if first is None else first
    fwd = bwd = upd = 0.0
    last = float("nan")
    t0 = time.perf_counter()
    for k in range(a.warmup, a.warmup + a.steps):
        last, f, b, u = step(k)
        first = last if first is None else first
        fwd, bwd, upd = fwd + f, bwd + b, upd + u
    wall = time.perf_counter() - t0
    n = a.steps
    out = {
        "tokens_per_s": a.batch * t * n / wall,
        "ms_per_step": wall * 1e3 / n,
        "forward_ms": fwd * 1e3 / n,
        "backward_ms": bwd * 1e3 / n,
        "optimizer_ms": upd * 1e3 / n,
        "loss_first": first,
        "loss_last": last,
        "steps": n,
        "warmup": a.warmup,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "blas": blas_library(),
        "max_rss_kb": peak_rss_kb(),
    }
    if a.matmul_n > 0:
        out["matmul_n"] = a.matmul_n
        out["matmul_flops"] = matmul_flops(a.matmul_n)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
