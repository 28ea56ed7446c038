// The custom document of a file Weightscope shows read-only (.safetensors, .pt/.pth, .npy/.npz).
// It holds the reader's lazy tensor list, not the values: the editor state comes from the header
// (name, shape, dtype, numel), and a tensor's values are read when the webview asks for them
// (selection, thumbnail scrolled into view). Who is served first is ReadScheduler's business: the
// selected tensor before any thumbnail, thumbnails of rows that scrolled away dropped. Statistics
// are computed once per tensor and cached (bounded by bytes); only the selected tensor's values
// stay in memory, for the heatmap's hover read-outs. A change on disk reloads it (`reload`).
import * as vscode from 'vscode';
import { numel } from '../../engine/spec';
import { defaultRequiresGrad, RAW_ITEMSIZE, type LazyTensorSource } from '../../format/lazy';
import { openAnyLazy, type AnyLazyFile } from '../../format/openAny';
import { CheckpointError, type TensorRecord } from '../../format/types';
import { layoutFor } from '../../view/layout';
import type { EditorState, ParamInfo, TensorDataMessage } from '../../webview/protocol';
import { sendPlan, type Fit } from '../../view/limits';
import { displayName } from './checkpointIo';
import { ByteLru } from './byteLru';
import { Cancelled, ReadScheduler, type JobContext, type Lane } from './readScheduler';
import { float32Values, histogramOf, reduceTensor, statsOf, thumbnailOf, valueAt } from './tensorSummary';
import { histogramBins, THUMB_COLS, THUMB_ROWS } from './viewState';
import type { DocumentView } from './weightsDocument';

/** Bytes of statistics, histograms and thumbnails kept (a few KiB per tensor: thousands of rows). */
const INFO_CACHE_BYTES = 32 << 20;

/** Rough bytes a ParamInfo holds: its thumbnail and histogram numbers, plus the object overhead. */
const infoBytes = (p: ParamInfo): number => 8 * (p.thumbnail.values.length + p.histogram.edges.length + p.histogram.counts.length) + 1024;

export class ReadonlyDocument implements vscode.CustomDocument {
  /** Open `uri`; a file that cannot be read becomes a document showing the error. */
  static async open(uri: vscode.Uri): Promise<ReadonlyDocument> {
    const doc = new ReadonlyDocument(uri);
    await doc.load();
    return doc;
  }

  private async load(): Promise<void> {
    this.file = undefined;
    this.error = undefined;
    if (this.uri.scheme !== 'file') {
      this.error = `${displayName(this.uri)}: only files on this machine's disk can be opened read-only (this one is ${this.uri.scheme}:)`;
    } else {
      try {
        this.file = await openAnyLazy(this.uri.fsPath);
      } catch (e) {
        if (!(e instanceof CheckpointError)) throw e;
        this.error = e.message;
      }
    }
    this.sources = new Map((this.file?.tensors ?? []).map((t) => [t.name, t]));
  }

  /** The file changed on disk: read its header again, forget every value, refresh the views. */
  async reload(): Promise<void> {
    this.scheduler.cancelAll();
    await this.load();
    this.infos.clear();
    this.wanted.clear();
    this.reads.clear();
    this.kept = undefined;
    this.cachedState = undefined;
    this.revision++;
    for (const v of this.views) v.refresh();
  }

  /** The reader's view of the file, undefined when it could not be read (see `error`). */
  file: AnyLazyFile | undefined;
  /** The one-line message of a file that could not be read. */
  error: string | undefined;
  /** Increases on every reload: the webview's cache key, as for `.weights.json`. */
  revision = 0;

  /** The parameter last selected in any view. */
  selection: string | undefined;
  private readonly views = new Set<DocumentView>();
  private readonly infos = new ByteLru<ParamInfo>(INFO_CACHE_BYTES, infoBytes);
  /** The order of every read and reduction: the selection first, then the visible rows. */
  readonly scheduler = new ReadScheduler();
  /** Reads in flight, so a thumbnail job and a click on the same tensor read it once. */
  private readonly reads = new Map<string, Promise<TensorRecord>>();
  /** The values of the tensor shown in the heatmap (hover read-outs ask for its elements). */
  private kept: { name: string; record: TensorRecord } | undefined;
  /** How many views want each visible row's statistics: a scroll in one view cancels only when none does. */
  private readonly wanted = new Map<string, number>();
  private sources = new Map<string, LazyTensorSource>();
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  private cachedState: EditorState | undefined;

