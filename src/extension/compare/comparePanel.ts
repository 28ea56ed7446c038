// One compare view: a WebviewPanel showing two checkpoints side by side. The comparison runs
// through the core (compareSources: one pair of tensors in memory at a time) and the table fills
// in as rows arrive; selecting a tensor reads that pair again and sends A, B, Δ, the shared
// histogram and the ranked units. Closing the panel stops the reading.
import * as vscode from 'vscode';
import { compareSources, orderByChange, summarize, type TensorComparison } from '../../actions/compare';
import { InputError } from '../../engine/errors';
import type { CompareHostToWebview, ComparePendingView, CompareSummary, CompareWebviewToHost } from '../../webview/protocol';
import { weightscopeOutput } from '../outputChannel';
import { compareHtml } from './compareHtml';
import { pairMessage, pairStats, type PictureSize } from './pairPictures';
import { roleOf, type CompareSide } from './sides';

export const COMPARE_VIEW_TYPE = 'weightscope.compareView';
/** Rows reach the view at most this often while a comparison runs (each post crosses to the workbench). */
const ROWS_EVERY_MS = 150;

/** A bad file is its one-line message; anything else is an internal error, its stack in the output channel. */
function failureMessage(e: unknown): string {
  if (e instanceof InputError) return e.message;
  const detail = e instanceof Error ? e.message : String(e);
  weightscopeOutput().appendLine(e instanceof Error && e.stack ? e.stack : detail);
  return vscode.l10n.t('Weightscope: internal error: {0} (details in the Weightscope output channel)', detail);
}

export class ComparePanel {
  private rows: TensorComparison[] = [];
  private readonly headers = new Map<string, ComparePendingView>();
  private done = false;
  private readonly total: number;
  private readonly abort = new AbortController();
  private lastPost = 0;
  private postTimer: ReturnType<typeof setTimeout> | undefined;
  private ready = false;
  private disposed = false;
  /** The pair asked for last: an older answer arriving late is dropped. */
  private wanted: string | undefined;
  private error: string | undefined;
  /** Resolves with the summary once every tensor was compared (undefined if the view closed first). */
  readonly finished: Promise<CompareSummary | undefined>;

  constructor(readonly panel: vscode.WebviewPanel, private readonly a: CompareSide, private readonly b: CompareSide, extensionUri: vscode.Uri) {
    // Every name from the headers, A's order then B's extras: the table lists them before any value is read.
    const bByName = new Map(b.tensors.map((t) => [t.name, t]));
    for (const ta of a.tensors) {
      const tb = bByName.get(ta.name);
      if (!this.headers.has(ta.name)) this.headers.set(ta.name, { name: ta.name, shapeA: ta.shape, shapeB: tb?.shape ?? null, dtypeA: ta.dtype, dtypeB: tb?.dtype ?? null });
    }
    for (const tb of b.tensors) {
      if (!this.headers.has(tb.name)) this.headers.set(tb.name, { name: tb.name, shapeA: null, shapeB: tb.shape, dtypeA: null, dtypeB: tb.dtype });
    }
    this.total = this.headers.size;
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')] };
    panel.webview.html = compareHtml(panel.webview, extensionUri);
    panel.webview.onDidReceiveMessage((m: CompareWebviewToHost) => { void this.handle(m); });
    panel.onDidDispose(() => {
      this.disposed = true;
      this.abort.abort();
      if (this.postTimer) clearTimeout(this.postTimer);
      a.dispose?.();
      b.dispose?.();
    });
    this.finished = this.run();
  }

  private async run(): Promise<CompareSummary | undefined> {
    try {
      await compareSources(this.a.tensors, this.b.tensors, {
        signal: this.abort.signal,
        // Between chunks of a large pair: the extension host keeps answering the editor and the view.
        pause: () => new Promise((resolve) => setTimeout(resolve, 0)),
        onResult: (r: TensorComparison) => { this.rows.push(r); this.schedulePost(); },
      });
    } catch (e) {
      if (this.abort.signal.aborted) return undefined;
      this.error = failureMessage(e);
      this.post({ type: 'compareError', message: this.error });
      void vscode.window.showErrorMessage(this.error);
      return undefined;
    }
    if (this.abort.signal.aborted) return undefined;
    this.done = true;
    this.postRows();
    return summarize(this.rows);
  }

  private post(m: CompareHostToWebview): void {
    if (this.ready && !this.disposed) void this.panel.webview.postMessage(m);
  }

  private schedulePost(): void {
    const wait = ROWS_EVERY_MS - (Date.now() - this.lastPost);
    if (wait <= 0) { this.postRows(); return; }
    this.postTimer ??= setTimeout(() => { this.postTimer = undefined; this.postRows(); }, wait);
  }

  private postRows(): void {
    this.lastPost = Date.now();
    const compared = new Set(this.rows.map((r) => r.name));
    const pending = [...this.headers.values()].filter((h) => !compared.has(h.name));
    this.post({ type: 'compareRows', rows: orderByChange(this.rows), pending, compared: this.rows.length, total: this.total, done: this.done, summary: summarize(this.rows) });
  }

  private async handle(m: CompareWebviewToHost): Promise<void> {
    switch (m.type) {
      case 'compareReady':
        this.ready = true;
        this.post({ type: 'compareInit', l10n: vscode.l10n.bundle ?? {}, labelA: this.a.label, labelB: this.b.label, total: this.total });
        this.postRows();
        if (this.error) this.post({ type: 'compareError', message: this.error });
        return;
      case 'compareSelect':
        this.wanted = m.name;
        await this.sendPair(m.name, { fit: m.fit, detail: m.detail });
        return;
    }
  }

  /** Read the pair `name` (A, then B) and send its pictures; a bad tensor is a one-line message. */
  private async sendPair(name: string, size: PictureSize): Promise<void> {
    const sa = this.a.tensors.find((t) => t.name === name), sb = this.b.tensors.find((t) => t.name === name);
    try {
      const ra = sa && await sa.read();
      const rb = sb && await sb.read();
      if (this.wanted !== name) return;
      const role = roleOf(name, this.a, this.b);
      this.post(pairMessage(name, role, ra, rb, size));
      // A zoom's finer pictures: the histogram and the ranking went with the first ones.
      if (size.detail) return;
      // Let the pictures go out before the slower passes over the values (histogram, ranking).
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (this.wanted !== name) return;
      this.post(pairStats(name, role, ra, rb));
    } catch (e) {
      if (!this.disposed) this.post({ type: 'compareError', message: failureMessage(e), name });
    }
  }
}
