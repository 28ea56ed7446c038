// What both Weightscope editors (the editable `.weights.json` one and the read-only one) keep about
// their documents and webview panels: the open document per uri, the panels showing each, which
// document is active, callers waiting for a document to be shown, and a debounced watch of the
// file on disk. One implementation, so the two editors cannot drift apart.
import * as vscode from 'vscode';

interface ShownIn { readonly panel: vscode.WebviewPanel }
interface Doc { readonly uri: vscode.Uri; postToWebviews(message: unknown): void; selection?: string }

export class DocumentPanels<D extends Doc, V extends ShownIn> {
  private readonly documents = new Map<string, D>();
  private readonly panels = new Map<D, Set<V>>();
  private readonly waiting = new Map<string, ((d: D) => void)[]>();
  private active: D | undefined;

  constructor(private readonly viewType: string) {}

  /** A document was opened; `subs` are disposed with it. */
  opened(doc: D, onDispose: vscode.Event<void>, subs: vscode.Disposable[] = []): void {
    const key = doc.uri.toString();
    onDispose(() => {
      for (const s of subs) s.dispose();
      if (this.documents.get(key) === doc) this.documents.delete(key);
      if (this.active === doc) this.active = undefined;
      this.panels.delete(doc);
    });
    this.documents.set(key, doc);
  }

  /** A panel now shows doc: track it, follow its focus, and answer whoever waited for doc. */
  shown(doc: D, view: V): void {
    const set = this.panels.get(doc) ?? new Set<V>();
    set.add(view);
    this.panels.set(doc, set);
    const panel = view.panel;
    if (panel.active) this.active = doc;
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.active = doc;
      else if (this.active === doc && ![...set].some((p) => p.panel.active)) this.active = undefined;
    });
    panel.onDidDispose(() => {
      set.delete(view);
      if (this.active === doc && set.size === 0) this.active = undefined;
    });
    const key = doc.uri.toString();
    for (const resolve of this.waiting.get(key) ?? []) resolve(doc);
    this.waiting.delete(key);
  }

  activeDocument(): D | undefined {
    return this.active;
  }

  viewsOf(doc: D): V[] {
    return [...(this.panels.get(doc) ?? [])];
  }

  /** The open document for uri; otherwise open it in this editor and wait until it is shown. */
  async documentFor(uri: vscode.Uri, { needsPanel = false } = {}): Promise<D> {
    const open = this.documents.get(uri.toString());
    if (open && (!needsPanel || this.viewsOf(open).length > 0)) return open;
    const resolved = new Promise<D>((resolve) => {
      const list = this.waiting.get(uri.toString()) ?? [];
      list.push(resolve);
      this.waiting.set(uri.toString(), list);
    });
    await vscode.commands.executeCommand('vscode.openWith', uri, this.viewType);
    return resolved;
  }

  /** Bring a panel of uri forward (opening it if needed) and select a parameter there. */
  async reveal(uri: vscode.Uri, paramName?: string): Promise<void> {
    const doc = await this.documentFor(uri);
    const views = this.viewsOf(doc);
    if (views.length > 0 && !views.some((p) => p.panel.visible)) views[0].panel.reveal();
    if (paramName !== undefined) {
      doc.selection = paramName;
      doc.postToWebviews({ type: 'select', name: paramName });
    }
  }
}

/**
 * Call `changed` once the file at uri has been quiet for 300 ms after a change or re-creation on
 * disk: writers that are not atomic fire several events and leave a half-written file between them.
 * Errors `changed` throws are shown as one-line messages.
 */
export function watchFileDebounced(uri: vscode.Uri, changed: () => Promise<void>): vscode.Disposable {
  const slash = uri.path.lastIndexOf('/');
  const dir = uri.with({ path: uri.path.slice(0, slash) || '/' });
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, uri.path.slice(slash + 1)));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      changed().catch((e: unknown) => void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e)));
    }, 300);
  };
  return vscode.Disposable.from(watcher, watcher.onDidChange(run), watcher.onDidCreate(run), { dispose: () => timer && clearTimeout(timer) });
}
