import { describe, expect, it } from 'vitest';
import { compareCodePoints, parseCsvDataset, parseCsvRecords } from '../../../src/engine/datasets/csv';
import { DataFileError } from '../../../src/engine/errors';

describe('CSV records (RFC 4180)', () => {
  it('reads quotes, doubled quotes, commas and line breaks in quotes, CRLF, a BOM, blank lines', () => {
    const text = '\uFEFFa,"b ""q""",c\r\n1,"2,5","x\ny"\r\n\n3,4,5';
    expect(parseCsvRecords(text, 'f.csv')).toEqual([
      { fields: ['a', 'b "q"', 'c'], line: 1 },
      { fields: ['1', '2,5', 'x\ny'], line: 2 },
      { fields: ['3', '4', '5'], line: 5 },
    ]);
  });
  it('refuses an unclosed quote and text after a closing quote', () => {
    expect(() => parseCsvRecords('a,b\n"1,2', 'f.csv')).toThrow('f.csv: line 2: a quoted field is never closed');
    expect(() => parseCsvRecords('a,b\n"1"x,2', 'f.csv')).toThrow(/line 2: unexpected text after a closing quote/);
  });
});

describe('parseCsvDataset', () => {
  const csv = 'x1,label,x2\n0.5,1,2\n-1,0,3e2\n';

  it('features in file order around the target, reshaped to the input shape', () => {
    const d = parseCsvDataset(csv, { file: 'd.csv', target: 'label', loss: 'bce_with_logits' });
    expect(d.n).toBe(2);
    expect(d.inputShape).toEqual([2]);
    expect(Array.from(d.x)).toEqual([0.5, 2, -1, 300]);
    expect(Array.from(d.y)).toEqual([1, 0]);
    expect(d.task).toBe('binary');
    expect(d.featureNames).toEqual(['x1', 'x2']);
    const seq = parseCsvDataset('a,b,c,d,y\n1,2,3,4,0.5\n', { file: 's.csv', target: 'y', loss: 'mse', inputShape: [2, 2] });
    expect(seq.inputShape).toEqual([2, 2]);
    expect(Array.from(seq.x)).toEqual([1, 2, 3, 4]);
    expect(seq.task).toBe('regression');
  });

  it('cross_entropy: indices as they are, names in code-point order', () => {
    const idx = parseCsvDataset('x,y\n1,2\n2,0\n3,1\n', { file: 'c.csv', target: 'y', loss: 'cross_entropy' });
    expect(Array.from(idx.y)).toEqual([2, 0, 1]);
    expect(idx.numClasses).toBe(3);
    expect(idx.classNames).toBeUndefined();
    // code-point order: "B" < "a" < "é" < "😀" (U+1F600) — and U+FF21 "Ａ" before the emoji,
    // which plain UTF-16 sorting would get wrong.
    const named = parseCsvDataset('x,y\n1,a\n2,😀\n3,B\n4,Ａ\n5,é\n6,a\n', { file: 'n.csv', target: 'y', loss: 'cross_entropy' });
    expect(named.classNames).toEqual(['B', 'a', 'é', 'Ａ', '😀']);
    expect(Array.from(named.y)).toEqual([1, 4, 0, 3, 2, 1]);
    expect(compareCodePoints('\uFF21', '\u{1F600}')).toBeLessThan(0);
  });

  const refuse = (text: string, opts: Partial<Parameters<typeof parseCsvDataset>[1]>, msg: RegExp) => {
    let err: unknown;
    try { parseCsvDataset(text, { file: 'bad.csv', target: 'y', loss: 'mse', ...opts }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as Error).message.startsWith('bad.csv: ')).toBe(true);
    expect((err as Error).message).toMatch(msg);
  };

  it('refuses with file, row, column and what was expected', () => {
    refuse('x,z\n1,2\n', {}, /no column named "y" for the target \(columns: x, z\)/);
    refuse('x,y\n1,2\nabc,3\n', {}, /row 2 \(line 3\), column "x": expected a number, got "abc"/);
    refuse('x,y\n1,2\n1,2,3\n', {}, /row 2 \(line 3\): expected 2 fields as in the header, got 3/);
    refuse('x,y\n1,2\n', { loss: 'bce_with_logits' }, /row 1 \(line 2\), column "y": bce_with_logits expects the label 0 or 1, got "2"/);
    refuse('x,y\n1,cat\n', { loss: 'mse' }, /mse expects a number as the target, got "cat"/);
    refuse('x,y\n1,0\n2,1.5\n', { loss: 'cross_entropy' }, /row 2 \(line 3\), column "y": cross_entropy expects a class index 0…C−1 or a class name, got "1.5"/);
    refuse('x,y\n1,\n', {}, /column "y": the target is empty/);
    refuse('x,y\n', {}, /header but no data rows/);
    refuse('', {}, /the file is empty/);
    refuse('x,x2,y\n1,2,3\n', { inputShape: [3] }, /input shape \[3\] needs 3 feature columns per row, the file has 2/);
    refuse('y,y\n1,2\n', {}, /names "y" 2 times/);
  });
});
