"""Weightscope's bridge to PyTorch: write and read ``.weights.json`` checkpoints.

One file, the standard library plus ``torch`` (1.13 or newer). Copy it next to your training
script, or put its folder on ``PYTHONPATH``.

    import weightscope
    weightscope.save(model, "model.weights.json", input_shape=[2], optimizer=opt)
    # ... open model.weights.json in VS Code, freeze layers, retrain ...
    weightscope.load_into(model, "model.weights.json", optimizer=opt)

The format is described in docs/weights-json.md: a ``state_dict`` as JSON, plus the
``nn.Sequential`` architecture, ``requires_grad`` of every parameter, and the optimizer's
settings and per-parameter state keyed by parameter *name*.
"""
import base64
import json
import os
import sys
import warnings
from collections import OrderedDict

import torch
from torch import nn

__all__ = ["save", "load", "load_into", "load_optimizer_state", "BASE64_THRESHOLD"]

#: Tensors with more elements than this are written as base64 (raw little-endian bytes);
#: smaller ones as nested lists (``tensor.tolist()``), which a person can read. Both are exact.
BASE64_THRESHOLD = 4096

_DTYPE_NAMES = OrderedDict([
    (torch.float32, "float32"), (torch.float64, "float64"), (torch.float16, "float16"),
    (torch.bfloat16, "bfloat16"), (torch.int64, "int64"), (torch.int32, "int32"),
    (torch.uint8, "uint8"), (torch.bool, "bool"),
])
_DTYPES = {name: dt for dt, name in _DTYPE_NAMES.items()}
# Dtypes the format lacks, widened losslessly on save (the reverse of what load does not undo).
_WIDEN = {torch.int16: torch.int32, torch.int8: torch.int32}
_BUFFER_SUFFIXES = ("running_mean", "running_var", "num_batches_tracked")


# ----------------------------------------------------------------------------------------------
# tensors

def _raw_bytes(t):
    """The tensor's row-major little-endian bytes (bfloat16 through its 16-bit pattern)."""
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    arr = t.numpy()
    if arr.dtype.byteorder == ">":
        arr = arr.byteswap().newbyteorder()
    return arr.tobytes()


def _tensor_to_json(t, requires_grad):
    t = t.detach().cpu()
    if t.dtype in _WIDEN:
        t = t.to(_WIDEN[t.dtype])
    if t.dtype not in _DTYPE_NAMES:
        raise ValueError("weightscope.save: dtype %s is not supported by .weights.json (expected one of %s)"
                         % (t.dtype, ", ".join(_DTYPE_NAMES.values())))
    dtype = _DTYPE_NAMES[t.dtype]
    out = OrderedDict([("shape", list(t.shape)), ("dtype", dtype), ("requires_grad", bool(requires_grad))])
    big_int = dtype == "int64" and t.numel() > 0 and bool((t.abs() > 2 ** 53).any())
    if t.numel() > BASE64_THRESHOLD or big_int:
        out["data"] = "base64:" + base64.b64encode(_raw_bytes(t)).decode("ascii")
    elif dtype in ("float16", "bfloat16"):
        # tolist() gives the exact value as a Python float: no rounding on the way back.
        out["data"] = t.float().tolist()
    else:
        out["data"] = t.tolist()
    return out


