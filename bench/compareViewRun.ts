// The compare view's host side on two files, without VS Code: what bench/compare-view.mjs times.
// Prints one JSON line: ms to the first row, to the first row with values, to the whole table, and
// for one selected tensor, ms until its A/B/Δ pictures are ready to send (read both, reduce).
import { compareSources } from '../src/actions/compare';
import { openAnyLazy } from '../src/format/openAny';
import { pairMessage } from '../src/extension/compare/pairPictures';

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
  const m = pairMessage(selected, { local: 'weight' }, await sa.read(), await sb.read());
  const pictures = performance.now() - t1;
  process.stdout.write(JSON.stringify({
    opened, firstRow, firstValues, table, rows, pictures, grid: [m.delta!.reduction?.rows, m.delta!.reduction?.cols],
    peakRss: process.resourceUsage().maxRSS * 1024,
  }) + '\n');
}

void main();
