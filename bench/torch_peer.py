#!/usr/bin/env python3
"""PyTorch peer for bench/train.mjs: one thread, the same four workloads.

Protocol (stdin/stdout, one line each): the parent writes a workload name (W1…W4); this process
trains one epoch of it and answers with the epoch's wall time in seconds. `quit` ends it.
Data is random (same shapes as the engine's workloads): speed does not depend on the values.
"""
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)


class LSTMLast(nn.LSTM):
    def forward(self, x):
        out, _ = super().forward(x)
        return out[:, -1, :]


def workload(name):
    if name == 'W1':
        model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 3))
        x, y = torch.randn(1500, 2), torch.randint(0, 3, (1500,))
        return model, torch.optim.Adam(model.parameters(), lr=0.01), nn.CrossEntropyLoss(), x, y, 32
    if name == 'W2':
        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
        x, y = torch.rand(4096, 784), torch.randint(0, 10, (4096,))
        return model, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9), nn.CrossEntropyLoss(), x, y, 64
    if name == 'W3':
        model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(400, 10))
        x, y = torch.rand(2048, 1, 28, 28), torch.randint(0, 10, (2048,))
        return model, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9), nn.CrossEntropyLoss(), x, y, 32
    if name == 'W4':
        model = nn.Sequential(LSTMLast(1, 32, batch_first=True), nn.Linear(32, 1))
        x, y = torch.randn(2048, 20, 1), torch.randn(2048, 1)
        return model, torch.optim.Adam(model.parameters(), lr=0.01), nn.MSELoss(), x, y, 32
    raise ValueError(name)


def epoch(w):
    model, opt, fn, x, y, batch = w
    n = x.shape[0]
    t0 = time.perf_counter()
    for s in range(0, n, batch):
        out = model(x[s:s + batch])
        loss = fn(out, y[s:s + batch])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return time.perf_counter() - t0


def main():
    cache = {}
    for line in sys.stdin:
        name = line.strip()
        if name == 'quit':
            break
        if name not in cache:
            cache[name] = workload(name)
        print(f'{epoch(cache[name]):.6f}', flush=True)


if __name__ == '__main__':
    main()
