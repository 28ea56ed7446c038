"""Write the `weightscope diff` fixtures under test/fixtures/diff/ and expected.json.

Run with Debian's python (torch + numpy): /usr/bin/python3 test/parity/gen_diff.py
The fixtures are committed; test/unit/cli/diff.test.ts reads them, so CI needs no torch.

A small CNN (Conv2d, BatchNorm2d with its buffers, two Linear layers) is the base; a copy is
really fine-tuned (SGD steps with the conv frozen, so some tensors stay the same and the
BatchNorm statistics move), then saved in other formats and dtypes, and edited the way model
surgery edits a checkpoint (a resized head, a dropped and an added key, NaN, +/-Infinity, -0.0).

expected.json: { "cases": [ { "a", "b", "atol", "tensors": { NAME: { status, shape_a, shape_b,
dtype_a, dtype_b, max_abs_diff, rel_l2, cosine, changed_fraction } }, "summary" } ] }, every
number computed here by NumPy in float64 from the tensors as saved, independently of the
TypeScript code, by the definitions of docs/cli.md.
"""
import json
import os
import struct
import sys
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "diff")
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import weightscope  # noqa: E402

torch.manual_seed(0)
os.makedirs(OUT, exist_ok=True)


class Net(nn.Module):
    def __init__(self, classes=3):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.bn = nn.BatchNorm2d(4)
        self.fc1 = nn.Linear(64, 8)
        self.head = nn.Linear(8, classes)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv(x))).flatten(1)
        return self.head(torch.relu(self.fc1(x)))


def clone_sd(sd):
    return OrderedDict((k, v.detach().clone()) for k, v in sd.items())


base = Net()
base_sd = clone_sd(base.state_dict())

# Fine-tune: the conv frozen (its tensors stay the same), the rest trained a few SGD steps on
# random data; BatchNorm's running statistics and num_batches_tracked move in train mode.
tuned = Net()
tuned.load_state_dict(base_sd)
for p in tuned.conv.parameters():
    p.requires_grad_(False)
opt = torch.optim.SGD([p for p in tuned.parameters() if p.requires_grad], lr=0.05)
x = torch.randn(16, 1, 6, 6)
y = torch.randint(0, 3, (16,))
for _ in range(5):
    opt.zero_grad()
    nn.functional.cross_entropy(tuned(x), y).backward()
    opt.step()
tuned_sd = clone_sd(tuned.state_dict())

ST_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
             torch.int64: "I64", torch.int32: "I32"}


def save_safetensors(sd, path):
    """The safetensors layout (8-byte header length, JSON header, raw little-endian bytes), by
    hand: the `safetensors` package is not a dependency here."""
    header, chunks, offset = OrderedDict(), [], 0
    for name, t in sd.items():
        t = t.detach().contiguous()
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": ST_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


def half_copy(sd, dtype):
    return OrderedDict((k, v.to(dtype) if v.is_floating_point() else v.clone()) for k, v in sd.items())


# Model surgery on the fine-tuned copy: a head for 5 classes (shape mismatch), fc1.bias dropped
# (only in A), a LoRA-style extra (only in B), NaN / +-Infinity / -0.0 planted in both.
edited_sd = clone_sd(tuned_sd)
edited_sd["head.weight"] = torch.randn(5, 8)
edited_sd["head.bias"] = torch.zeros(5)
del edited_sd["fc1.bias"]
edited_sd["lora.A"] = torch.randn(2, 64)
nan_a = clone_sd(tuned_sd)  # the A side of the NaN case: tuned, with specials of its own
w = nan_a["fc1.weight"]
w[0, 0] = float("nan")      # NaN in both at [0, 0]: equal
w[0, 1] = float("inf")      # +Infinity in both at [0, 1]: equal, and out of the norms
w[1, 0] = 1.5               # finite in A, NaN in B: changed, out of the norms
w[2, 0] = float("-inf")     # -Infinity in A, finite in B: changed, out of the norms
e = edited_sd["fc1.weight"]
e[0, 0] = float("nan")
e[0, 1] = float("inf")
e[1, 0] = float("nan")
e[2, 0] = 2.0
e[3, 3] += 0.25             # one finite change
# bn.bias: +0.0 in A where B has -0.0, otherwise identical: the same.
nan_a["bn.bias"] = torch.tensor([0.0, 0.0, 1.0, -2.0])
edited_sd["bn.bias"] = torch.tensor([-0.0, 0.0, 1.0, -2.0])
# conv.bias all NaN in B: no finite pair, every statistic null, all changed.
edited_sd["conv.bias"] = torch.full((4,), float("nan"))