def _tensor_from_json(obj, name, path):
    """One tensor object of the format → a torch tensor of its dtype (nested, flat or base64 data)."""
    dtype_name = obj.get("dtype", "float32")
    if dtype_name not in _DTYPES:
        raise ValueError("%s: %s: unknown dtype %r (expected one of %s)" % (path, name, dtype_name, ", ".join(_DTYPES)))
    dtype = _DTYPES[dtype_name]
    shape = [int(d) for d in obj["shape"]]
    numel = 1
    for d in shape:
        numel *= d
    data = obj["data"]
    if isinstance(data, str):
        if not data.startswith("base64:"):
            raise ValueError("%s: %s: data string must start with 'base64:'" % (path, name))
        raw = bytearray(base64.b64decode(data[len("base64:"):]))
        itemsize = torch.empty((), dtype=dtype).element_size()
        if len(raw) != numel * itemsize:
            raise ValueError("%s: %s: base64 holds %d bytes, expected %d for %s %s"
                             % (path, name, len(raw), numel * itemsize, dtype_name, shape))
        if numel == 0:
            return torch.empty(shape, dtype=dtype)
        if dtype == torch.bfloat16:
            t = torch.frombuffer(raw, dtype=torch.int16).view(torch.bfloat16)
        else:
            t = torch.frombuffer(raw, dtype=dtype)
        if t.element_size() > 1 and _big_endian():
            raise ValueError("weightscope: base64 data on a big-endian machine is not supported")
        return t.clone().reshape(shape)
    if dtype in (torch.float16, torch.bfloat16):
        # Through float64: every float16/bfloat16 value is exact in it; rounding happens once.
        t = torch.tensor(data, dtype=torch.float64).to(dtype)
    else:
        t = torch.tensor(data, dtype=dtype)
    if t.numel() != numel:
        raise ValueError("%s: %s: data has %d elements, expected %d for shape %s" % (path, name, t.numel(), numel, shape))
    return t.reshape(shape)


def _big_endian():
    return sys.byteorder == "big"


# ----------------------------------------------------------------------------------------------
# architecture

def _layer_spec(module):
    """The format's layer object for one module of an nn.Sequential, or raise ValueError."""
    kind = type(module).__name__
    if isinstance(module, nn.Linear):
        return OrderedDict([("type", "Linear"), ("in_features", module.in_features),
                            ("out_features", module.out_features), ("bias", module.bias is not None)])
    if isinstance(module, nn.Conv2d):
        if module.dilation != (1, 1) or module.groups != 1 or isinstance(module.padding, str) \
                or module.padding_mode != "zeros":
            raise ValueError("Conv2d with dilation, groups, string padding or a padding_mode is not supported")
        pair = lambda v: v[0] if v[0] == v[1] else list(v)  # noqa: E731
        return OrderedDict([("type", "Conv2d"), ("in_channels", module.in_channels),
                            ("out_channels", module.out_channels), ("kernel_size", pair(module.kernel_size)),
                            ("stride", pair(module.stride)), ("padding", pair(module.padding)),
                            ("bias", module.bias is not None)])
    if isinstance(module, nn.LSTM):
        if not module.batch_first:
            raise ValueError("LSTM needs batch_first=True (the format always carries the batch first)")
        if module.bidirectional or getattr(module, "proj_size", 0) or module.dropout:
            raise ValueError("bidirectional LSTM, proj_size and dropout between layers are not supported")
        return OrderedDict([("type", "LSTM"), ("input_size", module.input_size), ("hidden_size", module.hidden_size),
                            ("num_layers", module.num_layers), ("bias", module.bias), ("batch_first", True)])
    if isinstance(module, nn.MaxPool2d):
        if module.padding not in (0, (0, 0)) or module.dilation not in (1, (1, 1)) or module.ceil_mode:
            raise ValueError("MaxPool2d with padding, dilation or ceil_mode is not supported")
        one = lambda v: list(v) if isinstance(v, tuple) and v[0] != v[1] else (v[0] if isinstance(v, tuple) else v)  # noqa: E731
        return OrderedDict([("type", "MaxPool2d"), ("kernel_size", one(module.kernel_size)), ("stride", one(module.stride))])
    if isinstance(module, nn.Flatten):
        if module.end_dim != -1:
            raise ValueError("Flatten with end_dim other than -1 is not supported")
        return OrderedDict([("type", "Flatten"), ("start_dim", module.start_dim)])
    if isinstance(module, nn.Dropout):
        return OrderedDict([("type", "Dropout"), ("p", module.p)])
    if isinstance(module, nn.LeakyReLU):
        return OrderedDict([("type", "LeakyReLU"), ("negative_slope", module.negative_slope)])
    if isinstance(module, nn.GELU):
        if getattr(module, "approximate", "none") != "none":
            raise ValueError("GELU(approximate='tanh') is not supported")
        return OrderedDict([("type", "GELU")])
    if isinstance(module, (nn.ReLU, nn.Tanh, nn.Sigmoid)):
        return OrderedDict([("type", kind)])
    raise ValueError("layer type %s is not supported" % kind)


