"""Write the reader fixtures under test/fixtures/readers/ and their expected.json.

Run with Debian's python (torch + numpy): /usr/bin/python3 test/parity/gen_readers.py
The fixtures are small and committed; the TypeScript tests (test/unit/format/lazyReaders.test.ts)
read them, so CI needs no torch. They cover what the lazy readers must get right that
gen_interop.py's files do not: storages shared by several views (offsets, strides, expands) in
every dtype, training checkpoints with buffers, empty state_dicts, shapes no memory could hold
(written by torch and numpy themselves), .npz members stored and deflated, and malformed
.safetensors offsets (overlapping, gapped, short of the buffer) that the reference library refuses.

expected.json: { FILE: { TENSOR: { "dtype", "shape", "hex" } } } as in gen_interop.py (hex: the
row-major little-endian bytes in the stored dtype), plus "_buffers" / "_notes" where it matters.
"""
import json
import os
import struct
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "readers")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)
expected = OrderedDict()


def hexbytes(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes().hex()


def describe(t):
    return OrderedDict([("dtype", str(t.dtype).replace("torch.", "")), ("shape", list(t.shape)), ("hex", hexbytes(t))])


def record(file, tensors):
    expected[file] = OrderedDict((k, describe(v)) for k, v in tensors.items())


DTYPES = [torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32,
          torch.int16, torch.int8, torch.uint8, torch.bool]


def base_of(dtype):
    """A 4×6 tensor of `dtype` with distinct values (signs too where the dtype has them)."""
    x = torch.arange(24, dtype=torch.float64).reshape(4, 6) * 1.25 - 9
    if dtype == torch.bool:
        return (torch.arange(24).reshape(4, 6) % 3) == 0
    if dtype == torch.uint8:
        return (torch.arange(24).reshape(4, 6) * 10).to(torch.uint8)
    return x.to(dtype)


# ---- views of shared storages, every dtype -------------------------------------------------------
views = OrderedDict()
for dt in DTYPES:
    name = str(dt).replace("torch.", "")
    b = base_of(dt)
    views[name + ".base"] = b                          # the whole storage
    views[name + ".t"] = b.t()                         # strides (1, 6)
    views[name + ".slice"] = b[1:3, 2:5]               # storage offset 8, strides (6, 1), not contiguous
    views[name + ".step"] = b[::2, 1::2]               # offset 1, strides (12, 2)
    views[name + ".row"] = b[3]                        # offset 18, contiguous
    views[name + ".expand"] = b[0, :2].unsqueeze(0).expand(3, 2)  # stride 0
torch.save(views, os.path.join(OUT, "views.pt"))
record("views.pt", views)
# Views outlive the tensor they came from: a slice whose storage is larger than the view.
flat = torch.arange(100, dtype=torch.float32)
alone = OrderedDict([("tail", flat[90:]), ("middle", flat[10:20].view(2, 5)), ("every7", flat[::7])])
torch.save(alone, os.path.join(OUT, "offsets.pt"))
record("offsets.pt", alone)

# ---- a training checkpoint with buffers --------------------------------------------------------
net = nn.Sequential(OrderedDict([("conv", nn.Conv2d(3, 4, 3)), ("bn", nn.BatchNorm2d(4)), ("act", nn.ReLU()),
                                 ("pool", nn.AdaptiveAvgPool2d(1)), ("flat", nn.Flatten()), ("fc", nn.Linear(4, 2))]))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for _ in range(2):
    opt.zero_grad()
    net(torch.randn(5, 3, 8, 8)).pow(2).mean().backward()
    opt.step()
torch.save({"model": net.state_dict(), "optimizer": opt.state_dict(), "epoch": 2, "best_acc": 0.5},
           os.path.join(OUT, "training.pth"))
record("training.pth", net.state_dict())
expected["training.pth"]["_buffers"] = ["bn.running_mean", "bn.running_var", "bn.num_batches_tracked"]
net.eval()
torch.save(net.state_dict(), os.path.join(OUT, "state_dict.pth"))
record("state_dict.pth", net.state_dict())
expected["state_dict.pth"]["_buffers"] = expected["training.pth"]["_buffers"]

# ---- empty state_dicts ---------------------------------------------------------------------------
torch.save({}, os.path.join(OUT, "empty.pth"))
torch.save(nn.ReLU().state_dict(), os.path.join(OUT, "empty_ordered.pth"))
expected["empty.pth"] = OrderedDict()
expected["empty_ordered.pth"] = OrderedDict()

# ---- shapes no memory could hold, written by torch and numpy themselves ---------------------------
# expand() makes a [1e9, 1e9] view of a one-element storage (strides 0): torch.save keeps it so.
huge = OrderedDict([("ok", torch.ones(2)), ("huge", torch.zeros(1).expand(1000000000, 1000000000))])
torch.save(huge, os.path.join(OUT, "huge_shape.pt"))
with open(os.path.join(OUT, "huge_shape.npy"), "wb") as f:
    np.lib.format.write_array_header_1_0(f, {"descr": "<f4", "fortran_order": False, "shape": (1000000000, 1000000000)})
    f.write(b"\0" * 16)

# ---- .npz: stored and deflated members ------------------------------------------------------------
arrays = OrderedDict([("w", np.arange(12, dtype="<f4").reshape(3, 4) - 5.5), ("i16", np.array([-3, 0, 32767], dtype="<i2")),
                      ("flags", np.array([True, False, True])), ("f16", np.array([0.5, -2.0, 65504.0], dtype="<f2"))])
np.savez(os.path.join(OUT, "stored.npz"), **arrays)
np.savez_compressed(os.path.join(OUT, "deflated.npz"), **arrays)
expected["stored.npz"] = OrderedDict((k, describe(torch.from_numpy(v))) for k, v in arrays.items())
expected["deflated.npz"] = expected["stored.npz"]

# ---- .safetensors whose data_offsets do not tile the buffer ---------------------------------------


def write_safetensors(path, header, data):
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.write(data)


data = np.arange(8, dtype="<f4").tobytes()  # 32 bytes
write_safetensors(os.path.join(OUT, "overlap.safetensors"), OrderedDict([
    ("a", {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}),
    ("b", {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]})]), data[:24])
write_safetensors(os.path.join(OUT, "gap.safetensors"), OrderedDict([
    ("a", {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}),
    ("b", {"dtype": "F32", "shape": [2], "data_offsets": [16, 24]})]), data[:24])
write_safetensors(os.path.join(OUT, "short.safetensors"), OrderedDict([
    ("a", {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]})]), data)  # 16 bytes nobody claims
write_safetensors(os.path.join(OUT, "huge_shape.safetensors"), OrderedDict([
    ("huge", {"dtype": "F32", "shape": [1000000000, 1000000000], "data_offsets": [0, 32]})]), data)
# Out of order in the header but tiling the buffer: valid (the reference sorts by offset).
write_safetensors(os.path.join(OUT, "unordered.safetensors"), OrderedDict([
    ("b", {"dtype": "F32", "shape": [4], "data_offsets": [16, 32]}),
    ("a", {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]})]), data)
expected["unordered.safetensors"] = OrderedDict([
    ("b", describe(torch.arange(4, 8, dtype=torch.float32))), ("a", describe(torch.arange(0, 4, dtype=torch.float32)))])

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
print("wrote", len(os.listdir(OUT)), "files to", os.path.normpath(OUT))
