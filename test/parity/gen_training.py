#!/usr/bin/env python3
"""Generates the PyTorch training parity fixtures under test/fixtures/parity/training/<case>/.

Each case builds an nn.Sequential from a `.weights.json` layer list, trains it with PyTorch on a
small float32 data set with mini-batches in order (no shuffle), and writes:
  start.weights.json  the initial weights (and the optimizer/training settings of the case)
  data.json           x, y (flat), input_shape, target_size, task
  options.json        the TrainOptions to pass to trainCheckpoint (camelCase CLI flag names)
  expected.json       final weights, per-epoch losses, final optimizer state (PyTorch's names)
Run: /usr/bin/python3 test/parity/gen_training.py   (torch >= 1.13)
"""
import json
import os
import shutil
from collections import OrderedDict

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'parity', 'training')


class LSTMLast(nn.LSTM):
    """nn.LSTM that passes on output[:, -1, :], as the format's LSTM layer does; same state_dict names."""

    def forward(self, x):  # noqa: D401
        out, _ = super().forward(x)
        return out[:, -1, :]


def build(layers):
    mods = []
    for l in layers:
        t = l['type']
        if t == 'Linear':
            mods.append(nn.Linear(l['in_features'], l['out_features'], bias=l.get('bias', True)))
        elif t == 'Conv2d':
            mods.append(nn.Conv2d(l['in_channels'], l['out_channels'], tuple_(l['kernel_size']),
                                  stride=tuple_(l.get('stride', 1)), padding=tuple_(l.get('padding', 0)),
                                  bias=l.get('bias', True)))
        elif t == 'MaxPool2d':
            mods.append(nn.MaxPool2d(tuple_(l['kernel_size']), stride=tuple_(l.get('stride', l['kernel_size']))))
        elif t == 'Flatten':
            mods.append(nn.Flatten(l.get('start_dim', 1)))
        elif t == 'LSTM':
            mods.append(LSTMLast(l['input_size'], l['hidden_size'], num_layers=l.get('num_layers', 1),
                                 bias=l.get('bias', True), batch_first=True))
        elif t == 'Dropout':
            mods.append(nn.Dropout(l.get('p', 0.5)))
        elif t == 'LeakyReLU':
            mods.append(nn.LeakyReLU(l.get('negative_slope', 0.01)))
        else:
            mods.append(getattr(nn, t)())
    if any('name' in l for l in layers):
        return nn.Sequential(OrderedDict((l.get('name', str(i)), m) for i, (l, m) in enumerate(zip(layers, mods))))
    return nn.Sequential(*mods)


def tuple_(v):
    return tuple(v) if isinstance(v, list) else v


def flat(t):
    return t.detach().reshape(-1).tolist()


def tensor_json(t, requires_grad=True):
    return {'shape': list(t.shape), 'dtype': 'float32', 'requires_grad': requires_grad, 'data': flat(t)}


def make_optimizer(spec, params):
    s = dict(spec)
    kind = s.pop('type')
    if 'betas' in s:
        s['betas'] = tuple(s['betas'])
    return getattr(torch.optim, kind)(params, **s)


def merged_optimizer(case):
    """The optimizer the run uses: the file's section, with the options' overrides on top."""
    spec = dict(case['file_optimizer'])
    o = case.get('options', {})
    for key, name in (('lr', 'lr'), ('momentum', 'momentum'), ('weightDecay', 'weight_decay'),
                      ('eps', 'eps'), ('nesterov', 'nesterov'), ('betas', 'betas')):
        if key in o:
            spec[name] = o[key]
    return spec


def loss_fn(name):
    return {'mse': nn.MSELoss(), 'bce_with_logits': nn.BCEWithLogitsLoss(), 'cross_entropy': nn.CrossEntropyLoss()}[name]


def make_data(case, gen):
    n, shape, loss = case['n'], case['input_shape'], case['loss']
    x = torch.randn((n, *shape), generator=gen, dtype=torch.float32)
    if loss == 'cross_entropy':
        y = torch.randint(0, case['classes'], (n,), generator=gen)
        return x, y, y.float(), 1, 'multiclass'
    if loss == 'bce_with_logits':
        y = (torch.rand((n, 1), generator=gen) > 0.5).float()
        return x, y, y.reshape(-1), 1, 'binary'
    k = case.get('targets', 1)
    y = torch.randn((n, k), generator=gen, dtype=torch.float32)
    return x, y, y.reshape(-1), k, 'regression'