def _model_section(model, input_shape):
    """The `model` section for an nn.Sequential, or None (with a warning) when it cannot be described."""
    if not isinstance(model, nn.Sequential):
        warnings.warn("weightscope.save: %s is not an nn.Sequential; writing weights only (no model section)"
                      % type(model).__name__)
        return None
    layers = []
    for index, (name, module) in enumerate(model.named_children()):
        try:
            spec = _layer_spec(module)
        except ValueError as e:
            warnings.warn("weightscope.save: layer %s: %s; writing weights only (no model section)" % (name, e))
            return None
        if name != str(index):
            spec["name"] = name
            spec.move_to_end("name", last=False)
            spec.move_to_end("type", last=False)
        layers.append(spec)
    section = OrderedDict()
    if input_shape is not None:
        section["input_shape"] = [int(d) for d in input_shape]
    section["layers"] = layers
    return section


# ----------------------------------------------------------------------------------------------
# optimizer

_OPTIMIZER_FIELDS = {
    "SGD": ("lr", "momentum", "dampening", "nesterov", "weight_decay"),
    "Adam": ("lr", "betas", "eps", "weight_decay", "amsgrad"),
    "AdamW": ("lr", "betas", "eps", "weight_decay", "amsgrad"),
}


def _optimizer_sections(optimizer, names_by_param):
    """(`optimizer`, `optimizer_state`) of the format from a torch optimizer, state keyed by name."""
    kind = type(optimizer).__name__
    if kind not in _OPTIMIZER_FIELDS:
        raise ValueError("weightscope.save: optimizer %s is not supported (expected SGD, Adam or AdamW)" % kind)
    if len(optimizer.param_groups) != 1:
        warnings.warn("weightscope.save: the optimizer has %d parameter groups; the first group's settings are written"
                      % len(optimizer.param_groups))
    group = optimizer.param_groups[0]
    spec = OrderedDict([("type", kind)])
    for field in _OPTIMIZER_FIELDS[kind]:
        value = group[field]
        if isinstance(value, torch.Tensor):
            value = value.item()
        spec[field] = list(value) if isinstance(value, tuple) else value
    state = OrderedDict()
    for g in optimizer.param_groups:
        for p in g["params"]:
            if p not in optimizer.state or id(p) not in names_by_param:
                continue
            per = OrderedDict()
            for key, value in optimizer.state[p].items():
                if key == "step":
                    per["step"] = int(value.item() if isinstance(value, torch.Tensor) else value)
                elif isinstance(value, torch.Tensor):
                    per[key] = _tensor_to_json(value, False)
                elif value is not None:
                    per[key] = value
            state[names_by_param[id(p)]] = per
    return spec, state


def load_optimizer_state(optimizer, model, path_or_checkpoint):
    """Restore an optimizer's hyper-parameters and per-parameter state from a ``.weights.json``.

    The file keys the state by parameter name; it is matched to ``model.named_parameters()``.
    """
    ckpt = _read_json(path_or_checkpoint) if isinstance(path_or_checkpoint, str) else path_or_checkpoint
    path = path_or_checkpoint if isinstance(path_or_checkpoint, str) else "<checkpoint>"
    spec = ckpt.get("optimizer")
    if spec and spec.get("type") != type(optimizer).__name__:
        raise ValueError("%s: optimizer: the file's is %s, the given one is %s"
                         % (path, spec.get("type"), type(optimizer).__name__))
    if spec:
        for g in optimizer.param_groups:
            for field, value in spec.items():
                if field != "type" and field in g:
                    g[field] = tuple(value) if field == "betas" else value
    params = dict(model.named_parameters())
    for name, per in (ckpt.get("optimizer_state") or {}).items():
        if name not in params:
            raise ValueError("%s: optimizer_state: %s is not a parameter of the model" % (path, name))
        p = params[name]
        restored = {}
        for key, value in per.items():
            if isinstance(value, dict) and "shape" in value:
                restored[key] = _tensor_from_json(value, "%s.%s" % (name, key), path).to(p.device)
            elif key == "step" and type(optimizer).__name__ in ("Adam", "AdamW"):
                # torch ≥ 1.12 keeps Adam's step as a float tensor.
                restored[key] = torch.tensor(float(value))
            else:
                restored[key] = value
        optimizer.state[p] = restored


