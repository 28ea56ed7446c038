// The custom document of a file Weightscope shows read-only (.safetensors, .pt/.pth, .npy/.npz).
// It holds the reader's lazy tensor list, not the values: the editor state comes from the header
// (name, shape, dtype, numel), and a tensor's values are read when the webview asks for them
// (selection, thumbnail scrolled into view). Statistics are computed once per tensor and cached;
// only the last few tensors' values stay in memory. A change on disk reloads it (`reload`).
import * as vscode from 'vscode';
import { numel } from '../../engine/spec';
import { defaultRequiresGrad, type LazyTensorSource } from '../../format/lazy';
import { openAnyLazy, type AnyLazyFile } from '../../format/openAny';
import { dtypeBytes } from '../../format/tensor';
import { CheckpointError, type Checkpoint, type TensorRecord } from '../../format/types';
import type { EditorState, ParamInfo, TensorDataMessage } from '../../webview/protocol';
import { displayName } from './checkpointIo';
import { buildEditorState, tensorMessage, tensorValue } from './viewState';
import type { DocumentView } from './weightsDocument';

/** How many tensors' values are kept after use (hover read-outs ask for the shown one again). */
const KEEP_VALUES = 2;

/** A checkpoint of one tensor, so the `.weights.json` editor's view code describes it unchanged. */
function oneTensorCheckpoint(name: string, t: TensorRecord, isBuffer: boolean): Checkpoint {
  const single = new Map([[name, t]]);
  return {
    format: 'weights.json', version: 1,
    parameters: isBuffer ? new Map() : single,
    ...(isBuffer ? { buffers: single } : {}),
    extra: new Map(), keyOrder: ['format', 'version', 'parameters'],
  };
}

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
    await this.load();
    this.infos.clear();
    this.reading.clear();
    this.recent.clear();
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
  private readonly infos = new Map<string, ParamInfo>();
  private readonly reading = new Map<string, Promise<ParamInfo>>();
  /** Values of the last tensors read, most recent last. */
  private readonly recent = new Map<string, TensorRecord>();
  /** Reads run one after another: two 1 GB tensors never sit in memory at once because of us. */
  private queue: Promise<unknown> = Promise.resolve();
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
    const params = this.tensors.map((t) => this.infos.get(t.name) ?? this.placeholder(t));
    let total = 0, trainable = 0, bytes = 0;
    for (const p of params) {
      bytes += p.numel * dtypeBytes(p.dtype);
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

  private async values(name: string): Promise<TensorRecord | undefined> {
    const kept = this.recent.get(name);
    if (kept) {
      this.recent.delete(name);
      this.recent.set(name, kept);
      return kept;
    }
    const source = this.sources.get(name);
    if (!source) return undefined;
    const read = this.queue.then(() => source.read());
    this.queue = read.catch(() => undefined);
    const revision = this.revision;
    const record = await read;
    if (revision !== this.revision) return record;
    this.recent.set(name, record);
    while (this.recent.size > KEEP_VALUES) this.recent.delete(this.recent.keys().next().value as string);
    return record;
  }

  /** Statistics, histogram and thumbnail of `name`, reading its values the first time. */
  info(name: string): Promise<ParamInfo> | undefined {
    const done = this.infos.get(name);
    if (done) return Promise.resolve(done);
    if (!this.sources.has(name)) return undefined;
    let pending = this.reading.get(name);
    if (!pending) {
      const revision = this.revision;
      pending = this.values(name).then((t) => {
        const info = buildEditorState(oneTensorCheckpoint(name, t!, this.isBuffer(name)), this.fileName, revision).params[0];
        if (revision === this.revision) this.infos.set(name, info);
        return info;
      }).finally(() => this.reading.delete(name));
      this.reading.set(name, pending);
    }
    return pending;
  }

  /** The values the heatmap shows (exact or block-reduced, as for `.weights.json`). */
  async tensorData(name: string): Promise<TensorDataMessage | undefined> {
    const revision = this.revision;
    const t = await this.values(name);
    return t && tensorMessage(oneTensorCheckpoint(name, t, this.isBuffer(name)), name, revision);
  }

  /** One exact element, for the heatmap's hover read-out. */
  async value(name: string, index: number): Promise<number | undefined> {
    const t = await this.values(name);
    return t && tensorValue(oneTensorCheckpoint(name, t, this.isBuffer(name)), name, index);
  }

  addView(view: DocumentView): vscode.Disposable {
    this.views.add(view);
    return new vscode.Disposable(() => this.views.delete(view));
  }

  postToWebviews(message: Parameters<DocumentView['post']>[0]): void {
    for (const v of this.views) v.post(message);
  }

  dispose(): void {
    this.recent.clear();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}