def opt_state(opt, model):
    names = {id(p): name for name, p in model.named_parameters()}
    out = {}
    for p, st in opt.state.items():
        entry = {}
        for k, v in st.items():
            if k == 'step':
                entry[k] = int(v.item() if torch.is_tensor(v) else v)
            elif torch.is_tensor(v) and v is not None:
                entry[k] = flat(v)
        if entry:  # plain SGD keeps {'momentum_buffer': None}: no state worth saving
            out[names[id(p)]] = entry
    return out


def train(model, opt, x, y, loss, epochs, batch):
    fn = loss_fn(loss)
    losses = []
    n = x.shape[0]
    for _ in range(epochs):
        batch_losses = []
        for s in range(0, n, batch):
            out = model(x[s:s + batch])
            l = fn(out, y[s:s + batch])
            opt.zero_grad()
            l.backward()
            opt.step()
            batch_losses.append(l.item())
        losses.append(sum(batch_losses) / len(batch_losses))
    return losses


def write_json(path, obj):
    with open(path, 'w') as f:
        json.dump(obj, f, separators=(',', ':'))


def run_case(case, seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed + 1000)
    model = build(case['layers'])
    frozen = set(case.get('frozen', []))
    for name, p in model.named_parameters():
        if name in frozen or name.split('.')[0] in frozen:
            p.requires_grad_(False)
    x, y, y_flat, target_size, task = make_data(case, gen)
    start_params = {name: tensor_json(p, p.requires_grad) for name, p in model.state_dict(keep_vars=True).items()}
    opts = dict(case.get('options', {}))
    opts.setdefault('shuffle', False)
    epochs, batch = opts['epochs'], opts.get('batchSize', case.get('file_batch', case['n']))
    model.train()
    opt = make_optimizer(merged_optimizer(case), model.parameters())
    checkpoints = {}
    if case.get('resume_after'):
        first = train(model, opt, x, y, case['loss'], case['resume_after'], batch)
        checkpoints['after_first'] = {
            'epochs': case['resume_after'], 'losses': first,
            'parameters': {k: flat(v) for k, v in model.state_dict().items()},
            'optimizer_state': opt_state(opt, model),
        }
        losses = first + train(model, opt, x, y, case['loss'], epochs - case['resume_after'], batch)
    else:
        losses = train(model, opt, x, y, case['loss'], epochs, batch)

    d = os.path.join(OUT, case['name'])
    os.makedirs(d, exist_ok=True)
    training = {'dataset': 'parity', 'loss': case['loss'], 'history': []}
    if 'file_batch' in case:
        training['batch_size'] = case['file_batch']
    training['shuffle'] = False
    model_spec = {'name': case['name'], 'input_shape': case['input_shape'], 'layers': case['layers']}
    write_json(os.path.join(d, 'start.weights.json'), {
        'format': 'weights.json', 'version': 1, 'model': model_spec, 'parameters': start_params,
        'optimizer': case['file_optimizer'], 'training': training,
    })
    write_json(os.path.join(d, 'data.json'), {
        'x': flat(x), 'y': y_flat.tolist(), 'input_shape': case['input_shape'],
        'target_size': target_size, 'task': task, 'classes': case.get('classes'),
    })
    write_json(os.path.join(d, 'options.json'), opts)
    expected = {
        'torch': torch.__version__, 'losses': losses,
        'parameters': {k: flat(v) for k, v in model.state_dict().items()},
        'optimizer_state': opt_state(opt, model),
        'frozen': sorted(n for n, p in model.named_parameters() if not p.requires_grad),
    }
    expected.update(checkpoints)
    write_json(os.path.join(d, 'expected.json'), expected)


L = lambda i, o, **k: dict(type='Linear', in_features=i, out_features=o, **k)
A = lambda t, **k: dict(type=t, **k)

