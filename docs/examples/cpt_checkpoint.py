#!/usr/bin/env python3
"""Load and run a cpt model checkpoint with nothing but the Python standard library and numpy.

    python3 cpt_checkpoint.py inspect model.safetensors
    python3 cpt_checkpoint.py generate <store>/branches/<id> --prompt "The " --tokens 40
    python3 cpt_checkpoint.py check model.safetensors --tokens '[[72, 105], [33, 10]]'

The model is cpt's GPT (dev.cpt.trainer.model.Gpt): token embedding + learned positions, pre-LayerNorm
blocks (causal multi-head self-attention, exact-erf GELU MLP), a final LayerNorm and an output head
tied to the token embedding. See docs/checkpoints.md. Works with numpy 1.24 and later.
"""
import argparse
import hashlib
import json
import math
import os
import struct
import sys

import numpy as np

# safetensors dtype -> (numpy little-endian dtype, bytes per element); BF16 is widened by hand
DTYPES = {"F64": ("<f8", 8), "F32": ("<f4", 4), "F16": ("<f2", 2), "BF16": ("<u2", 2),
          "I64": ("<i8", 8), "I32": ("<i4", 4), "I16": ("<i2", 2), "I8": ("i1", 1), "U8": ("u1", 1),
          "BOOL": ("?", 1)}
LN_EPS = 1e-5        # GptLayer.LN_EPS
MASKED = -1e9        # Gpt.MASKED: additive causal mask above the diagonal
EOS = 256            # byte-v1: ids 0..255 are bytes, 256 EOS, 257 BOS, 258 PAD; vocabulary 259


class SafetensorsError(ValueError):
    pass


class SafeTensors:
    """A parsed safetensors file: .metadata (dict of str), .entries {name: (dtype, shape, begin, end)}."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            raw = f.read()
        if len(raw) < 8:
            raise self.error(f"file of {len(raw)} bytes is shorter than the 8-byte header length")
        (n,) = struct.unpack("<Q", raw[:8])
        if 8 + n > len(raw):
            raise self.error(f"header length {n} goes beyond the end of the {len(raw)}-byte file")
        try:
            header = json.loads(raw[8:8 + n].decode("utf-8"), object_pairs_hook=self._no_duplicates)
        except SafetensorsError:
            raise
        except ValueError as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise self.error(f"header is not UTF-8 JSON: {e}") from None
        if not isinstance(header, dict):
            raise self.error("header is not a JSON object")
        self.data = memoryview(raw)[8 + n:]
        self.metadata = header.pop("__metadata__", None) or {}
        if not isinstance(self.metadata, dict) or not all(isinstance(v, str) for v in self.metadata.values()):
            raise self.error("__metadata__ must map strings to strings")
        self.entries = {name: self._entry(name, spec) for name, spec in header.items()}
        end = 0  # the data must be covered exactly: sorted by offset, no gap, no overlap
        for name, (_, _, b, e) in sorted(self.entries.items(), key=lambda kv: kv[1][2:]):
            if b != end:
                what = "overlaps the previous tensor" if b < end else f"leaves a gap after byte {end}"
                raise self.error(f"tensor {name} at data_offsets [{b}, {e}] {what}")
            end = e
        if end != len(self.data):
            raise self.error(f"tensors cover {end} bytes but the data holds {len(self.data)}")

    def error(self, why):
        return SafetensorsError(f"{self.path}: not a valid safetensors file: {why}")

    def _no_duplicates(self, pairs):
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise self.error(f"duplicate key in header: {keys}")
        return dict(pairs)

    def _entry(self, name, spec):
        if not isinstance(spec, dict) or not isinstance(spec.get("dtype"), str) or spec["dtype"] not in DTYPES:
            raise self.error(f"tensor {name}: unsupported or missing dtype in {spec}")
        shape, offsets = spec.get("shape"), spec.get("data_offsets")
        if not isinstance(shape, list) or not all(type(d) is int and d >= 0 for d in shape):
            raise self.error(f"tensor {name}: shape {shape} is not a list of non-negative integers")
        if (not isinstance(offsets, list) or len(offsets) != 2 or not all(type(o) is int for o in offsets)
                or not 0 <= offsets[0] <= offsets[1] <= len(self.data)):
            raise self.error(f"tensor {name}: data_offsets {offsets} outside the {len(self.data)} data bytes")
        size = DTYPES[spec["dtype"]][1] * math.prod(shape)
        if offsets[1] - offsets[0] != size:
            raise self.error(f"tensor {name}: {offsets[1] - offsets[0]} bytes for {spec['dtype']} {shape} "
                             f"({size} expected)")
        return spec["dtype"], tuple(shape), offsets[0], offsets[1]

    def raw(self, name):
        """The tensor's bytes as stored: row-major, little-endian."""
        _, _, begin, end = self.entries[name]
        return self.data[begin:end]

    def array(self, name):
        """The tensor as a numpy array (BF16 widened to float32, exactly)."""
        dtype, shape, _, _ = self.entries[name]
        a = np.frombuffer(self.raw(name), dtype=DTYPES[dtype][0])
        if dtype == "BF16":
            a = (a.astype("<u4") << 16).view("<f4")
        return a.reshape(shape)


