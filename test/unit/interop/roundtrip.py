"""The PyTorch half of python.test.ts's round trip. Run with /usr/bin/python3 (torch needed).

  roundtrip.py save DIR   train a little in PyTorch, weightscope.save → DIR/a.weights.json,
                          and torch.save the originals to DIR/original.pt
  roundtrip.py check DIR  weightscope.load_into a fresh model and optimizer from DIR/b.weights.json
                          (what our TypeScript parse → serialize wrote); print a JSON verdict
"""
import json
import os
import sys
from collections import OrderedDict

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "python"))
import weightscope  # noqa: E402


def make_model():
    return nn.Sequential(OrderedDict([
        ("conv", nn.Conv2d(1, 2, 3, padding=1)), ("act", nn.ReLU()), ("pool", nn.MaxPool2d(2)),
        ("flat", nn.Flatten()), ("fc1", nn.Linear(2 * 3 * 3, 70)), ("gelu", nn.GELU()),
        ("drop", nn.Dropout(0.25)), ("fc2", nn.Linear(70, 3)),
    ]))


def bits(t):
    t = t.detach().contiguous()
    return t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()


def save(d):
    torch.manual_seed(0)
    model = make_model()
    model.conv.bias.requires_grad_(False)  # frozen: must come back frozen
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=0.01, betas=(0.8, 0.99))
    x, y = torch.randn(8, 1, 6, 6), torch.randint(0, 3, (8,))
    for _ in range(3):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    with torch.no_grad():  # values a careless writer would lose
        model.fc2.bias[0] = -0.0
        model.fc2.bias[1] = float("nan")
        model.fc2.bias[2] = float("inf")
    weightscope.save(model, os.path.join(d, "a.weights.json"), input_shape=[1, 6, 6], optimizer=opt)
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(),
                "requires_grad": {n: p.requires_grad for n, p in model.named_parameters()}, "x": x, "y": y},
               os.path.join(d, "original.pt"))


def check(d):
    orig = torch.load(os.path.join(d, "original.pt"))
    torch.manual_seed(123)  # different initial weights: everything must come from the file
    model = make_model()
    opt = torch.optim.Adam(model.parameters(), lr=0.5)
    weightscope.load_into(model, os.path.join(d, "b.weights.json"), optimizer=opt)
    problems = []
    for name, t in model.state_dict().items():
        if bits(t) != bits(orig["model"][name]):
            problems.append("%s differs" % name)
    for name, p in model.named_parameters():
        if p.requires_grad != orig["requires_grad"][name]:
            problems.append("%s requires_grad %s, expected %s" % (name, p.requires_grad, orig["requires_grad"][name]))
    # Optimizer state: the same moments and step for every trained parameter, keyed by name.
    saved = orig["opt"]
    trainable = [n for n, p in model.named_parameters() if orig["requires_grad"][n]]
    params = dict(model.named_parameters())
    for index, name in enumerate(trainable):
        want = saved["state"][index]
        got = opt.state[params[name]]
        for key in ("exp_avg", "exp_avg_sq"):
            if bits(got[key]) != bits(want[key]):
                problems.append("optimizer %s.%s differs" % (name, key))
        if float(got["step"]) != float(want["step"]):
            problems.append("optimizer %s.step %s, expected %s" % (name, got["step"], want["step"]))
    group = opt.param_groups[0]
    if group["lr"] != 0.01 or tuple(group["betas"]) != (0.8, 0.99):
        problems.append("optimizer settings lr=%s betas=%s" % (group["lr"], group["betas"]))
    print(json.dumps({"ok": not problems, "problems": problems, "checked": len(model.state_dict())}))


if __name__ == "__main__":
    {"save": save, "check": check}[sys.argv[1]](sys.argv[2])
