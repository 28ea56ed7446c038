#!/usr/bin/env python3
"""PyTorch peer for bench/inspect.mjs: torch.load + the statistics `weightscope inspect` prints.

Usage: inspect_peer.py FILE  → one JSON line: {"seconds", "cpu_seconds", "maxrss_kib", "tensors", "stats": {NAME: [mean, std]}}
One thread, as the CLI has one. The time runs from torch.load to the last statistic (the
interpreter's start and `import torch` are left out); maxrss_kib is the process's peak resident
memory. The statistics are inspect's: over the finite values, in float64 (as ours accumulate),
population std, min, max, L2 norm, zeros and non-finite counts.
"""
import json
import resource
import sys
import time

import torch

torch.set_num_threads(1)


def stats(t):
    x = t.detach().reshape(-1).to(torch.float64)
    finite = torch.isfinite(x)
    nonfinite = int(x.numel() - int(finite.sum()))
    v = x[finite] if nonfinite else x
    if v.numel() == 0:
        return {"numel": x.numel(), "mean": None, "std": None, "min": None, "max": None, "l2": None, "zeros": 0, "nonfinite": nonfinite}
    return {"numel": x.numel(), "mean": float(v.mean()), "std": float(v.std(unbiased=False)), "min": float(v.min()),
            "max": float(v.max()), "l2": float(v.norm()), "zeros": int((v == 0).sum()), "nonfinite": nonfinite}


def main(path):
    t0, c0 = time.perf_counter(), time.process_time()
    obj = torch.load(path, map_location="cpu", weights_only=True)
    sd = obj["model"] if isinstance(obj, dict) and isinstance(obj.get("model"), dict) else obj
    out = {name: stats(t) for name, t in sd.items() if isinstance(t, torch.Tensor)}
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "tensors": len(out), "stats": {k: [s["mean"], s["std"]] for k, s in out.items()}}))


if __name__ == "__main__":
    main(sys.argv[1])
