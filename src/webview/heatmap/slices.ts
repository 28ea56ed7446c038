// Runs a step-wise computation (src/view's *Steps generators) on the webview's main thread in
// slices of a few milliseconds, giving the event loop its turn between slices, so that reducing a
// large tensor never freezes scrolling, hovering or typing (no long task over ~50 ms).

/** Work per slice, ms: well under the 50 ms that browsers count as a long task. */
const SLICE_MS = 12;

/** A macrotask turn: MessageChannel is not clamped to 4 ms as nested setTimeout(0) is. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); resolve(); };
    ch.port2.postMessage(null);
  });
}

/** The computation's result, or undefined when `cancelled()` became true between two slices. */
export async function runSliced<T>(steps: Generator<void, T>, cancelled: () => boolean): Promise<T | undefined> {
  let start = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - start >= SLICE_MS) {
      await nextTurn();
      if (cancelled()) return undefined;
      start = performance.now();
    }
  }
}
