"""Write the interop fixtures under test/fixtures/interop/ and expected.json with every value.

Run with Debian's python (torch + numpy): /usr/bin/python3 test/parity/gen_interop.py
The fixtures are committed; the TypeScript tests read them, so CI needs no torch.

expected.json: { FILE: { TENSOR_NAME: { "dtype": source dtype, "shape": [...], "hex": row-major
little-endian bytes in the source dtype } } }, plus "_requires_grad" / "_optimizer_state" where a
file records them. Hex keeps every bit (NaN payloads, -0.0) exact.
"""
import io
import json
import os
import pickle
import struct
import sys
import zipfile
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "interop")
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
import weightscope  # noqa: E402

MALICIOUS_MARKER = "/tmp/weightscope-malicious-pickle-ran"

torch.manual_seed(0)
os.makedirs(OUT, exist_ok=True)
expected = OrderedDict()


def hexbytes(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes().hex()


def describe(t):
    return OrderedDict([("dtype", str(t.dtype).replace("torch.", "")), ("shape", list(t.shape)), ("hex", hexbytes(t))])


SPECIAL = [0.0, -0.0, 1.5, -2.25, float("nan"), float("inf"), float("-inf"), 1e-3]


def dtype_tensors():
    """One small tensor of every dtype, the floats with NaN, ±Infinity and -0.0."""
    d = OrderedDict()
    d["f32"] = torch.tensor(SPECIAL, dtype=torch.float32).reshape(2, 4)
    d["f32"][0, 3] = 0.1  # a value that is not exact in decimal
    d["f64"] = torch.tensor(SPECIAL + [0.1, 1 / 3], dtype=torch.float64).reshape(2, 5)
    d["f16"] = torch.tensor(SPECIAL + [65504.0, 6e-8], dtype=torch.float16)
    d["bf16"] = torch.tensor(SPECIAL + [3.0e38, 1e-38], dtype=torch.bfloat16)
    d["i64"] = torch.tensor([0, -1, 2 ** 62, -(2 ** 63), 2 ** 53 + 1, 7], dtype=torch.int64).reshape(3, 2)
    d["i32"] = torch.tensor([0, -1, 2 ** 31 - 1, -(2 ** 31)], dtype=torch.int32)
    d["i16"] = torch.tensor([0, -1, 32767, -32768], dtype=torch.int16)
    d["i8"] = torch.tensor([0, -1, 127, -128], dtype=torch.int8)
    d["u8"] = torch.tensor([0, 1, 200, 255], dtype=torch.uint8)
    d["bool"] = torch.tensor([[True, False, True], [False, False, True]])
    d["scalar"] = torch.tensor(3.5, dtype=torch.float32)
    d["empty"] = torch.zeros(0, 3, dtype=torch.float32)
    return d


def record(file, tensors):
    expected[file] = OrderedDict((k, describe(v)) for k, v in tensors.items())


# ---- PyTorch .pt ---------------------------------------------------------------------------
tensors = dtype_tensors()
torch.save(tensors, os.path.join(OUT, "dtypes.pt"))
record("dtypes.pt", tensors)

base = torch.arange(24, dtype=torch.float32).reshape(4, 6) * 0.5 - 3
strided = OrderedDict([
    ("transposed", base.t()),              # non-contiguous: strides (1, 6)
    ("sliced", base[1:, ::2]),             # storage offset 6, strides (6, 2)
    ("row", base[2]),                      # offset 12, contiguous
    ("expanded", torch.tensor([1.0, 2.0]).expand(3, 2)),  # stride 0
])
torch.save(strided, os.path.join(OUT, "strided.pt"))
record("strided.pt", strided)

# A training checkpoint: model, optimizer, epoch.
net = nn.Sequential(OrderedDict([("fc1", nn.Linear(2, 3)), ("act", nn.ReLU()), ("fc2", nn.Linear(3, 1)),
                                 ("bn", nn.BatchNorm1d(1))]))
opt = torch.optim.Adam(net.parameters(), lr=0.01)
net(torch.randn(4, 2)).sum().backward()
opt.step()
torch.save({"model": net.state_dict(), "optimizer": opt.state_dict(), "epoch": 5}, os.path.join(OUT, "nested.pt"))
record("nested.pt", net.state_dict())

# Legacy (pre-1.6) and TorchScript files: refused with a message.
torch.save(OrderedDict([("w", torch.ones(2))]), os.path.join(OUT, "legacy.pt"), _use_new_zipfile_serialization=False)
torch.jit.save(torch.jit.script(nn.Linear(2, 2)), os.path.join(OUT, "torchscript.pt"))


# A malicious .pt: the same zip layout, but data.pkl calls os.system under pickle.load.
class Exploit:
    def __reduce__(self):
        return (os.system, ("touch " + MALICIOUS_MARKER,))


with zipfile.ZipFile(os.path.join(OUT, "malicious.pt"), "w", zipfile.ZIP_STORED) as z:
    z.writestr("archive/data.pkl", pickle.dumps(OrderedDict([("w", Exploit())]), protocol=2))
    z.writestr("archive/version", "3\n")

# ---- NumPy .npy / .npz ------------------------------------------------------------------------
np_arrays = OrderedDict()
for name, t in dtype_tensors().items():
    if t.dtype == torch.bfloat16:
        continue  # NumPy has no bfloat16
    np_arrays[name] = t.numpy()
npy_expected = OrderedDict()
for name, arr in np_arrays.items():
    np.save(os.path.join(OUT, "np_%s.npy" % name), arr)
    npy_expected["np_%s.npy" % name] = describe(torch.from_numpy(arr))
fortran = np.asfortranarray(np.arange(12, dtype="<f4").reshape(3, 4) - 5.5)
np.save(os.path.join(OUT, "np_fortran.npy"), fortran)
npy_expected["np_fortran.npy"] = describe(torch.from_numpy(np.ascontiguousarray(fortran)))
with open(os.path.join(OUT, "np_v2.npy"), "wb") as f:
    np.lib.format.write_array(f, np_arrays["f32"], version=(2, 0))
npy_expected["np_v2.npy"] = describe(torch.from_numpy(np_arrays["f32"]))
with open(os.path.join(OUT, "np_v3.npy"), "wb") as f:
    np.lib.format.write_array(f, np_arrays["i16"], version=(3, 0))
npy_expected["np_v3.npy"] = describe(torch.from_numpy(np_arrays["i16"]))
expected["npy"] = npy_expected

np.savez(os.path.join(OUT, "arrays.npz"), **np_arrays)
np.savez_compressed(os.path.join(OUT, "arrays_compressed.npz"), **np_arrays)
expected["arrays.npz"] = OrderedDict((k, describe(torch.from_numpy(v))) for k, v in np_arrays.items())
expected["arrays_compressed.npz"] = expected["arrays.npz"]

# ---- .safetensors, by its published layout -----------------------------------------------------
ST_DTYPES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
             torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
             torch.uint8: "U8", torch.bool: "BOOL"}


