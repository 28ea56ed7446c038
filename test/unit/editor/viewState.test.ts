import { describe, expect, it } from 'vitest';
import { buildEditorState, layerArgs, tensorMessage, tensorValue } from '../../../src/extension/editor/viewState';
import { emptyCheckpoint, makeTensor } from '../../../src/format/tensor';
import type { Checkpoint } from '../../../src/format/types';
import { MAX_SENT_ELEMENTS } from '../../../src/webview/protocol';

function mlp(): Checkpoint {
  const c = emptyCheckpoint();
  c.model = { name: 'tiny', input_shape: [2], layers: [
    { type: 'Linear', name: 'fc1', in_features: 2, out_features: 3 }, { type: 'ReLU' },
    { type: 'Linear', name: 'fc2', in_features: 3, out_features: 1, bias: false }] };
  c.parameters.set('fc1.weight', makeTensor([3, 2], Float32Array.from([1, -1, 0, 2, NaN, -3])));
  c.parameters.set('fc1.bias', makeTensor([3], Float32Array.from([0, 0, 0.5])));
  c.parameters.set('fc2.weight', makeTensor([1, 3], Float32Array.from([1, 2, 3]), false));
  return c;
}

describe('buildEditorState', () => {
  it('summarises totals, layers (args, counts, output shapes, frozen) and parameters in order', () => {
    const s = buildEditorState(mlp(), 'tiny.weights.json', 7);
    expect(s.totals).toMatchObject({ total: 12, trainable: 9, frozen: 3 });
    expect(s.revision).toBe(7);
    expect(s.layers.map((l) => [l.prefix, l.type, l.paramCount, l.outputShape, l.frozen])).toEqual([
      ['fc1', 'Linear', 9, [3], false], ['1', 'ReLU', 0, [3], false], ['fc2', 'Linear', 3, [1], true]]);
    expect(s.layers[2].args).toBe('in_features=3, out_features=1, bias=False');
    expect(s.params.map((p) => p.name)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight']);
    const w = s.params[0];
    expect(w.role).toEqual({ layerType: 'Linear', local: 'weight' });
    expect(w.layerPrefix).toBe('fc1');
    expect(w.stats.nonfinite).toBe(1);
    expect(w.stats.min).toBe(-3);
    expect(w.histogram.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(w.thumbnail).toMatchObject({ rows: 3, cols: 2, absMax: 3 });
    expect(s.params[2].requiresGrad).toBe(false);
  });

  it('a file without a model still lists its parameters', () => {
    const c = mlp();
    delete c.model;
    const s = buildEditorState(c, 'x.weights.json', 0);
    expect(s.hasModel).toBe(false);
    expect(s.layers).toEqual([]);
    expect(s.params[0].role).toEqual({ local: 'weight' });
  });

  it('layerArgs spells tuples and booleans as PyTorch prints them', () => {
    expect(layerArgs({ type: 'Conv2d', in_channels: 1, out_channels: 4, kernel_size: [3, 3], bias: true })).toBe('in_channels=1, out_channels=4, kernel_size=(3, 3), bias=True');
  });
});

describe('tensorMessage', () => {
  it('sends small tensors exactly', () => {
    const m = tensorMessage(mlp(), 'fc1.bias', 1)!;
    expect(Array.from(m.values)).toEqual([0, 0, 0.5]);
    expect(m.reduction).toBeUndefined();
    expect(tensorValue(mlp(), 'fc1.weight', 5)).toBe(-3);
    expect(tensorMessage(mlp(), 'nope', 1)).toBeUndefined();
  });

  it('reduces huge tensors by blocks, keeping the extreme and its index', () => {
    const c = emptyCheckpoint();
    const n = 2048;
    const data = new Float32Array(n * (MAX_SENT_ELEMENTS / n + 1)).fill(0.01);
    data[12345] = -42;
    c.parameters.set('big', makeTensor([data.length / n, n], data));
    const m = tensorMessage(c, 'big', 0)!;
    expect(m.reduction).toBeDefined();
    expect(m.values.length).toBe(m.reduction!.rows * m.reduction!.cols);
    const k = Array.from(m.values).indexOf(-42);
    expect(k).toBeGreaterThanOrEqual(0);
    expect(m.reduction!.index[k]).toBe(12345);
  });
});