CASES = [
    # Plain full-batch gradient descent, everything from the file's sections.
    dict(name='mlp_bce_sgd_fullbatch', layers=[L(2, 8), A('ReLU'), L(8, 1)], input_shape=[2], n=16,
         loss='bce_with_logits', file_optimizer={'type': 'SGD', 'lr': 0.5}, options={'epochs': 6}),
    # SGD with momentum, dampening and weight decay; ragged mini-batches (12 = 5 + 5 + 2); two targets.
    dict(name='mlp_mse_sgd_momentum', layers=[L(3, 6), A('LeakyReLU', negative_slope=0.1), L(6, 6), A('Tanh'), L(6, 2)],
         input_shape=[3], n=12, targets=2, loss='mse',
         file_optimizer={'type': 'SGD', 'lr': 0.05, 'momentum': 0.9, 'dampening': 0.1, 'weight_decay': 0.01},
         options={'epochs': 5, 'batchSize': 5}),
    # Nesterov, given on the command line over a plain SGD file; Sigmoid and GELU.
    dict(name='mlp_ce_sgd_nesterov', layers=[L(4, 8), A('Sigmoid'), L(8, 5), A('GELU'), L(5, 3)],
         input_shape=[4], n=12, classes=3, loss='cross_entropy', file_optimizer={'type': 'SGD', 'lr': 0.2},
         options={'epochs': 5, 'batchSize': 4, 'momentum': 0.8, 'nesterov': True, 'weightDecay': 0.001}),
    # Adam with L2 weight decay and amsgrad, Dropout(p=0), a layer without bias, named layers.
    dict(name='mlp_ce_adam_amsgrad', layers=[L(4, 8, name='fc1'), A('GELU'), A('Dropout', p=0.0), L(8, 8, bias=False, name='fc2'), A('ReLU'), L(8, 3, name='out')],
         input_shape=[4], n=16, classes=3, loss='cross_entropy',
         file_optimizer={'type': 'Adam', 'lr': 0.01, 'betas': [0.8, 0.99], 'eps': 1e-6, 'weight_decay': 0.05, 'amsgrad': True},
         file_batch=6, options={'epochs': 6}),
    # AdamW with the first layer frozen.
    dict(name='mlp_mse_adamw_frozen', layers=[L(3, 6), A('Tanh'), L(6, 4), A('ReLU'), L(4, 1)], input_shape=[3], n=10,
         loss='mse', frozen=['0'], file_optimizer={'type': 'AdamW', 'lr': 0.02, 'weight_decay': 0.1},
         options={'epochs': 6, 'batchSize': 4}),
    # Conv2d with stride and padding, MaxPool2d, Flatten.
    dict(name='cnn_ce_adam', layers=[
        dict(type='Conv2d', in_channels=1, out_channels=3, kernel_size=3, stride=2, padding=1), A('ReLU'),
        dict(type='MaxPool2d', kernel_size=2), A('Flatten'), L(12, 3)],
         input_shape=[1, 8, 8], n=8, classes=3, loss='cross_entropy',
         file_optimizer={'type': 'Adam', 'lr': 0.01}, options={'epochs': 4, 'batchSize': 4}),
    # Rectangular kernel, per-axis stride and padding, overlapping pooling windows, two input channels.
    dict(name='cnn_mse_sgd_rect', layers=[
        dict(type='Conv2d', in_channels=2, out_channels=4, kernel_size=[3, 2], stride=[1, 2], padding=[1, 0]), A('LeakyReLU'),
        dict(type='MaxPool2d', kernel_size=2, stride=1), A('Flatten'), L(4 * 6 * 2, 2)],
         input_shape=[2, 7, 6], n=6, targets=2, loss='mse',
         file_optimizer={'type': 'SGD', 'lr': 0.02, 'momentum': 0.5}, options={'epochs': 4, 'batchSize': 3}),
    # Stacked two-layer LSTM on sequences, then Linear.
    dict(name='lstm2_mse_adam', layers=[dict(type='LSTM', input_size=2, hidden_size=5, num_layers=2), L(5, 1)],
         input_shape=[6, 2], n=8, loss='mse', file_optimizer={'type': 'Adam', 'lr': 0.02},
         options={'epochs': 5, 'batchSize': 4}),
    # LSTM with bce, single layer, SGD full batch.
    dict(name='lstm1_bce_sgd', layers=[dict(type='LSTM', input_size=3, hidden_size=4), A('Tanh'), L(4, 1)],
         input_shape=[5, 3], n=6, loss='bce_with_logits', file_optimizer={'type': 'SGD', 'lr': 0.3}, options={'epochs': 4}),
    # Save after 6 epochs with optimizer state, resume for 6 more: must equal 12 at once.
    dict(name='resume_adam', layers=[L(2, 6), A('Tanh'), L(6, 2)], input_shape=[2], n=10, classes=2, loss='cross_entropy',
         file_optimizer={'type': 'Adam', 'lr': 0.05, 'weight_decay': 0.01}, options={'epochs': 12, 'batchSize': 4}, resume_after=6),
    dict(name='resume_sgd_momentum', layers=[L(2, 5), A('ReLU'), L(5, 1)], input_shape=[2], n=10, loss='mse',
         file_optimizer={'type': 'SGD', 'lr': 0.05, 'momentum': 0.9}, options={'epochs': 12, 'batchSize': 3}, resume_after=6),
]


if __name__ == '__main__':
    torch.set_num_threads(1)
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    for i, case in enumerate(CASES):
        run_case(case, seed=i)
        print('wrote', case['name'])
