// A map that forgets its least recently used entries once their estimated size passes a budget:
// the read-only editor's cache of per-tensor statistics, so a file of 100,000 tensors scrolled
// from end to end cannot grow the extension host without bound. Pure.
export class ByteLru<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private total = 0;

  constructor(private readonly budget: number, private readonly sizeOf: (v: V) => number) {}

  /** The value, marked as just used. */
  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  /** The value, leaving the order alone (listing every row must not reorder the cache). */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    const bytes = this.sizeOf(value);
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    // Oldest first; the entry just set stays even when it alone exceeds the budget.
    for (const [k, e] of this.entries) {
      if (this.total <= this.budget || k === key) break;
      this.entries.delete(k);
      this.total -= e.bytes;
    }
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.total -= e.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  get size(): number { return this.entries.size; }
  get bytes(): number { return this.total; }
}
