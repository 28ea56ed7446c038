// Decides when the worker sends a parameter snapshot (and boundary grid): at most once per
// interval, so a fast run does not flood the host and the webview, plus always after the last epoch.
export class SnapshotClock {
  private last = -Infinity;
  constructor(private readonly intervalMs: number, private readonly now: () => number = Date.now) {}

  /** True (and the clock restarts) when a snapshot is due; `final` forces one. */
  due(final = false): boolean {
    const t = this.now();
    if (!final && t - this.last < this.intervalMs) return false;
    this.last = t;
    return true;
  }
}