def config_of(metadata):
    """The model config that Gpt.save writes into __metadata__ (format=cpt.gpt)."""
    if metadata.get("format") != "cpt.gpt":
        raise ValueError(f"not a cpt model file: format={metadata.get('format')!r}")
    keys = ("vocabSize", "context", "dModel", "heads", "layers", "mlpRatio")
    missing = [k for k in keys if k not in metadata]
    if missing:
        raise ValueError(f"the metadata lacks the model config fields {missing}")
    return {k: int(metadata[k]) for k in keys}


def parameter_shapes(c):
    """Gpt's parameter names in canonical (file) order and their shapes; linear weights are (out, in)."""
    d, r = c["dModel"], c["mlpRatio"] * c["dModel"]
    shapes = {"wte": (c["vocabSize"], d), "wpe": (c["context"], d)}
    block = {"ln1.gamma": (d,), "ln1.beta": (d,), "attn.qkv.weight": (3 * d, d), "attn.qkv.bias": (3 * d,),
             "attn.out.weight": (d, d), "attn.out.bias": (d,), "ln2.gamma": (d,), "ln2.beta": (d,),
             "mlp.in.weight": (r, d), "mlp.in.bias": (r,), "mlp.out.weight": (d, r), "mlp.out.bias": (d,)}
    for i in range(c["layers"]):
        shapes.update({f"h{i}.{local}": shape for local, shape in block.items()})
    shapes.update({"lnf.gamma": (d,), "lnf.beta": (d,)})
    return shapes


class Gpt:
    """The forward pass of dev.cpt.trainer.model.Gpt in float32 numpy."""

    def __init__(self, weights, config):
        self.w = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.c = config
        got = {k: v.shape for k, v in self.w.items()}
        want = parameter_shapes(config)
        if got != want:
            diff = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
            raise ValueError(f"weights do not fit the config {config}: {[(k, got.get(k), want.get(k)) for k in diff]}")

    @classmethod
    def load(cls, path):
        """From a model.safetensors file, a checkpoint folder holding one, or a parsed SafeTensors."""
        st = path if isinstance(path, SafeTensors) else SafeTensors(
            os.path.join(path, "model.safetensors") if os.path.isdir(path) else path)
        return cls({name: st.array(name) for name in st.entries}, config_of(st.metadata))

    def logits(self, ids):
        """ids (B, T) integers, T <= context -> logits (B, T, vocab) float32."""
        ids = np.asarray(ids, dtype=np.int64)
        if ids.ndim != 2 or not 1 <= ids.shape[1] <= self.c["context"] or ids.size == 0:
            raise ValueError(f"ids must be (batch, time) with 1 <= time <= {self.c['context']}, got {ids.shape}")
        if ids.min() < 0 or ids.max() >= self.c["vocabSize"]:
            raise ValueError(f"token ids must be in [0, {self.c['vocabSize']})")
        (b, t), d, nh, w = ids.shape, self.c["dModel"], self.c["heads"], self.w
        hd = d // nh
        x = w["wte"][ids] + w["wpe"][:t]
        mask = np.triu(np.full((t, t), MASKED, dtype=np.float32), k=1)
        for i in range(self.c["layers"]):
            p = f"h{i}."
            qkv = linear(layer_norm(x, w[p + "ln1.gamma"], w[p + "ln1.beta"]),
                         w[p + "attn.qkv.weight"], w[p + "attn.qkv.bias"])
            q, k, v = (a.reshape(b, t, nh, hd).transpose(0, 2, 1, 3) for a in np.split(qkv, 3, axis=2))
            att = softmax((q * np.float32(1 / math.sqrt(hd))) @ k.transpose(0, 1, 3, 2) + mask)
            y = (att @ v).transpose(0, 2, 1, 3).reshape(b, t, d)
            x = x + linear(y, w[p + "attn.out.weight"], w[p + "attn.out.bias"])
            f = gelu(linear(layer_norm(x, w[p + "ln2.gamma"], w[p + "ln2.beta"]),
                            w[p + "mlp.in.weight"], w[p + "mlp.in.bias"]))
            x = x + linear(f, w[p + "mlp.out.weight"], w[p + "mlp.out.bias"])
        return linear(layer_norm(x, w["lnf.gamma"], w["lnf.beta"]), w["wte"])  # tied output head

    def generate(self, ids, n, temperature=0.0, seed=None, eos=EOS):
        """Appends up to n tokens to the list ids: greedy at temperature 0, else sampled; stops at eos."""
        rng, ids = np.random.default_rng(seed), list(ids)
        for _ in range(n):
            last = self.logits([ids[-self.c["context"]:]])[0, -1].astype(np.float64)
            if temperature > 0:
                nxt = int(rng.choice(len(last), p=softmax(last / temperature)))
            else:
                nxt = int(np.argmax(last))
            ids.append(nxt)
            if nxt == eos:
                break
        return ids


