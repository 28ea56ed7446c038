// The webview's handle on VS Code: typed postMessage and the per-webview persisted state.
import type { WebviewToHost } from './protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export function send(message: WebviewToHost): void {
  api.postMessage(message);
}

/** What survives the webview being hidden and shown again: selection, colormap, clipping, heatmap or RGB filters. */
export interface PersistedState { selected?: string; colormap?: 'diverging' | 'magnitude'; clipPercentile?: number; mode?: 'heatmap' | 'rgb' }

export function loadState(): PersistedState {
  return (api.getState() as PersistedState | undefined) ?? {};
}

export function saveState(patch: PersistedState): void {
  api.setState({ ...loadState(), ...patch });
}
