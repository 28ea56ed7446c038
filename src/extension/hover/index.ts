// The hover's index of the workspace's checkpoints (`.weights.json`, `.safetensors`, `.pt`/`.pth`,
// `.npy`/`.npz`): for each file the digest of its tensors (digest.ts), keyed by path and kept
// while the file's size and modification time stay the same. Built lazily on the first lookup,
// nearest files first, one file at a time, in two passes: first every file's outline (a foreign
// file's header: names, shapes, dtypes — what a first hover must answer at once), then, at low
// priority, the statistics of the files that have only an outline. The reading is the host's
// (digestFile.ts streams each file a chunk per step), so the extension host never holds a tensor
// and its thread stays free. No `vscode` here: the host adapts it.
import type { CheckpointDigest, ParamDigest } from './digest';

export interface FileStamp { size: number; mtimeMs: number }

/** What the index needs from the outside world; injected so tests and the benchmark can run it in Node. */
export interface IndexHost {
  /** Paths of every checkpoint in the workspace. */
  listCheckpoints(): Promise<string[]>;
  /** Size and modification time, or null when the file is gone. */
  stat(file: string): Promise<FileStamp | null>;
  /**
   * The file's tensors from its headers alone (statistics null), or null where the format has no
   * cheap outline (`.weights.json`: then `digest` is the only pass). Throws for a malformed file.
   */
  outline?(file: string): Promise<CheckpointDigest | null>;
  /** Reads, parses and digests one checkpoint; throws (a CheckpointError for a malformed one). `onParam` hears of each tensor as it is done. */
  digest(file: string, onParam?: (p: ParamDigest) => void): Promise<CheckpointDigest>;
  /** One line for the output channel. */
  log(line: string): void;
}

interface Entry extends FileStamp {
  /** null: the file could not be read as a checkpoint (logged once per version of the file). */
  params: Map<string, ParamDigest> | null;
  /** False while only the outline is known: the file waits in the statistics pass. */
  complete: boolean;
}

export interface ParamMatch { file: string; param: ParamDigest }

export interface LookupResult {
  /** The candidate name that matched ('' when none has yet). */
  name: string;
  /** Every checkpoint holding it, nearest to the asking document first; empty only while files are pending. */
  matches: ParamMatch[];
  /** Checkpoints not digested yet when the answer was given (the lookup stopped waiting). */
  pending: number;
}

/** Folder distance between two files: steps up from one's folder to the common folder, plus steps down. */
export function folderDistance(a: string, b: string): number {
  const split = (p: string) => p.replace(/\\/g, '/').split('/').slice(0, -1).filter((s) => s !== '');
  const da = split(a), db = split(b);
  let common = 0;
  while (common < da.length && common < db.length && da[common] === db[common]) common++;
  return da.length - common + (db.length - common);
}

export class CheckpointIndex {
  private readonly entries = new Map<string, Entry>();
  /** Files waiting to be (re)checked, in no order: the worker loop picks the nearest to `focus`. */
  private readonly queue = new Set<string>();
  /** Files with an outline only, waiting for their statistics (read after every queued outline). */
  private readonly statsQueue = new Set<string>();
  private focus = '';
  private listing: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  /** The file being digested now, if any. */
  private current: string | null = null;
  private idleWaiters: (() => void)[] = [];
  /** Called after each file is checked, so a waiting lookup can re-examine what it has. */
  private progressWaiters: (() => void)[] = [];
  /** Each file's distance from `rankedFor`, computed once per file and asking document (nextFile runs per file, over every queued one). */
  private readonly ranks = new Map<string, number>();
  private rankedFor = '';
  /** Counters for tests and the benchmark. */
  readonly counters = { outlines: 0, digests: 0, cacheHits: 0, failures: 0 };

  constructor(private readonly host: IndexHost) {}

  /** Lists the workspace once (on first need) and queues every file; later calls reuse that listing. */
  start(): Promise<void> {
    this.listing ??= this.host.listCheckpoints().then(
      (files) => { for (const f of files) this.queue.add(f); this.kick(); },
      (e: unknown) => { this.host.log(`Could not list the workspace's checkpoints: ${String(e)}`); },
    );
    return this.listing;
  }

