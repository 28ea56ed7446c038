// Issue 6's memory target measured where it applies: in the real extension host (code-server's),
// while the hover index reads a workspace of large checkpoints. Run by bench/hover-exthost.mjs,
// which writes the workspace and reads the numbers this suite leaves in WEIGHTSCOPE_BENCH_OUT.
// Bundled with the extension-host tests (scripts/build.mjs --tests) but loaded only when
// WEIGHTSCOPE_BENCH is set (test/vscode/suite/index.ts): never part of `npm test`.
//
// Phases, each measured as the growth of this process's resident memory over the phase's start:
//   before   nothing of ours happens for 5 s before the first hover: what the host grows by itself
//            then (code-server's port scan, configuration, RPC), the peer of the first build
//   first    the first hover on `model.fc3.weight` in train.py, until the whole workspace is read
//   idle     nothing happens for as long as the first build took, after it (the later builds' peer)
//   second   every checkpoint touched, the watcher re-reads all of them
//   parse    JSON.parse of the largest checkpoint, once: what an index that parses whole files costs
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { WeightscopeExports } from '../../src/extension/extension';

const EXTENSION_ID = 'weightscope.weightscope';
const SAMPLE_MS = 5;

/** A full collection, so each phase starts from the same floor (gc is not exposed in the host). */
function collect(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Resident bytes of this process by kind of mapping (Linux): anonymous, file-backed, and the main malloc heap. */
function residentByKind(): Record<string, number> {
  const out: Record<string, number> = { anonymous: 0, mallocHeap: 0, fileBacked: 0 };
  let kind = 'anonymous';
  try {
    for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
      const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (head) {
        const name = head[1];
        kind = name === '[heap]' ? 'mallocHeap' : name.startsWith('/') ? 'fileBacked' : 'anonymous';
      } else if (line.startsWith('Rss:')) {
        out[kind] += parseInt(line.slice(4), 10) * 1024;
      }
    }
  } catch { /* not Linux: the split stays empty */ }
  return out;
}

/** The physical size of each V8 heap space. */
function heapSpaces(): Record<string, number> {
  return Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.physical_space_size]));
}

interface PhaseResult {
  ms: number;
  /** Young-generation collections (scavenges) during the phase, and the young generation's capacity before → after. */
  scavenges: number;
  newSpace: [number, number];
  /** What V8 itself has malloc'ed (compiler zones and the like) before → after. */
  malloced: [number, number];
  peakRssGrowth: number;
  endRssGrowth: number;
  /** At the end of the phase, before any collection: growth by kind of mapping and by V8 space. */
  byKind: Record<string, number>;
  bySpace: Record<string, number>;
  external: number;
}

/** Runs `work` while sampling the resident size every few milliseconds; reports growth over the start. */
async function measure(work: () => Promise<void>): Promise<PhaseResult> {
  collect();
  await new Promise((r) => setTimeout(r, 300));
  const kind0 = residentByKind(), space0 = heapSpaces(), mem0 = process.memoryUsage();
  const base = process.memoryUsage.rss();
  let peak = base;
  let scavenges = 0;
  const gcs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++;
  });
  gcs.observe({ entryTypes: ['gc'] });
  const newSpace0 = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space')?.space_size ?? 0;
  const malloced0 = v8.getHeapStatistics().malloced_memory;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, SAMPLE_MS);
  const t0 = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
    gcs.disconnect();
  }
  const ms = performance.now() - t0;
  const end = process.memoryUsage.rss();
  peak = Math.max(peak, end);
  const kind1 = residentByKind(), space1 = heapSpaces(), mem1 = process.memoryUsage();
  const diff = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(Object.keys(b).map((k) => [k, b[k] - (a[k] ?? 0)]).filter(([, v]) => v !== 0));
  return {
    ms, scavenges,
    newSpace: [newSpace0, v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space')?.space_size ?? 0],
    malloced: [malloced0, v8.getHeapStatistics().malloced_memory],
    peakRssGrowth: peak - base, endRssGrowth: end - base,
    byKind: diff(kind0, kind1), bySpace: diff(space0, space1), external: mem1.external - mem0.external,
  };
}

async function hoverText(uri: vscode.Uri, line: number, character: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, character));
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

