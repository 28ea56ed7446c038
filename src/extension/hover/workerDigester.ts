// Runs `digestCheckpointFile` in a worker thread on behalf of the index: one worker, started on
// first use and stopped after a quiet spell so its parsing memory goes back to the system.
// Node only; no `vscode`.
import { Worker } from 'node:worker_threads';
import type { CheckpointDigest } from './digest';
import type { DigestRequest } from './indexWorker';

type Reply = { id: number; digest: CheckpointDigest } | { id: number; error: string };

export class WorkerDigester {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (d: CheckpointDigest) => void; reject: (e: Error) => void }>();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  /** `script`: the bundled worker (dist/indexWorker.js). `idleMs`: how long an unused worker lives. */
  constructor(private readonly script: string, private readonly idleMs = 20000) {}

  digest(file: string): Promise<CheckpointDigest> {
    const worker = this.ensureWorker();
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    return new Promise<CheckpointDigest>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, file } satisfies DigestRequest);
    });
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    const w = this.worker;
    this.worker = null;
    void w?.terminate();
    this.failAll(new Error('the index worker was stopped'));
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.script);
    w.unref(); // never keeps the extension host (or a benchmark) alive on its own
    w.on('message', (r: Reply) => {
      const p = this.waiting.get(r.id);
      if (!p) return;
      this.waiting.delete(r.id);
      if ('error' in r) p.reject(new Error(r.error)); else p.resolve(r.digest);
      if (this.waiting.size === 0) this.idleTimer = setTimeout(() => this.dispose(), this.idleMs);
    });
    // A crash (out of memory on a huge file, say) fails what was asked; the next request starts a new worker.
    w.on('error', (e) => { if (this.worker === w) this.worker = null; this.failAll(e); });
    w.on('exit', (code) => { if (this.worker === w) { this.worker = null; this.failAll(new Error(`the index worker exited (${code})`)); } });
    this.worker = w;
    return w;
  }

  private failAll(e: Error): void {
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
  }
}
