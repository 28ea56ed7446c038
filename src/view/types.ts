// The few types the picture code needs from the protocol, defined here so that src/view stays
// below both the extension host and the webview (src/webview/protocol.ts re-exports them).
// Pure types: no DOM, no `vscode`.

/** What the layout code needs to know of the layer that owns a tensor. */
export interface TensorRole {
  /** The owning layer's type ('Linear', 'Conv2d', 'LSTM', …), when the file has a model. */
  layerType?: string;
  /** The name inside the layer: 'weight', 'bias', 'weight_ih_l0', …; or the last dotted part of the name. */
  local: string;
}

export type ColormapName = 'diverging' | 'magnitude';
