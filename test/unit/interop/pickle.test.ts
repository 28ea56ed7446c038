// The restricted unpickler: builds plain values from the opcodes a state_dict uses, refuses any
// global that is not allowed the moment it is named, and never calls anything but its handlers.
import { describe, expect, it } from 'vitest';
import { PyDict, PyTuple, unpickle, type PickleOptions } from '../../../src/format/pickle';
import { CheckpointError } from '../../../src/format/types';

const enc = new TextEncoder();
const bytes = (...parts: (number | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'number' ? [p] : [...enc.encode(p)])));
const shortStr = (s: string) => [0x8c, enc.encode(s).length, s] as const;

const opts = (extra: Partial<PickleOptions> = {}): PickleOptions => ({ file: 'x.pt', values: new Set(), calls: {}, ...extra });

describe('unpickle', () => {
  it('builds dicts, lists, tuples, ints, floats, strings, bools and None', () => {
    // {'a': [1, -2, 70000, 1.5], 'b': (True, None), 'c': 2**70}
    const float15 = [0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0];
    const long70 = [0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0x40];
    const v = unpickle(bytes(0x80, 2, 0x7d, 0x28,
      ...shortStr('a'), 0x5d, 0x28, 0x4b, 1, 0x4a, 0xfe, 0xff, 0xff, 0xff, 0x4a, 0x70, 0x11, 0x01, 0x00, ...float15, 0x65,
      ...shortStr('b'), 0x88, 0x4e, 0x86,
      ...shortStr('c'), ...long70,
      0x75, 0x2e), opts());
    expect(v).toBeInstanceOf(PyDict);
    const d = (v as PyDict).map;
    expect(d.get('a')).toEqual([1, -2, 70000, 1.5]);
    expect((d.get('b') as PyTuple).items).toEqual([true, null]);
    expect(d.get('c')).toBe(2n ** 70n);
  });

  it('keeps the memo (BINPUT / BINGET)', () => {
    const v = unpickle(bytes(0x80, 2, ...shortStr('hi'), 0x71, 0, 0x30, 0x68, 0, 0x2e), opts());
    expect(v).toBe('hi');
  });

  it('calls only an allowed handler, with the arguments', () => {
    const seen: unknown[] = [];
    const v = unpickle(bytes(0x80, 2, 0x63, 'collections\nOrderedDict\n', 0x29, 0x52, 0x2e),
      opts({ calls: { 'collections.OrderedDict': (args) => { seen.push(args); return new PyDict(); } } }));
    expect(v).toBeInstanceOf(PyDict);
    expect(seen).toEqual([[]]);
  });

  it.each([
    ['GLOBAL builtins.eval', bytes(0x80, 2, 0x63, 'builtins\neval\n', 0x2e), /names builtins\.eval/],
    ['STACK_GLOBAL os.system', bytes(0x80, 4, ...shortStr('os'), ...shortStr('system'), 0x93, 0x2e), /names os\.system/],
    ['a value global called', bytes(0x80, 2, 0x63, 'torch\nFloatStorage\n', 0x29, 0x52, 0x2e), /a call of torch\.FloatStorage/],
  ])('refuses %s without executing anything', (_label, pkl, message) => {
    let called = false;
    const err = (() => {
      try {
        unpickle(pkl, opts({ values: new Set(['torch.FloatStorage']), calls: { 'collections.OrderedDict': () => { called = true; return null; } } }));
      } catch (e) { return e; }
      return undefined;
    })() as CheckpointError;
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/x\.pt: /);
    expect(called).toBe(false);
  });

  it('refuses object-building opcodes and damaged pickles', () => {
    expect(() => unpickle(bytes(0x80, 2, 0x81, 0x2e), opts())).toThrow(/NEWOBJ, which a state_dict never needs/);
    expect(() => unpickle(bytes(0x80, 2, 0x4b), opts())).toThrow(/truncated/);
    expect(() => unpickle(bytes(0x80, 2, 0xff), opts())).toThrow(/unknown pickle opcode 0xff/);
  });
});
