"""The peer of bench/diff.mjs: the same per-tensor statistics as `weightscope diff` (docs/cli.md:
float64, NaN = NaN, norms over finite pairs), written the way a Python user would.

    python3 bench/diff_peer.py numpy A.safetensors B.safetensors
        NumPy, each file memory-mapped (np.memmap), one tensor pair at a time: the lean peer.
    python3 bench/diff_peer.py torch A.safetensors B.safetensors
        PyTorch, both files read whole into tensors first (what safetensors.torch.load_file
        does), then compared tensor by tensor in float64.

Prints one JSON line: {"peer", "seconds", "peak_rss_bytes", "summary"}. Needs numpy (and torch for
the torch peer); the safetensors header is parsed here, so the `safetensors` package is not needed.
"""
import json
import resource
import struct
import sys
import time

import numpy as np

NP_DTYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32,
             "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}


def header(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        h = json.loads(f.read(n))
    h.pop("__metadata__", None)
    return 8 + n, h


def arrays_mmap(path):
    start, h = header(path)
    mm = np.memmap(path, dtype=np.uint8, mode="r")
    for name, e in h.items():
        b, end = e["data_offsets"]
        yield name, e["shape"], mm[start + b:start + end].view(NP_DTYPES[e["dtype"]]).reshape(e["shape"])


def stats(a, b, atol=0.0):
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    with np.errstate(invalid="ignore"):
        equal = (a == b) | (np.isnan(a) & np.isnan(b)) | (np.abs(b - a) <= atol)
    fin = np.isfinite(a) & np.isfinite(b)
    af, bf = a[fin], b[fin]
    na, nb = np.linalg.norm(af), np.linalg.norm(bf)
    return ("same" if equal.all() else "changed",
            float(np.max(np.abs(bf - af))) if af.size else None,
            float(np.linalg.norm(bf - af) / na) if na else None,
            float(np.dot(af, bf) / (na * nb)) if na and nb else None,
            float(np.mean(~equal)) if a.size else 0.0)


def run_numpy(pa, pb):
    bs = {name: (shape, arr) for name, shape, arr in arrays_mmap(pb)}
    summary = {"same": 0, "changed": 0, "shape_mismatch": 0, "only_in_a": 0, "only_in_b": 0}
    seen = set()
    for name, shape, a in arrays_mmap(pa):
        seen.add(name)
        if name not in bs:
            summary["only_in_a"] += 1
        elif bs[name][0] != shape:
            summary["shape_mismatch"] += 1
        else:
            summary[stats(a, bs[name][1])[0]] += 1
    summary["only_in_b"] += len([n for n in bs if n not in seen])
    return summary


def run_torch(pa, pb):
    import torch

    def load(path):  # as safetensors.torch.load_file: every tensor in memory
        start, h = header(path)
        with open(path, "rb") as f:
            data = bytearray(f.read())
        out = {}
        for name, e in h.items():
            b, end = e["data_offsets"]
            arr = np.frombuffer(data, dtype=NP_DTYPES[e["dtype"]], count=(end - b) // np.dtype(NP_DTYPES[e["dtype"]]).itemsize, offset=start + b)
            out[name] = torch.from_numpy(arr.reshape(e["shape"]))
        return out

    A, B = load(pa), load(pb)
    summary = {"same": 0, "changed": 0, "shape_mismatch": 0, "only_in_a": 0, "only_in_b": 0}
    for name, a in A.items():
        if name not in B:
            summary["only_in_a"] += 1
            continue
        b = B[name]
        if a.shape != b.shape:
            summary["shape_mismatch"] += 1
            continue
        a64, b64 = a.double().flatten(), b.double().flatten()
        equal = (a64 == b64) | (a64.isnan() & b64.isnan())
        fin = a64.isfinite() & b64.isfinite()
        af, bf = a64[fin], b64[fin]
        d = bf - af
        _ = (d.abs().max() if d.numel() else None, d.norm() / af.norm(), torch.dot(af, bf) / (af.norm() * bf.norm()), (~equal).double().mean())
        summary["same" if bool(equal.all()) else "changed"] += 1
    summary["only_in_b"] += len([n for n in B if n not in A])
    return summary


if __name__ == "__main__":
    peer, pa, pb = sys.argv[1:4]
    t0 = time.perf_counter()
    summary = (run_numpy if peer == "numpy" else run_torch)(pa, pb)
    seconds = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
    print(json.dumps({"peer": peer, "seconds": seconds, "peak_rss_bytes": rss, "summary": summary}))
