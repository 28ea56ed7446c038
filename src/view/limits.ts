// How much of a tensor travels to the webview: shared by the host (which reduces) and the webview
// (which knows what it received). Re-exported by src/webview/protocol.ts.

/** Tensors with more elements than this are sent block-reduced (exact values on hover). */
export const MAX_SENT_ELEMENTS = 1 << 22;
/** The largest side of a reduced grid the host sends for a big tensor. */
export const MAX_SENT_SIDE = 1024;