  private constructor(readonly uri: vscode.Uri) {}

  get fileName(): string { return this.uri.path.slice(this.uri.path.lastIndexOf('/') + 1); }

  /** Names and shapes of every tensor, in file order (parameters, then buffers). */
  get tensors(): readonly LazyTensorSource[] { return this.file?.tensors ?? []; }

  private isBuffer(name: string): boolean { return this.file?.buffers.has(name) ?? false; }

  /** Header-only description of a tensor; replaced by the real one once its values were read. */
  private placeholder(t: LazyTensorSource): ParamInfo {
    const n = numel(t.shape);
    const kind = this.isBuffer(t.name) ? 'buffer' : 'parameter';
    return {
      name: t.name, shape: [...t.shape], dtype: t.dtype, numel: n, kind,
      requiresGrad: kind === 'parameter' && defaultRequiresGrad(t.name, t.dtype),
      role: { local: t.name.slice(t.name.lastIndexOf('.') + 1) },
      stats: { numel: n, mean: null, std: null, min: null, max: null, l2: null, zeros: 0, nonfinite: 0, nan: 0, posinf: 0, neginf: 0 },
      histogram: { edges: [], counts: [] },
      thumbnail: { rows: 0, cols: 0, values: [], absMax: 0 },
      pending: true,
    };
  }

  /** The editor state from the header, with the statistics of the tensors read so far. */
  state(): EditorState {
    // The row shows the dtype as stored (an int16 tensor is int16, though held as int32), and the
    // size is what the file's tensors take.
    const params = this.tensors.map((t): ParamInfo => {
      const info = this.infos.peek(t.name) ?? this.placeholder(t);
      return t.sourceDtype === info.dtype ? info : { ...info, storedDtype: t.sourceDtype };
    });
    let total = 0, trainable = 0, bytes = 0;
    for (const [i, p] of params.entries()) {
      bytes += p.numel * RAW_ITEMSIZE[this.tensors[i].sourceDtype];
      if (p.kind !== 'parameter') continue;
      total += p.numel;
      if (p.requiresGrad) trainable += p.numel;
    }
    this.cachedState ??= {
      fileName: this.fileName, hasModel: false, totals: { total, trainable, frozen: total - trainable, bytes },
      layers: [], params: [], revision: this.revision,
      readOnly: { sourceFormat: this.file?.sourceFormat ?? '', notes: [...(this.file?.notes ?? []), vscode.l10n.t('Read-only: use "Save As .weights.json" to edit, freeze or train these weights.')] },
    };
    return { ...this.cachedState, params };
  }

  /** The values of `name`: the kept ones, a read already in flight, or a new read from disk. */
  private read(name: string): Promise<TensorRecord> | undefined {
    if (this.kept?.name === name) return Promise.resolve(this.kept.record);
    const inFlight = this.reads.get(name);
    if (inFlight) return inFlight;
    const source = this.sources.get(name);
    if (!source) return undefined;
    const read = source.read().finally(() => this.reads.delete(name));
    this.reads.set(name, read);
    return read;
  }

  /** Statistics, histogram and thumbnail of `record`, in steps that yield (see tensorSummary). */
  private async summarize(name: string, record: TensorRecord, ctx: JobContext): Promise<ParamInfo> {
    const base = this.placeholder(this.sources.get(name)!);
    const stats = await statsOf(record, ctx.pause);
    const histogram = await histogramOf(record, stats, histogramBins(stats.numel), ctx.pause);
    const thumbnail = await thumbnailOf(layoutFor(record.shape, base.role), record, stats, THUMB_ROWS, THUMB_COLS, ctx.pause);
    const { pending: _, ...rest } = base;
    return { ...rest, stats, histogram, thumbnail };
  }

