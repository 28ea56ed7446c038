import { describe, expect, it } from 'vitest';
import { CheckpointModel } from '../../../src/extension/editor/checkpointModel';
import { cloneTensorMeta } from '../../../src/extension/editor/freeze';
import { emptyCheckpoint, makeTensor } from '../../../src/format/tensor';
import type { Checkpoint } from '../../../src/format/types';

function ckpt(): Checkpoint {
  const c = emptyCheckpoint();
  c.parameters.set('fc1.weight', makeTensor([2, 2], Float32Array.from([0.1, -0.5, -0, 3e-39])));
  c.parameters.set('fc1.bias', makeTensor([2], Float32Array.from([1, 2])));
  c.optimizer = { type: 'SGD', lr: 0.1 };
  return c;
}

describe('CheckpointModel', () => {
  it('a freeze edit flips requires_grad; undo/redo restore it; data is shared, not copied', () => {
    const m = new CheckpointModel(ckpt());
    const before = m.checkpoint.parameters.get('fc1.weight')!;
    const edit = m.apply({ label: 'Freeze fc1.weight', parameters: new Map([['fc1.weight', cloneTensorMeta(before, false)]]) });
    expect(edit.label).toBe('Freeze fc1.weight');
    expect(m.checkpoint.parameters.get('fc1.weight')!.requires_grad).toBe(false);
    expect(m.checkpoint.parameters.get('fc1.weight')!.data).toBe(before.data);
    expect(m.dirty).toBe(true);
    edit.undo();
    expect(m.checkpoint.parameters.get('fc1.weight')).toBe(before);
    expect(m.dirty).toBe(false);
    edit.redo();
    expect(m.checkpoint.parameters.get('fc1.weight')!.requires_grad).toBe(false);
    expect(m.dirty).toBe(true);
  });

  it('undo of a data change is bit-exact (-0 and subnormals included) and keeps key order', () => {
    const m = new CheckpointModel(ckpt());
    const old = m.checkpoint.parameters.get('fc1.weight')!;
    const bits = Array.from(new Uint32Array(old.data.buffer.slice(0)));
    const e = m.apply({ label: 'Reinitialise', parameters: new Map([['fc1.weight', makeTensor([2, 2], new Float32Array(4).fill(7))]]) });
    expect([...m.checkpoint.parameters.keys()]).toEqual(['fc1.weight', 'fc1.bias']);
    e.undo();
    const now = m.checkpoint.parameters.get('fc1.weight')!;
    expect(Array.from(new Uint32Array(now.data.buffer.slice(0)))).toEqual(bits);
    expect([...m.checkpoint.parameters.keys()]).toEqual(['fc1.weight', 'fc1.bias']);
  });

  it('sections: set, remove (null) and restore, absent sections stay absent after undo', () => {
    const m = new CheckpointModel(ckpt());
    const e1 = m.apply({ label: 'Train', training: { epochs: 3, history: [] }, optimizer: null });
    expect(m.checkpoint.training).toEqual({ epochs: 3, history: [] });
    expect('optimizer' in m.checkpoint).toBe(false);
    e1.undo();
    expect('training' in m.checkpoint).toBe(false);
    expect(m.checkpoint.optimizer).toEqual({ type: 'SGD', lr: 0.1 });
  });

  it('adding a parameter appends it; undo removes it and restores the order', () => {
    const m = new CheckpointModel(ckpt());
    const e = m.apply({ label: 'Add', parameters: new Map([['fc1.bias', makeTensor([2], new Float32Array(2))], ['fc2.weight', makeTensor([1, 2], new Float32Array(2))]]) });
    expect([...m.checkpoint.parameters.keys()]).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight']);
    e.undo();
    expect([...m.checkpoint.parameters.keys()]).toEqual(['fc1.weight', 'fc1.bias']);
    expect(Array.from(m.checkpoint.parameters.get('fc1.bias')!.data as Float32Array)).toEqual([1, 2]);
  });

  it('dirty follows the saved version through undo/redo; revision changes on every content change', () => {
    const m = new CheckpointModel(ckpt());
    const a = m.apply({ label: 'a', optimizer: { type: 'Adam' } });
    const b = m.apply({ label: 'b', optimizer: { type: 'AdamW' } });
    m.markSaved();
    expect(m.dirty).toBe(false);
    b.undo();
    expect(m.dirty).toBe(true);
    b.redo();
    expect(m.dirty).toBe(false);
    const r = m.revision;
    a.undo();
    expect(m.revision).toBe(r + 1);
    m.markRestoredFromBackup();
    expect(m.dirty).toBe(true);
    m.reset(ckpt());
    expect(m.dirty).toBe(false);
  });
});