# ----------------------------------------------------------------------------------------------
# public API

def save(model_or_state_dict, path, input_shape=None, optimizer=None, training=None):
    """Write ``model_or_state_dict`` to ``path`` as a ``.weights.json`` checkpoint.

    model_or_state_dict: an ``nn.Module`` (an ``nn.Sequential`` of supported layers also writes
        its architecture; any other module writes its weights only) or a plain ``state_dict``.
    input_shape: the shape of one sample without the batch dimension, e.g. ``[2]`` or ``[1, 8, 8]``.
    optimizer: a ``torch.optim.SGD``/``Adam``/``AdamW``; its settings and per-parameter state
        (momentum, Adam moments, step) are written keyed by parameter name.
    training: a dict for the ``training`` section (dataset, loss, epochs, history, …), as is.

    float32 values are written exactly; ``requires_grad`` of each parameter is kept (frozen
    parameters have ``false``). int16/int8 tensors are widened to int32.
    """
    doc = OrderedDict([("format", "weights.json"), ("version", 1)])
    parameters, buffers = OrderedDict(), OrderedDict()
    names_by_param = {}
    if isinstance(model_or_state_dict, nn.Module):
        model = model_or_state_dict
        section = _model_section(model, input_shape)
        if section is not None:
            doc["model"] = section
        param_names = set()
        for name, p in model.named_parameters():
            names_by_param[id(p)] = name
            param_names.add(name)
        # state_dict order is the file's order; parameters and buffers split as PyTorch registers them.
        requires = {name: p.requires_grad for name, p in model.named_parameters()}
        for name, t in model.state_dict().items():
            if name in param_names:
                parameters[name] = _tensor_to_json(t, requires[name])
            else:
                buffers[name] = _tensor_to_json(t, False)
    else:
        if optimizer is not None:
            raise ValueError("weightscope.save: optimizer state needs the model (parameter names), not a state_dict")
        for name, t in model_or_state_dict.items():
            if not isinstance(t, torch.Tensor):
                raise ValueError("weightscope.save: state_dict entry %r is a %s, not a tensor" % (name, type(t).__name__))
            if name.endswith(_BUFFER_SUFFIXES):
                buffers[name] = _tensor_to_json(t, False)
            else:
                # A state_dict does not record requires_grad: a Parameter says, else floats train.
                rg = t.requires_grad if isinstance(t, nn.Parameter) else t.is_floating_point()
                parameters[name] = _tensor_to_json(t, rg)
    doc["parameters"] = parameters
    if buffers:
        doc["buffers"] = buffers
    if optimizer is not None:
        doc["optimizer"], doc["optimizer_state"] = _optimizer_sections(optimizer, names_by_param)
    if training is not None:
        doc["training"] = training
    text = _dumps(doc)
    tmp = "%s.tmp" % path
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.write("\n")
    os.replace(tmp, path)  # atomic: an interrupted save leaves the old file whole


