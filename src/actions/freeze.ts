// Freezing and unfreezing parameters (requires_grad, docs/cli.md `freeze` / `unfreeze`). A frozen
// parameter receives no gradient and no optimizer step, weight decay included.
import type { Checkpoint } from '../format/types';
import { matchParameters } from './patterns';

/** Names the patterns select whose requires_grad differs from `value`, without changing anything. */
export function planRequiresGrad(ckpt: Checkpoint, patterns: string[], value: boolean, file: string): string[] {
  return matchParameters(ckpt, patterns, file).filter((n) => ckpt.parameters.get(n)?.requires_grad !== value);
}

/**
 * Set requires_grad to `value` on every parameter the patterns select (a pattern matching nothing
 * is refused before anything changes). Returns the names that actually changed; undoing is
 * setting them back to `!value`.
 */
export function setRequiresGrad(ckpt: Checkpoint, patterns: string[], value: boolean, file: string): string[] {
  const changed = planRequiresGrad(ckpt, patterns, value, file);
  for (const name of changed) {
    const t = ckpt.parameters.get(name);
    if (t) ckpt.parameters.set(name, { ...t, requires_grad: value });
  }
  return changed;
}
