// The compare view's host side on two files, without VS Code: what bench/compare-view.mjs times.
// Prints one JSON line: ms to the first row, to the first row with values, to the whole table, and
// for one selected tensor, ms until its A/B/Δ pictures are ready to send (read both, reduce), fitted
// to a pane as the view asks (FIT), and the message's bytes.
import { compareSources } from '../src/actions/compare';
import { openAnyLazy } from '../src/format/openAny';
import { pairMessage } from '../src/extension/compare/pairPictures';

/** A pane's plot in the UI tests' 1400 × 900 window, device pixel ratio 1: what the view sends as `fit`. */
const FIT = { rows: 360, cols: 300 };

async function main(): Promise<void> {
  const [fileA, fileB, selected] = process.argv.slice(2);
  const t0 = performance.now();
  const [a, b] = await Promise.all([openAnyLazy(fileA), openAnyLazy(fileB)]);
  const opened = performance.now() - t0;
  let firstRow = -1, firstValues = -1, rows = 0;
  await compareSources(a.tensors, b.tensors, {
    pause: () => new Promise((r) => setTimeout(r, 0)),
    onResult: (r) => {
      const now = performance.now() - t0;
      rows++;
      if (firstRow < 0) firstRow = now;
      if (firstValues < 0 && (r.status === 'same' || r.status === 'changed')) firstValues = now;
    },
  });
  const table = performance.now() - t0;
  const t1 = performance.now();
  const sa = a.tensors.find((t) => t.name === selected)!, sb = b.tensors.find((t) => t.name === selected)!;
  const m = pairMessage(selected, { local: 'weight' }, await sa.read(), await sb.read(), { fit: FIT });
  const pictures = performance.now() - t1;
  process.stdout.write(JSON.stringify({
    opened, firstRow, firstValues, table, rows, pictures, grid: [m.delta!.reduction?.rows, m.delta!.reduction?.cols],
    messageBytes: [m.a, m.b, m.delta].reduce((n, p) => n + (p ? p.values.byteLength + (p.reduction?.index.byteLength ?? 0) : 0), 0),
    peakRss: process.resourceUsage().maxRSS * 1024,
  }) + '\n');
}

void main();
