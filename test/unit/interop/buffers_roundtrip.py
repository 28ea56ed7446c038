"""The PyTorch half of buffers.test.ts: a checkpoint's buffers travel through Weightscope.

  buffers_roundtrip.py save DIR   torch.save a ResNet-style model's state_dict (BatchNorm running
                                  statistics and num_batches_tracked after a few training steps, an
                                  int16 and an int8 tensor too) to DIR/model.pth, and a training
                                  checkpoint {"model", "optimizer", "epoch"} to DIR/train.pth
  buffers_roundtrip.py check DIR  weightscope.load_into a fresh model from DIR/model.weights.json and
                                  DIR/train.weights.json (what `weightscope convert` wrote) and
                                  weightscope.load DIR/model.weights.json; print a JSON verdict
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
        ("conv", nn.Conv2d(3, 4, 3, bias=False)), ("bn", nn.BatchNorm2d(4)), ("act", nn.ReLU()),
        ("pool", nn.AdaptiveAvgPool2d(1)), ("flat", nn.Flatten()), ("fc", nn.Linear(4, 2)), ("bn2", nn.BatchNorm1d(2)),
    ]))


def bits(t):
    t = t.detach().contiguous()
    return t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()


def save(d):
    torch.manual_seed(0)
    model = make_model()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        model(torch.randn(6, 3, 8, 8)).pow(2).mean().backward()
        opt.step()
    sd = model.state_dict()
    torch.save(sd, os.path.join(d, "model.pth"))
    torch.save({"model": sd, "optimizer": opt.state_dict(), "epoch": 3}, os.path.join(d, "train.pth"))
    extra = OrderedDict(sd)
    extra["quant.scale_i16"] = torch.tensor([-300, 0, 32767], dtype=torch.int16)
    extra["quant.zero_i8"] = torch.tensor([-128, 5], dtype=torch.int8)
    torch.save(extra, os.path.join(d, "extra.pth"))


def check(d):
    problems = []
    want = torch.load(os.path.join(d, "model.pth"), weights_only=True)
    checked = 0
    for src in ("model", "train"):
        fresh = make_model()
        result = weightscope.load_into(fresh, os.path.join(d, src + ".weights.json"))
        if result.missing_keys or result.unexpected_keys:
            problems.append("%s: missing %s, unexpected %s" % (src, result.missing_keys, result.unexpected_keys))
        got = fresh.state_dict()
        for name, t in want.items():
            checked += 1
            if got[name].dtype != t.dtype or bits(got[name]) != bits(t):
                problems.append("%s: %s differs (%s vs %s)" % (src, name, got[name].dtype, t.dtype))
    raw = weightscope.load(os.path.join(d, "extra.weights.json"))
    extra = torch.load(os.path.join(d, "extra.pth"), weights_only=True)
    for name, t in extra.items():
        checked += 1
        if raw[name].dtype != t.dtype or bits(raw[name]) != bits(t):
            problems.append("extra: %s differs (%s vs %s)" % (name, raw[name].dtype, t.dtype))
    print(json.dumps({"ok": not problems, "problems": problems, "checked": checked,
                      "buffers": [n for n, _ in make_model().named_buffers()]}))


if __name__ == "__main__":
    {"save": save, "check": check}[sys.argv[1]](sys.argv[2])