  /**
   * Statistics, histogram and thumbnail of `name`, reading its values the first time. `lane`:
   * 'visible' for a row scrolled into view (cancelled by `cancelInfo`), 'selected' for the row
   * the user picked. Rejects with `Cancelled` when cancelled or when the file was reloaded meanwhile.
   */
  info(name: string, lane: Lane = 'selected'): Promise<ParamInfo> | undefined {
    const done = this.infos.get(name);
    if (done) return Promise.resolve(done);
    if (!this.sources.has(name)) return undefined;
    if (lane === 'visible') this.wanted.set(name, (this.wanted.get(name) ?? 0) + 1);
    const revision = this.revision;
    return this.scheduler.schedule(`info:${name}`, lane, async (ctx) => {
      const record = await this.read(name)!;
      await ctx.pause();
      const info = await this.summarize(name, record, ctx);
      if (revision !== this.revision) throw new Cancelled(`info:${name}`);
      this.infos.set(name, info);
      this.wanted.delete(name);
      return info;
    // Statistics step aside for a newer click's picture: a click right after another big tensor's
    // must not wait for that tensor's statistics (a bfloat16 embedding's took ~0.5 s).
    }, { yields: true });
  }

  /** A view's row scrolled out of sight before its statistics came: drop the job unless another view wants it. */
  cancelInfo(name: string): void {
    const n = (this.wanted.get(name) ?? 0) - 1;
    if (n > 0) { this.wanted.set(name, n); return; }
    this.wanted.delete(name);
    this.scheduler.cancel(`info:${name}`);
  }

  /**
   * The values the heatmap shows (exact or block-reduced), before anything a thumbnail waits for:
   * fitted to the plot (`fit`) for a click, the finest the limits allow for `detail` (sendPlan).
   */
  tensorData(name: string, fit?: Fit, detail = false): Promise<TensorDataMessage | undefined> {
    if (!this.sources.has(name)) return Promise.resolve(undefined);
    const revision = this.revision;
    const key = `${detail ? 'detail' : 'tensor'}:${name}`;
    // A click on another tensor makes an older one's picture moot: drop it, queued or running (it
    // stops at its next pause); this tensor's own first picture and finer data both stay.
    for (const other of [...this.scheduler.queued('selected'), ...this.scheduler.started('selected')]) {
      if (/^(tensor|detail):/.test(other) && other.slice(other.indexOf(':') + 1) !== name) this.scheduler.cancel(other);
    }
    return this.scheduler.schedule(key, 'selected', async (ctx) => {
      const record = await this.read(name)!;
      if (revision !== this.revision) throw new Cancelled(key);
      this.kept = { name, record };
      const shape = [...record.shape];
      const layout = layoutFor(record.shape, { local: name.slice(name.lastIndexOf('.') + 1) });
      const plan = sendPlan(layout, record.data.length, fit, detail);
      if (plan.whole) {
        return { type: 'tensorData', name, revision, shape, values: await float32Values(record, ctx.pause) } satisfies TensorDataMessage;
      }
      const grid = await reduceTensor(layout, record, plan.maxRows, plan.maxCols, ctx.pause);
      return {
        type: 'tensorData', name, revision, shape, values: grid.values,
        reduction: { rows: grid.rows, cols: grid.cols, rowFactor: grid.rowFactor, colFactor: grid.colFactor, index: grid.index },
        ...(plan.fitted ? { fitted: true } : {}),
      } satisfies TensorDataMessage;
    });
  }

  /** One exact element, for the heatmap's hover read-out. */
  async value(name: string, index: number): Promise<number | undefined> {
    const t = this.kept?.name === name ? this.kept.record
      : this.sources.has(name) ? await this.scheduler.schedule(`value:${name}`, 'selected', async () => this.read(name)!) : undefined;
    if (!t || index < 0 || index >= t.data.length) return undefined;
    return valueAt(t)(index);
  }

  addView(view: DocumentView): vscode.Disposable {
    this.views.add(view);
    return new vscode.Disposable(() => this.views.delete(view));
  }

  postToWebviews(message: Parameters<DocumentView['post']>[0]): void {
    for (const v of this.views) v.post(message);
  }

  dispose(): void {
    this.scheduler.cancelAll();
    this.kept = undefined;
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}
