// The order in which the read-only editor reads and reduces tensors. Two lanes:
//   selected  what the user clicked (its heatmap, then its statistics): newest first, started at
//             once even while a thumbnail job runs;
//   visible   thumbnails and statistics of rows scrolled into view: in the order asked, one at a
//             time, only while no selected job waits or runs, and cancelled when the row scrolls
//             away before it is done.
// A job runs in steps: between two steps it calls `ctx.pause()`, which yields to the event loop,
// holds a visible job back while a selected one runs, and throws `Cancelled` once it was cancelled.
// So a click is served first whatever thumbnails are pending, and at most one job per lane holds
// a tensor's values in memory (a job that `yields` — an earlier click's statistics — steps aside
// at its next pause for a newer click and goes on after it, so it may hold a second one meanwhile). Pure: no `vscode`, no `fs` (unit-tested with a fake reader).

export class Cancelled extends Error {
  override readonly name = 'Cancelled';
  constructor(readonly key: string) { super(`${key}: cancelled`); }
}

export type Lane = 'selected' | 'visible';

export interface JobContext {
  /** Set once the job was cancelled; `pause()` then throws. */
  readonly cancelled: boolean;
  /** Between two steps of work: yield, wait while a selected job runs (visible jobs), throw if cancelled. */
  pause(): Promise<void>;
}

interface Job {
  key: string;
  lane: Lane;
  run: (ctx: JobContext) => Promise<unknown>;
  promise: Promise<unknown>;
  resolve(v: unknown): void;
  reject(e: unknown): void;
  ctx: JobContext & { cancelled: boolean };
  started: boolean;
  /** As a selected job, step aside at a pause while a newer selected job waits (statistics do). */
  yields: boolean;
}

/** Yield to the event loop (messages, I/O callbacks), then go on. */
const defaultYield = (): Promise<void> => new Promise((r) => setImmediate(r));

export class ReadScheduler {
  private readonly jobs = new Map<string, Job>();
  private readonly queues: Record<Lane, Job[]> = { selected: [], visible: [] };
  private readonly running: Record<Lane, Job | undefined> = { selected: undefined, visible: undefined };
  /** Visible jobs waiting in `pause()` for the selected lane to fall idle. */
  private held: (() => void)[] = [];

  constructor(private readonly yieldNow: () => Promise<void> = defaultYield) {}

  /**
   * Run `run` under `key` in `lane`. A key already queued or running gives its promise; a visible
   * job asked for again as selected moves to the selected lane (it is then never cancelled by a
   * scroll). Rejects with `Cancelled` when cancelled.
   */
  schedule<T>(key: string, lane: Lane, run: (ctx: JobContext) => Promise<T>, opts: { yields?: boolean } = {}): Promise<T> {
    const existing = this.jobs.get(key);
    if (existing) {
      if (lane === 'selected' && existing.lane === 'visible') this.promote(existing);
      return existing.promise as Promise<T>;
    }
    let resolve!: (v: unknown) => void, reject!: (e: unknown) => void;
    const promise = new Promise<unknown>((res, rej) => { resolve = res; reject = rej; });
    const job: Job = { key, lane, run, promise, resolve, reject, started: false, yields: opts.yields ?? false, ctx: undefined as unknown as Job['ctx'] };
    job.ctx = {
      cancelled: false,
      pause: async () => {
        await this.yieldNow();
        if (job.yields && this.running.selected === job && this.queues.selected.length > 0) await this.stepAside(job);
        while (job.lane === 'visible' && this.selectedBusy() && !job.ctx.cancelled) await new Promise<void>((r) => this.held.push(r));
        if (job.ctx.cancelled) throw new Cancelled(key);
      },
    };
    this.jobs.set(key, job);
    this.queues[lane].push(job);
    this.pump();
    return promise as Promise<T>;
  }

  /** Cancel `key`: dropped if queued; a running job stops at its next pause. */
  cancel(key: string): void {
    const job = this.jobs.get(key);
    if (!job) return;
    job.ctx.cancelled = true;
    if (!job.started) {
      this.remove(job);
      job.reject(new Cancelled(key));
      this.pump();
    } else {
      this.release();
    }
  }

  /** Cancel every job (the file was reloaded or closed). */
  cancelAll(): void {
    for (const key of [...this.jobs.keys()]) this.cancel(key);
  }

  /** Whether `key` is queued or running. */
  has(key: string): boolean {
    return this.jobs.has(key);
  }

  /** Keys of `lane` started and not yet done (the running job, and any that stepped aside). */
  started(lane: Lane): string[] {
    return [...this.jobs.values()].filter((j) => j.started && j.lane === lane).map((j) => j.key);
  }

  /** Keys queued in `lane`, in the order they will start (for tests and the bench). */
  queued(lane: Lane): string[] {
    const q = this.queues[lane].map((j) => j.key);
    return lane === 'selected' ? q.reverse() : q;
  }

  private selectedBusy(): boolean {
    return this.running.selected !== undefined || this.queues.selected.length > 0 || this.parked.size > 0;
  }

  /** Selected jobs that stepped aside for a newer click, waiting to go on. */
  private readonly parked = new Set<Job>();

  /**
   * A yielding selected job gives its slot to the newer selected jobs queued, waits until the
   * lane is idle again, then takes the slot back (visible jobs stay held meanwhile).
   */
  private async stepAside(job: Job): Promise<void> {
    this.running.selected = undefined;
    this.parked.add(job);
    this.pump();
    while (!job.ctx.cancelled && (this.running.selected !== undefined || this.queues.selected.length > 0)) {
      await new Promise<void>((r) => this.held.push(r));
    }
    this.parked.delete(job);
    if (!job.ctx.cancelled) this.running.selected = job;
  }

  private promote(job: Job): void {
    if (!job.started) {
      this.queues.visible.splice(this.queues.visible.indexOf(job), 1);
      this.queues.selected.push(job);
    }
    // A running visible job keeps its slot; as selected it is no longer held back or cancelled by a scroll.
    job.lane = 'selected';
    this.release();
    this.pump();
  }

  private remove(job: Job): void {
    this.jobs.delete(job.key);
    for (const q of Object.values(this.queues)) {
      const i = q.indexOf(job);
      if (i >= 0) q.splice(i, 1);
    }
  }

  /** Wake the visible jobs held in `pause()`; they check again whether they may go on. */
  private release(): void {
    const held = this.held;
    this.held = [];
    for (const wake of held) wake();
  }

  private pump(): void {
    // Selected: newest first (the last click is what the user looks at).
    if (!this.running.selected && this.queues.selected.length > 0) this.start(this.queues.selected.pop()!, 'selected');
    if (!this.running.visible && !this.selectedBusy() && this.queues.visible.length > 0) this.start(this.queues.visible.shift()!, 'visible');
  }

  private start(job: Job, slot: Lane): void {
    job.started = true;
    this.running[slot] = job;
    const done = (settle: () => void) => {
      this.jobs.delete(job.key);
      // A job that stepped aside and was cancelled meanwhile no longer holds its slot.
      if (this.running[slot] === job) this.running[slot] = undefined;
      this.parked.delete(job);
      settle();
      this.release();
      this.pump();
    };
    Promise.resolve().then(() => job.run(job.ctx)).then(
      (v) => done(() => job.resolve(v)),
      (e: unknown) => done(() => job.reject(e)),
    );
  }
}
