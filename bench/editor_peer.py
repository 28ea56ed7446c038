#!/usr/bin/env python3
"""Python peer for bench/editor-exthost.mjs: what PyTorch takes to do what the editor does.

Usage: editor_peer.py FILE TENSOR [TENSOR ...]
Prints one JSON line: `listMs`, the time to know every tensor's name and shape the way a PyTorch
user gets it (torch.load of a .pth — the whole file; a .safetensors header; weightscope.load of
a .weights.json — the whole file), and `clickMs` per tensor, the time to read that tensor and
compute the editor's statistics (mean, std, min, max, L2, zeros, a 40-bin histogram) after that.
"""
import json
import os
import struct
import sys
import time

import torch

torch.set_num_threads(1)
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'python'))

DT = {'F32': torch.float32, 'BF16': torch.bfloat16, 'F16': torch.float16, 'I64': torch.int64, 'F64': torch.float64}


def stats(t):
    x = t.float().flatten()
    finite = x[torch.isfinite(x)]
    return [finite.mean().item(), finite.std(unbiased=False).item(), finite.min().item(), finite.max().item(),
            finite.norm().item(), int((x == 0).sum()), torch.histc(finite, 40).sum().item()]


def main():
    path, names = sys.argv[1], sys.argv[2:]
    t0 = time.perf_counter()
    if path.endswith('.safetensors'):
        with open(path, 'rb') as f:
            n = struct.unpack('<Q', f.read(8))[0]
            header = json.loads(f.read(n))
        base = 8 + n

        def get(name):
            e = header[name]
            a, b = e['data_offsets']
            with open(path, 'rb') as f:
                f.seek(base + a)
                raw = bytearray(f.read(b - a))
            return torch.frombuffer(raw, dtype=DT[e['dtype']]).reshape(e['shape'])
    elif path.endswith('.weights.json'):
        import weightscope
        sd = weightscope.load(path)
        get = sd.__getitem__
    else:
        sd = torch.load(path, map_location='cpu')
        get = sd.__getitem__
    list_ms = (time.perf_counter() - t0) * 1000
    clicks = []
    for name in names:
        t1 = time.perf_counter()
        stats(get(name))
        clicks.append((time.perf_counter() - t1) * 1000)
    print(json.dumps({'listMs': list_ms, 'clickMs': clicks, 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