  /** The watcher saw a file created or changed: re-check it (digested again only if its size or mtime moved). */
  fileChanged(file: string): void {
    if (!this.listing) return; // not built yet: the first lookup will list it anyway
    this.queue.add(file);
    this.kick();
  }

  /**
   * Lists the workspace again and queues the files it does not know yet: a folder created or moved
   * in with its checkpoints already inside gives the watcher the folder, not always each file
   * (a file written before the watcher follows the new folder is never reported).
   */
  async rescan(): Promise<void> {
    if (!this.listing) return; // not built yet: the first lookup lists everything
    await this.listing;
    const files = await this.host.listCheckpoints().catch(() => [] as string[]);
    let added = false;
    for (const f of files) if (!this.entries.has(f) && !this.queue.has(f) && f !== this.current) { this.queue.add(f); added = true; }
    if (added) this.kick();
  }

  fileDeleted(file: string): void {
    this.queue.delete(file);
    this.statsQueue.delete(file);
    this.entries.delete(file);
  }

  /** How many files are known, and how many still wait for their digest. */
  get size(): { indexed: number; pending: number; statsPending: number } {
    return { indexed: this.entries.size, pending: this.queue.size, statsPending: this.statsQueue.size };
  }

  /**
   * The checkpoints holding the first of `candidates` that any of them holds, nearest to `near`
   * first; null when no candidate matches. While the index is incomplete it answers as soon as
   * the nearest answer is known — a match at least as near as every file still pending (files
   * are digested nearest first) — or after `waitMs` from what it has; `pending` then says how
   * many files were not yet read, so the tooltip can say its list may grow. Timing out with no
   * match yet gives an empty `matches` with `pending` > 0: "not known yet", not "no such name".
   */
  async lookup(candidates: string[], near: string, waitMs: number): Promise<LookupResult | null> {
    this.focus = near;
    await this.start();
    const rank = (f: string) => this.rank(f, near);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const found = this.find(candidates, rank);
      // Files in the statistics pass already answer with their shapes: they are not pending.
      const pendingFiles = [...this.queue, ...(this.current ? [this.current] : [])];
      if (pendingFiles.length === 0) return found && { ...found, pending: 0 };
      const nearestPending = Math.min(...pendingFiles.map(rank));
      // A pending file's old entry may be stale, so it never counts as the nearest answer.
      const best = found?.matches[0].file;
      if (found && best !== undefined && !pendingFiles.includes(best) && rank(best) <= nearestPending) {
        return { ...found, pending: pendingFiles.length };
      }
      const left = deadline - Date.now();
      if (left <= 0) return { ...(found ?? { name: '', matches: [] }), pending: pendingFiles.length };
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        new Promise<void>((r) => this.progressWaiters.push(r)),
        new Promise<void>((r) => { timer = setTimeout(r, left); }),
      ]);
      clearTimeout(timer);
    }
  }

  /** The matches of the first candidate any indexed checkpoint holds, nearest first. */
  private find(candidates: string[], rank: (file: string) => number): Omit<LookupResult, 'pending'> | null {
    for (const name of candidates) {
      const matches: ParamMatch[] = [];
      for (const [file, e] of this.entries) {
        const p = e.params?.get(name);
        if (p) matches.push({ file, param: p });
      }
      if (matches.length === 0) continue;
      matches.sort((x, y) => rank(x.file) - rank(y.file) || x.file.localeCompare(y.file));
      return { name, matches };
    }
    return null;
  }

  /** Resolves when every file has at least its outline (the statistics pass may still run). */
  async whenOutlined(): Promise<void> {
    while (this.queue.size > 0 || this.current) await new Promise<void>((r) => this.progressWaiters.push(r));
  }

  /** Resolves when nothing is queued or being digested. */
  whenIdle(): Promise<void> {
    if (this.queue.size === 0 && this.statsQueue.size === 0 && !this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private kick(): void {
    this.running ??= this.drain().finally(() => {
      this.running = null;
      if (this.queue.size > 0 || this.statsQueue.size > 0) this.kick();
      else for (const w of this.idleWaiters.splice(0)) w();
    });
  }

  /** -1 for `near` itself, else the folder distance from it. */
  private rank(file: string, near: string): number {
    if (near !== this.rankedFor) { this.ranks.clear(); this.rankedFor = near; }
    let r = this.ranks.get(file);
    if (r === undefined) this.ranks.set(file, (r = file === near ? -1 : folderDistance(file, near)));
    return r;
  }

  private nextFile(queue: Set<string>): string {
    let best = '', bestRank = Infinity;
    for (const f of queue) {
      const rank = this.focus ? this.rank(f, this.focus) : 0;
      if (rank < bestRank) { best = f; bestRank = rank; }
    }
    return best;
  }

  private async drain(): Promise<void> {
    while (this.queue.size > 0 || this.statsQueue.size > 0) {
      if (this.queue.size > 0) {
        const file = this.nextFile(this.queue);
        this.queue.delete(file);
        this.current = file;
        try {
          await this.check(file);
        } finally {
          this.current = null;
          for (const w of this.progressWaiters.splice(0)) w();
        }
      } else {
        // Low priority: statistics only when no outline is waiting, and a turn of the event loop
        // between files so that hovers and everything else on the host's thread come first.
        await new Promise((r) => setImmediate(r));
        const file = this.nextFile(this.statsQueue);
        this.statsQueue.delete(file);
        await this.fill(file);
      }
    }
  }

  private skipped(file: string, e: unknown): void {
    this.counters.failures++;
    const message = e instanceof Error ? e.message : String(e);
    // A CheckpointError's message already names the file; others get it prefixed.
    this.host.log(`Skipped ${file}: ${message.includes(file) ? message.replace(`${file}: `, '') : message}`);
  }

  private async check(file: string): Promise<void> {
    const stamp = await this.host.stat(file).catch(() => null);
    if (!stamp) { this.entries.delete(file); this.statsQueue.delete(file); return; }
    const old = this.entries.get(file);
    if (old && old.size === stamp.size && old.mtimeMs === stamp.mtimeMs) {
      this.counters.cacheHits++;
      if (!old.complete) this.statsQueue.add(file);
      return;
    }
    let params: Map<string, ParamDigest> | null = null;
    let complete = true;
    try {
      const outline = this.host.outline ? await this.host.outline(file) : null;
      if (outline) {
        this.counters.outlines++;
        complete = false;
      }
      const digest = outline ?? await this.host.digest(file);
      params = new Map(digest.params.map((p) => [p.name, p]));
      if (!outline) this.counters.digests++;
    } catch (e) {
      this.skipped(file, e);
    }
    // The file was deleted while it was being read: forget it rather than keep a stale entry.
    if (!this.queue.has(file) && !(await this.host.stat(file).catch(() => null))) { this.entries.delete(file); return; }
    this.entries.set(file, { ...stamp, params, complete });
    if (complete) this.statsQueue.delete(file);
    else this.statsQueue.add(file);
  }

  /** The statistics pass of one file: each tensor's digest replaces its outline as it is read. */
  private async fill(file: string): Promise<void> {
    const entry = this.entries.get(file);
    if (!entry || entry.complete || !entry.params) return;
    const stamp = await this.host.stat(file).catch(() => null);
    const same = (s: FileStamp | null) => s !== null && s.size === entry.size && s.mtimeMs === entry.mtimeMs;
    // Changed since its outline: outline it again first (check() queues the statistics after).
    if (!same(stamp)) { this.queue.add(file); return; }
    const live = () => this.entries.get(file) === entry;
    try {
      const digest = await this.host.digest(file, (p) => { if (live()) entry.params!.set(p.name, p); });
      if (!live()) return;
      entry.params = new Map(digest.params.map((p) => [p.name, p]));
      this.counters.digests++;
    } catch (e) {
      if (live()) this.skipped(file, e);
    }
    entry.complete = true;
    // Written while its values were read: the statistics may mix two versions; read it again.
    if (live() && !same(await this.host.stat(file).catch(() => null))) this.queue.add(file);
  }
}