def _dumps(doc):
    """JSON with the structure indented and each tensor's nested data on one line, readable both ways."""
    inline = []

    def mark(tensor):
        tensor = OrderedDict(tensor)
        for key in ("shape", "data"):
            if isinstance(tensor.get(key), list):
                inline.append(json.dumps(tensor[key], allow_nan=True, separators=(", ", ": ")))
                tensor[key] = "@@weightscope-inline-%d@@" % (len(inline) - 1)
        return tensor

    def one_line(value):
        inline.append(json.dumps(value, allow_nan=True, separators=(", ", ": ")))
        return "@@weightscope-inline-%d@@" % (len(inline) - 1)

    doc = OrderedDict(doc)
    if "model" in doc:  # one line per layer, as Weightscope writes it
        model = OrderedDict(doc["model"])
        if "input_shape" in model:
            model["input_shape"] = one_line(model["input_shape"])
        model["layers"] = [one_line(layer) for layer in model["layers"]]
        doc["model"] = model
    if "optimizer" in doc and "betas" in doc["optimizer"]:
        doc["optimizer"] = OrderedDict(doc["optimizer"])
        doc["optimizer"]["betas"] = one_line(doc["optimizer"]["betas"])
    for section in ("parameters", "buffers"):
        if section in doc:
            doc[section] = OrderedDict((k, mark(v)) for k, v in doc[section].items())
    if "optimizer_state" in doc:
        doc["optimizer_state"] = OrderedDict(
            (name, OrderedDict((k, mark(v) if isinstance(v, dict) else v) for k, v in per.items()))
            for name, per in doc["optimizer_state"].items())
    text = json.dumps(doc, indent=1, allow_nan=True)
    for i, data in enumerate(inline):
        text = text.replace('"@@weightscope-inline-%d@@"' % i, data, 1)
    return text


def _read_json(path):
    with open(path, "r", encoding="utf-8") as f:
        # Python's json reads NaN, Infinity and -Infinity tokens, as the format allows.
        doc = json.load(f, object_pairs_hook=OrderedDict)
    if doc.get("format") != "weights.json":
        raise ValueError("%s: format: expected \"weights.json\", got %r" % (path, doc.get("format")))
    if doc.get("version") != 1:
        raise ValueError("%s: version: expected 1, got %r (a newer Weightscope wrote it?)" % (path, doc.get("version")))
    return doc


def _narrowed(doc):
    """name → torch dtype for the tensors Weightscope widened when it converted a file (int16/int8
    stored as int32: ``metadata.widened_dtypes``), so they come back as the source file had them."""
    widened = (doc.get("metadata") or {}).get("widened_dtypes") if isinstance(doc.get("metadata"), dict) else None
    names = {"int16": torch.int16, "int8": torch.int8}
    return {name: names[d] for name, d in (widened or {}).items() if d in names}


def load(path):
    """Read a ``.weights.json`` file and return its ``state_dict``: an OrderedDict of tensors
    (parameters then buffers, in file order), each of its dtype, with ``requires_grad`` as the file says.
    Tensors that a conversion widened (int16/int8 → int32, see ``metadata.widened_dtypes``) come back narrowed."""
    doc = _read_json(path)
    narrow = _narrowed(doc)
    state = OrderedDict()
    for section, default_rg in (("parameters", True), ("buffers", False)):
        for name, obj in (doc.get(section) or {}).items():
            t = _tensor_from_json(obj, name, path)
            if name in narrow:
                t = t.to(narrow[name])
            if obj.get("requires_grad", default_rg) and (t.is_floating_point()):
                t.requires_grad_(True)
            state[name] = t
    return state


def load_into(model, path, strict=True, optimizer=None):
    """Load a ``.weights.json`` into ``model`` (``load_state_dict``) and set each parameter's
    ``requires_grad`` as the file says (frozen in Weightscope → frozen here).

    optimizer: if given, its settings and state are restored from the file too.
    Returns what ``model.load_state_dict`` returns (missing and unexpected keys).
    """
    doc = _read_json(path)
    narrow = _narrowed(doc)
    state = OrderedDict()
    for section in ("parameters", "buffers"):
        for name, obj in (doc.get(section) or {}).items():
            t = _tensor_from_json(obj, name, path)
            state[name] = t.to(narrow[name]) if name in narrow else t
    result = model.load_state_dict(state, strict=strict)
    params = dict(model.named_parameters())
    for name, obj in (doc.get("parameters") or {}).items():
        if name in params:
            params[name].requires_grad_(bool(obj.get("requires_grad", True)))
    if optimizer is not None:
        load_optimizer_state(optimizer, model, doc)
    return result


if __name__ == "__main__":  # pragma: no cover - a tiny self-check: python3 weightscope.py
    net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "m.weights.json")
        save(net, p, input_shape=[2])
        other = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        load_into(other, p)
        assert all(torch.equal(a, b) for a, b in zip(net.state_dict().values(), other.state_dict().values()))
        print("ok")