suite('bench: hover index memory in the extension host', () => {
  test('first build, second build, idle and JSON.parse peers', async function () {
    this.timeout(15 * 60_000);
    const out = process.env.WEIGHTSCOPE_BENCH_OUT;
    const [line, character] = (process.env.WEIGHTSCOPE_BENCH_HOVER_AT ?? '2:19').split(':').map(Number);
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as WeightscopeExports;
    const root = vscode.workspace.workspaceFolders![0].uri;
    const trainPy = (await vscode.workspace.findFiles('**/train.py'))[0];
    const checkpoints = (await vscode.workspace.findFiles('**/*.weights.json')).map((u) => u.fsPath);
    const largest = checkpoints.reduce((m, f) => Math.max(m, fs.statSync(f).size), 0);
    // The document is opened before any measurement: its text model is not the index's cost.
    await vscode.workspace.openTextDocument(trainPy);
    // Settle: activation's own work and the workbench's first requests done.
    await new Promise((r) => setTimeout(r, 3000));

    const before = await measure(() => new Promise((r) => setTimeout(r, 5000)));

    // WEIGHTSCOPE_BENCH_PROFILE=file: also record where the first build allocates (V8's sampling
    // heap profiler, collected objects included), for bench/hover-exthost.mjs --profile.
    const profileOut = process.env.WEIGHTSCOPE_BENCH_PROFILE;
    const session = profileOut ? new inspector.Session() : undefined;
    const post = (method: string, params?: object) => new Promise<any>((resolve, reject) =>
      session!.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
    if (session) {
      session.connect();
      await post('HeapProfiler.enable');
      await post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    }
    let firstHoverMs = 0, firstHoverText = '';
    const first = await measure(async () => {
      const t = performance.now();
      firstHoverText = await hoverText(trainPy, line, character);
      firstHoverMs = performance.now() - t;
      await api.hover.whenIndexed();
    });
    const afterFirst = await api.hover.whenIndexed();
    if (session) {
      const { profile } = await post('HeapProfiler.stopSampling');
      fs.writeFileSync(profileOut!, JSON.stringify(profile));
      session.disconnect();
    }

    // Later hovers, through VS Code's whole round trip (extension host → workbench → providers →
    // back), interleaved with the peer: the same round trip on `import`, a word no provider answers.
    const laterMs: number[] = [], emptyMs: number[] = [];
    for (let i = 0; i < 100; i++) {
      let t = performance.now();
      await hoverText(trainPy, line, character);
      laterMs.push(performance.now() - t);
      t = performance.now();
      await hoverText(trainPy, 0, 2);
      emptyMs.push(performance.now() - t);
    }
    const spread = (ms: number[]) => {
      ms.sort((a, b) => a - b);
      return { median: ms[ms.length >> 1], p99: ms[Math.floor(ms.length * 0.99)], max: ms[ms.length - 1] };
    };

    const idle = await measure(() => new Promise((r) => setTimeout(r, Math.min(first.ms, 30_000))));

    // Touch every checkpoint: the watcher queues each, and each is read again (its mtime moved).
    const second = await measure(async () => {
      const later = new Date(Date.now() + 5000);
      for (const f of checkpoints) fs.utimesSync(f, later, later);
      const want = (afterFirst?.digests ?? 0) + checkpoints.length;
      const deadline = Date.now() + 10 * 60_000;
      while (((await api.hover.whenIndexed())?.digests ?? 0) < want && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    const afterSecond = await api.hover.whenIndexed();

    const biggest = checkpoints.find((f) => fs.statSync(f).size === largest)!;
    let held: unknown;
    const parse = await measure(async () => { held = JSON.parse(await fs.promises.readFile(biggest, 'utf8')); });
    held = undefined;

    const result = {
      workspace: root.fsPath, files: checkpoints.length, largest,
      node: process.version, v8: process.versions.v8,
      firstHoverMs, firstHoverAnswered: firstHoverText.includes('fc3.weight'),
      laterHoverMs: spread(laterMs), emptyHoverMs: spread(emptyMs),
      afterFirst, afterSecond,
      phases: { before, first, idle, second, parse },
    };
    if (out) fs.writeFileSync(out, JSON.stringify(result, null, 1));
    else console.log(JSON.stringify(result, null, 1));
  });
});
