// A CSV file as a dataset (docs/cli.md): a header row; the target column is the label, every
// other column a feature, in file order, reshaped row-major to the model's input shape. Fields
// follow RFC 4180 (quotes, doubled quotes, commas and line breaks inside quotes; CRLF or LF).
// Refusals name the file, the row and the column, and what was expected.
import type { Dataset } from '../dataset';
import { DataFileError } from '../errors';
import type { LossName } from '../../format/types';
import { numel } from '../spec';

export interface CsvDatasetOptions {
  /** The file's name, for messages (and the dataset's name). */
  file: string;
  /** The label column's header. */
  target: string;
  /** Shape of one sample; default [number of feature columns]. */
  inputShape?: number[];
  loss: LossName;
}

interface CsvRecord { fields: string[]; line: number }

/** Split CSV text into records (RFC 4180). Fully empty lines are skipped. */
export function parseCsvRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a UTF-8 byte order mark
  let line = 1;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= text.length) throw new DataFileError(file, `line ${quoteLine}: a quoted field is never closed`);
          const ch = text[i];
          if (ch === '"') {
            if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
            i++;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new DataFileError(file, `line ${line}: unexpected text after a closing quote (expected "," or the end of the line)`);
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      }
      fields.push(field);
      if (text[i] === ',') { i++; continue; }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') { i++; line++; }
    if (!(fields.length === 1 && fields[0].trim() === '')) records.push({ fields, line: start });
  }
  return records;
}

/** Compare by Unicode code point (not UTF-16 code unit), as the spec's "code-point sorted order". */
export function compareCodePoints(a: string, b: string): number {
  const ca = Array.from(a, (c) => c.codePointAt(0) as number), cb = Array.from(b, (c) => c.codePointAt(0) as number);
  for (let k = 0; k < Math.min(ca.length, cb.length); k++) if (ca[k] !== cb[k]) return ca[k] - cb[k];
  return ca.length - cb.length;
}

function parseNumber(raw: string): number | undefined {
  const t = raw.trim();
  if (t === '') return undefined;
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  const n = Number(t);
  return Number.isNaN(n) ? undefined : n;
}

export function parseCsvDataset(text: string, opts: CsvDatasetOptions): Dataset {
  const { file, target, loss } = opts;
  const records = parseCsvRecords(text, file);
  if (records.length === 0) throw new DataFileError(file, 'the file is empty (expected a header row, then one row per sample)');
  const header = records[0].fields.map((h) => h.trim());
  const targetCols = header.flatMap((h, k) => (h === target ? [k] : []));
  if (targetCols.length === 0) throw new DataFileError(file, `no column named "${target}" for the target (columns: ${header.join(', ')})`);
  if (targetCols.length > 1) throw new DataFileError(file, `the header names "${target}" ${targetCols.length} times; the target column must be unique`);
  const targetCol = targetCols[0];
  const featureCols = header.map((_, k) => k).filter((k) => k !== targetCol);
  if (featureCols.length === 0) throw new DataFileError(file, `no feature columns besides the target "${target}"`);
  const rows = records.slice(1);
  if (rows.length === 0) throw new DataFileError(file, 'the file has a header but no data rows');

  const inputShape = opts.inputShape ? [...opts.inputShape] : [featureCols.length];
  if (numel(inputShape) !== featureCols.length) {
    throw new DataFileError(file, `the model's input shape [${inputShape.join(', ')}] needs ${numel(inputShape)} feature columns per row, the file has ${featureCols.length}`);
  }
  const where = (r: number, col: number) => `row ${r + 1} (line ${rows[r].line}), column "${header[col]}"`;

  const x = new Float32Array(rows.length * featureCols.length);
  rows.forEach((rec, r) => {
    if (rec.fields.length !== header.length) {
      throw new DataFileError(file, `row ${r + 1} (line ${rec.line}): expected ${header.length} fields as in the header, got ${rec.fields.length}`);
    }
    featureCols.forEach((col, f) => {
      const v = parseNumber(rec.fields[col]);
      if (v === undefined) throw new DataFileError(file, `${where(r, col)}: expected a number, got "${rec.fields[col]}"`);
      x[r * featureCols.length + f] = v;
    });
  });

  const labels = rows.map((rec) => rec.fields[targetCol].trim());
  const y = new Float32Array(rows.length);
  const base = { name: file, n: rows.length, inputShape, x, y, targetSize: 1, featureNames: featureCols.map((k) => header[k]) };
  labels.forEach((l, r) => { if (l === '') throw new DataFileError(file, `${where(r, targetCol)}: the target is empty`); });

  if (loss === 'mse') {
    labels.forEach((l, r) => {
      const v = parseNumber(l);
      if (v === undefined) throw new DataFileError(file, `${where(r, targetCol)}: mse expects a number as the target, got "${l}"`);
      y[r] = v;
    });
    return { ...base, task: 'regression' };
  }
  if (loss === 'bce_with_logits') {
    labels.forEach((l, r) => {
      const v = parseNumber(l);
      if (v !== 0 && v !== 1) throw new DataFileError(file, `${where(r, targetCol)}: bce_with_logits expects the label 0 or 1, got "${l}"`);
      y[r] = v;
    });
    return { ...base, task: 'binary', numClasses: 2 };
  }
  // cross_entropy: class indices 0…C−1, or class names mapped to indices in code-point order.
  const numeric = labels.map(parseNumber);
  if (numeric.every((v) => v !== undefined)) {
    numeric.forEach((v, r) => {
      if (!(Number.isInteger(v) && (v as number) >= 0)) {
        throw new DataFileError(file, `${where(r, targetCol)}: cross_entropy expects a class index 0…C−1 or a class name, got "${labels[r]}"`);
      }
      y[r] = v as number;
    });
    const numClasses = (numeric as number[]).reduce((m, v) => Math.max(m, v), 0) + 1;
    if (numClasses < 2) throw new DataFileError(file, `column "${target}": cross_entropy needs at least 2 classes, every label is 0`);
    return { ...base, task: 'multiclass', numClasses };
  }
  const classNames = [...new Set(labels)].sort(compareCodePoints);
  if (classNames.length < 2) throw new DataFileError(file, `column "${target}": cross_entropy needs at least 2 classes, found only "${classNames[0]}"`);
  const index = new Map(classNames.map((c, k) => [c, k]));
  labels.forEach((l, r) => { y[r] = index.get(l) as number; });
  return { ...base, task: 'multiclass', numClasses: classNames.length, classNames };
}
