#!/usr/bin/env python3
"""PyTorch's torch.nn.init, measured, for test/unit/engine/initParity.test.ts.

Writes test/fixtures/parity/init.json: calculate_gain values, fan_in / fan_out of several shapes,
the exact error messages for 1-D tensors, and for every scheme on large Linear / Conv2d / LSTM
weights the empirical mean / std / min / max of torch's own draws (and the same for each layer
type's reset_parameters()). Weightscope's generator differs from torch's, so the test compares
distributions (formulas exactly, draws within sampling tolerance), not values.

Run: /usr/bin/python3 test/parity/gen_init.py
"""
import json
import math
import os

import torch
import torch.nn as nn

torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'parity', 'init.json')

SHAPES = {'linear': [256, 512], 'conv2d': [64, 32, 3, 3], 'lstm': [256, 32]}


def stats(t):
    t = t.detach().double().flatten()
    return {'mean': t.mean().item(), 'std': t.std(unbiased=False).item(), 'min': t.min().item(), 'max': t.max().item(), 'n': t.numel()}


gains = []
for name in ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid', 'tanh', 'relu', 'selu']:
    gains.append({'nonlinearity': name, 'param': None, 'gain': nn.init.calculate_gain(name)})
for param in [None, 0.0, 0.2, math.sqrt(5)]:
    gains.append({'nonlinearity': 'leaky_relu', 'param': param, 'gain': nn.init.calculate_gain('leaky_relu', param)})

fans = []
for shape in [[3, 5], [256, 512], [64, 32, 3, 3], [8, 4, 2, 3, 5], [256, 32], [0, 7]]:
    fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    fans.append({'shape': shape, 'fan_in': fan_in, 'fan_out': fan_out})

errors = {}
for scheme, fn in [('xavier_uniform', nn.init.xavier_uniform_), ('kaiming_normal', nn.init.kaiming_normal_), ('orthogonal', nn.init.orthogonal_)]:
    try:
        fn(torch.empty(5))
    except ValueError as e:
        errors[scheme] = str(e)

CASES = [
    ('uniform', {'a': -0.3, 'b': 0.7}),
    ('normal', {'mean': 0.5, 'std': 2.0}),
    ('constant', {'val': 0.25}),
    ('zeros', {}),
    ('ones', {}),
    ('xavier_uniform', {}),
    ('xavier_uniform', {'gain': nn.init.calculate_gain('tanh')}),
    ('xavier_normal', {}),
    ('xavier_normal', {'gain': 2.0}),
    ('kaiming_uniform', {}),
    ('kaiming_uniform', {'a': math.sqrt(5)}),
    ('kaiming_uniform', {'mode': 'fan_out', 'nonlinearity': 'relu'}),
    ('kaiming_normal', {}),
    ('kaiming_normal', {'mode': 'fan_out', 'nonlinearity': 'tanh'}),
    ('orthogonal', {}),
    ('orthogonal', {'gain': 2.0}),
]
cases = []
for scheme, kwargs in CASES:
    for layer, shape in SHAPES.items():
        t = torch.empty(shape)
        getattr(nn.init, scheme + '_')(t, **kwargs)
        cases.append({'scheme': scheme, 'kwargs': kwargs, 'layer': layer, 'shape': shape, **stats(t)})

defaults = []
for layer, module in [('Linear(512,256)', nn.Linear(512, 256)), ('Conv2d(32,64,3)', nn.Conv2d(32, 64, 3)), ('LSTM(32,64)', nn.LSTM(32, 64))]:
    for name, p in module.named_parameters():
        defaults.append({'layer': layer, 'param': name, 'shape': list(p.shape), **stats(p)})

with open(OUT, 'w', encoding='utf-8') as f:
    json.dump({'torch': torch.__version__, 'gains': gains, 'fans': fans, 'errors': errors, 'cases': cases, 'defaults': defaults}, f, indent=1)
print(f'wrote {OUT}: {len(cases)} cases, {len(defaults)} default parameters')