def linear(x, weight, bias=None):
    """x @ weight^T + bias, weight (out, in) as in PyTorch."""
    y = x @ weight.T
    return y if bias is None else y + bias


def layer_norm(x, gamma, beta):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)  # biased variance, as torch
    return (x - mu) / np.sqrt(var + np.float32(LN_EPS)) * gamma + beta


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def gelu(x):
    """x * Phi(x) with erf (not the tanh approximation); erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7)."""
    z = x.astype(np.float64) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * np.abs(z))
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = np.sign(z) * (1.0 - poly * np.exp(-z * z))
    return (0.5 * x * (1.0 + erf)).astype(np.float32)


def encode(text):
    """byte-v1: one token per UTF-8 byte."""
    return list(text.encode("utf-8"))


def decode(ids):
    """byte-v1: bytes back to text, special tokens (>= 256) dropped."""
    return bytes(i for i in ids if i < 256).decode("utf-8", errors="replace")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("inspect", help="tensor names, dtypes, shapes and the metadata").add_argument("file")
    g = sub.add_parser("generate", help="continue a prompt (byte-v1 tokenizer)")
    g.add_argument("path", help="model.safetensors or a checkpoint folder holding it")
    g.add_argument("--prompt", default="")
    g.add_argument("--tokens", type=int, default=64)
    g.add_argument("--temperature", type=float, default=0.0)
    g.add_argument("--seed", type=int, default=None)
    c = sub.add_parser("check", help="one JSON object: metadata, tensor sha256s, logits of a batch")
    c.add_argument("file")
    c.add_argument("--tokens", required=True, help="JSON (B, T) token ids, e.g. [[1, 2], [3, 4]]")
    args = ap.parse_args(argv)
    try:
        if args.command == "inspect":
            st = SafeTensors(args.file)
            print("\n".join(f"{k} = {v}" for k, v in st.metadata.items()))
            for name, (dtype, shape, _, _) in st.entries.items():
                print(f"{name:24} {dtype:5} {list(shape)}")
            print(f"{len(st.entries)} tensors, {sum(math.prod(e[1]) for e in st.entries.values()):,} values")
        elif args.command == "generate":
            model = Gpt.load(args.path)
            if model.c["vocabSize"] != 259:
                raise ValueError("this CLI speaks byte-v1 (vocabulary 259) only; for a tokenizer.json "
                                 "encode with the tokenizers package and call Gpt.generate (docs/checkpoints.md)")
            # EOS first: in the packed training data every document follows an EOS
            out = model.generate([EOS] + encode(args.prompt), args.tokens, args.temperature, args.seed)
            print(decode(out))
        else:
            st = SafeTensors(args.file)
            model = Gpt.load(st)
            tensors = {name: {"dtype": dtype, "shape": list(shape), "sha256": hashlib.sha256(st.raw(name)).hexdigest()}
                       for name, (dtype, shape, _, _) in st.entries.items()}
            logits = model.logits(json.loads(args.tokens))
            print(json.dumps({"metadata": st.metadata, "tensors": tensors, "logits": logits.tolist()}))
    except (OSError, ValueError, KeyError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