def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = OrderedDict(), [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        raw = bytes.fromhex(hexbytes(t))
        header[name] = {"dtype": ST_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the reference writer pads the header to 8 bytes
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


st = dtype_tensors()
write_safetensors(os.path.join(OUT, "dtypes.safetensors"), st, {"format": "pt"})
record("dtypes.safetensors", st)

# ---- weightscope.save: PyTorch → .weights.json --------------------------------------------------
torch.manual_seed(1)
model = nn.Sequential(OrderedDict([("fc1", nn.Linear(2, 4)), ("act", nn.Tanh()), ("fc2", nn.Linear(4, 1))]))
model.fc1.bias.requires_grad_(False)
big = nn.Sequential(nn.Linear(80, 64))  # 5120 weights: over the base64 threshold
sgd = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1, momentum=0.9)
for _ in range(2):
    sgd.zero_grad()
    model(torch.randn(5, 2)).pow(2).mean().backward()
    sgd.step()
weightscope.save(model, os.path.join(OUT, "from_pytorch.weights.json"), input_shape=[2], optimizer=sgd,
                 training={"loss": "mse", "history": []})
weightscope.save(big, os.path.join(OUT, "from_pytorch_big.weights.json"), input_shape=[80])
expected["from_pytorch.weights.json"] = OrderedDict((k, describe(v)) for k, v in model.state_dict().items())
expected["from_pytorch.weights.json"]["_requires_grad"] = {k: p.requires_grad for k, p in model.named_parameters()}
expected["from_pytorch.weights.json"]["_optimizer_state"] = {
    name: describe(sgd.state[p]["momentum_buffer"]) for name, p in model.named_parameters() if p in sgd.state}
expected["from_pytorch_big.weights.json"] = OrderedDict((k, describe(v)) for k, v in big.state_dict().items())

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
print("wrote", len(os.listdir(OUT)), "files to", os.path.normpath(OUT))