torch.save(base_sd, os.path.join(OUT, "base.pth"))
torch.save(half_copy(tuned_sd, torch.float16), os.path.join(OUT, "tuned_f16.pth"))
save_safetensors(tuned_sd, os.path.join(OUT, "tuned.safetensors"))
save_safetensors(half_copy(base_sd, torch.bfloat16), os.path.join(OUT, "base_bf16.safetensors"))
weightscope.save(tuned_sd, os.path.join(OUT, "tuned.weights.json"))
weightscope.save(nan_a, os.path.join(OUT, "specials.weights.json"))
save_safetensors(edited_sd, os.path.join(OUT, "edited.safetensors"))

# Two bare arrays (np.save): a single .npy is named after its file, so two of them are matched
# with each other whatever their names, under A's name.
np.save(os.path.join(OUT, "fc1_base.npy"), base_sd["fc1.weight"].numpy())
np.save(os.path.join(OUT, "fc1_tuned_f16.npy"), tuned_sd["fc1.weight"].half().numpy())

FILES = {
    "fc1_base.npy": OrderedDict([("fc1_base", base_sd["fc1.weight"])]),
    "fc1_tuned_f16.npy": OrderedDict([("fc1_base", tuned_sd["fc1.weight"].half())]),
    "base.pth": base_sd,
    "tuned_f16.pth": half_copy(tuned_sd, torch.float16),
    "tuned.safetensors": tuned_sd,
    "base_bf16.safetensors": half_copy(base_sd, torch.bfloat16),
    "tuned.weights.json": tuned_sd,
    "specials.weights.json": nan_a,
    "edited.safetensors": edited_sd,
}


def stats(ta, tb, atol):
    """The contract's statistics, in float64, vectorised, from the definitions alone."""
    a = ta.to(torch.float64).numpy().ravel()
    b = tb.to(torch.float64).numpy().ravel()
    with np.errstate(invalid="ignore"):
        equal = (a == b) | (np.isnan(a) & np.isnan(b)) | (np.abs(b - a) <= atol)
    fin = np.isfinite(a) & np.isfinite(b)
    af, bf = a[fin], b[fin]
    na, nb = np.linalg.norm(af), np.linalg.norm(bf)
    return equal.all(), OrderedDict([
        ("max_abs_diff", float(np.max(np.abs(bf - af))) if af.size else None),
        ("rel_l2", float(np.linalg.norm(bf - af) / na) if na != 0 else None),
        ("cosine", float(np.dot(af, bf) / (na * nb)) if na != 0 and nb != 0 else None),
        ("changed_fraction", float(np.mean(~equal)) if a.size else 0.0),
    ])


def dtype_name(t):
    return str(t.dtype).replace("torch.", "")


def case(fa, fb, atol=0.0):
    A, B = FILES[fa], FILES[fb]
    tensors = OrderedDict()
    summary = OrderedDict((s, 0) for s in ["same", "changed", "shape_mismatch", "only_in_a", "only_in_b"])
    for name in list(A) + [n for n in B if n not in A]:
        ta, tb = A.get(name), B.get(name)
        row = OrderedDict([
            ("status", None), ("shape_a", list(ta.shape) if ta is not None else None),
            ("shape_b", list(tb.shape) if tb is not None else None),
            ("dtype_a", dtype_name(ta) if ta is not None else None), ("dtype_b", dtype_name(tb) if tb is not None else None),
            ("max_abs_diff", None), ("rel_l2", None), ("cosine", None), ("changed_fraction", None),
        ])
        if tb is None:
            row["status"] = "only_in_a"
        elif ta is None:
            row["status"] = "only_in_b"
        elif list(ta.shape) != list(tb.shape):
            row["status"] = "shape_mismatch"
        else:
            same, s = stats(ta, tb, atol)
            row["status"] = "same" if same else "changed"
            row.update(s)
        summary[row["status"]] += 1
        tensors[name] = row
    return OrderedDict([("a", fa), ("b", fb), ("atol", atol), ("tensors", tensors), ("summary", summary)])


cases = [
    case("base.pth", "tuned.safetensors"),
    case("base.pth", "tuned.weights.json"),
    case("tuned.safetensors", "tuned_f16.pth"),
    case("tuned.safetensors", "tuned_f16.pth", atol=1e-4),
    case("base_bf16.safetensors", "base.pth"),
    case("specials.weights.json", "edited.safetensors"),
    case("tuned.weights.json", "tuned.safetensors"),
    case("fc1_base.npy", "fc1_tuned_f16.npy"),
]
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({"cases": cases}, f, indent=1, allow_nan=False)
    f.write("\n")
for c in cases:
    print(c["a"], "vs", c["b"], "atol", c["atol"], dict(c["summary"]))
