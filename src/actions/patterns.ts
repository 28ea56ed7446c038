// Parameter patterns (docs/cli.md): a parameter name (`fc1.weight`), a layer name or prefix
// (`fc1`, `0` → all its parameters), or a glob (`*.bias`, `fc?.weight`). Matches come back in
// state_dict order, each name once.
import { CheckpointError, type Checkpoint } from '../format/types';

export interface ParameterMatch {
  name: string;
  /**
   * True when a pattern named this parameter itself (its full name, or a glob), false when it
   * came in only as part of a layer. `init` zeroes a layer's biases under a fan-based scheme but
   * refuses that scheme on a bias named explicitly, as torch.nn.init does.
   */
  explicit: boolean;
}

const isGlob = (p: string) => /[*?[]/.test(p);

/** A glob as a RegExp over the whole name: `*` any run of characters, `?` one, `[…]` a class. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) { re += '\\['; continue; }
      let body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += `[${body}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** Every parameter the patterns select, in state_dict order, with how each was selected. */
export function matchParametersDetailed(ckpt: Checkpoint, patterns: string[], file: string): ParameterMatch[] {
  const names = [...ckpt.parameters.keys()];
  const explicit = new Set<string>(), viaLayer = new Set<string>();
  for (const pattern of patterns) {
    let hits = 0;
    if (isGlob(pattern)) {
      const re = globToRegExp(pattern);
      for (const n of names) if (re.test(n)) { explicit.add(n); hits++; }
    } else {
      for (const n of names) {
        if (n === pattern) { explicit.add(n); hits++; } else if (n.startsWith(`${pattern}.`)) { viaLayer.add(n); hits++; }
      }
    }
    if (hits === 0) throw new CheckpointError(file, `no parameter matches "${pattern}" (available: ${shortList(names)})`);
  }
  return names.filter((n) => explicit.has(n) || viaLayer.has(n)).map((name) => ({ name, explicit: explicit.has(name) }));
}

/** The names the patterns select, in state_dict order. */
export function matchParameters(ckpt: Checkpoint, patterns: string[], file: string): string[] {
  return matchParametersDetailed(ckpt, patterns, file).map((m) => m.name);
}

/** Up to 8 names, then how many more, so that a message stays one readable line. */
export function shortList(names: readonly string[], max = 8): string {
  if (names.length === 0) return 'none, the file has no parameters';
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … and ${names.length - max} more`;
}
