// The compare view's handle on VS Code: typed messages to the host and the selection that
// survives the panel being hidden and shown again.
import type { CompareWebviewToHost } from '../protocol';

interface VsCodeApi { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export function send(message: CompareWebviewToHost): void {
  api.postMessage(message);
}

export interface CompareState { selected?: string }

export function loadState(): CompareState {
  return (api.getState() as CompareState | undefined) ?? {};
}

export function saveState(s: CompareState): void {
  api.setState(s);
}
