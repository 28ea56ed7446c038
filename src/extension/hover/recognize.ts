// Recognises the parameter a user points at in one line of source text: `model.fc1.weight`,
// `net[0].weight`, `lstm.weight_hh_l1`, `sd['0.bias']`, a key of a `.weights.json` file...
// Pure text work (no `vscode`), so that every form can be unit-tested.

/** What a hover at one position refers to: the state_dict names to try, most specific first. */
export interface ParamReference {
  candidates: string[];
  /** The span of the line to highlight, [start, end). */
  start: number;
  end: number;
}

/**
 * The last segment of a parameter's state_dict name: `weight`, `bias`, and the LSTM forms
 * `weight_ih_l0`, `bias_hh_l1` (plus `_reverse` of a bidirectional LSTM). Nothing else —
 * `weights`, `weight_decay`, `my_weight_fn` are ordinary identifiers.
 */
const PARAM_LEAF = /^(?:weight|bias)(?:_(?:ih|hh)_l\d+(?:_reverse)?)?$/;
/** A state_dict key as it appears inside a string literal: dotted segments of word characters. */
const KEY_TEXT = /^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$/;
const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_]/;

export function isParamLeaf(segment: string): boolean {
  return PARAM_LEAF.test(segment);
}

interface StringLiteral { start: number; end: number; content: string }

/** The string literal (quotes included in start/end) containing `offset`, or null if `offset` is in code. */
export function stringAt(line: string, offset: number): StringLiteral | null {
  let i = 0;
  while (i < line.length) {
    const q = line[i];
    if (q !== '"' && q !== "'" && q !== '`') { i++; continue; }
    const start = i;
    i++;
    while (i < line.length && line[i] !== q) i += line[i] === '\\' ? 2 : 1;
    const end = Math.min(i + 1, line.length);
    if (offset >= start && offset < end) return { start, end, content: line.slice(start + 1, Math.min(i, line.length)) };
    if (start > offset) return null;
    i = end;
  }
  return null;
}

/** Suffixes of a dotted path that end in its leaf, longest first: a.b.c.weight → a.b.c.weight, b.c.weight, c.weight. */
function dottedSuffixes(segments: string[], allowBare: boolean): string[] {
  const out: string[] = [];
  const last = allowBare ? segments.length : segments.length - 1;
  for (let i = 0; i < last; i++) out.push(segments.slice(i).join('.'));
  return out;
}

function fromString(lit: StringLiteral): ParamReference | null {
  if (!KEY_TEXT.test(lit.content)) return null;
  const segments = lit.content.split('.');
  if (!isParamLeaf(segments[segments.length - 1])) return null;
  // A key written out in full is meant literally; its shorter suffixes are a fallback for
  // wrapped models (`module.fc1.weight` from DataParallel). A bare "weight" key is itself a key.
  const candidates = segments.length === 1 ? [lit.content] : dottedSuffixes(segments, false);
  return { candidates, start: lit.start, end: lit.end };
}

interface Segment { text: string; start: number; end: number; index: boolean }

/** Reads an attribute chain `a.b[0].c` around `offset` (skipping nothing else), as segments. */
function chainAt(line: string, offset: number): Segment[] | null {
  // Find the identifier or [digits] element under the offset, then walk left and right.
  const isIdent = (c: string | undefined) => c !== undefined && IDENT_CHAR.test(c);
  let pos = offset;
  if (!isIdent(line[pos]) && isIdent(line[pos - 1])) pos--; // cursor just after a word
  const readIdentAround = (p: number): Segment | null => {
    if (!isIdent(line[p])) return null;
    let s = p, e = p;
    while (s > 0 && isIdent(line[s - 1])) s--;
    while (e < line.length && isIdent(line[e])) e++;
    if (!IDENT_START.test(line[s])) return null; // a number, not a name
    return { text: line.slice(s, e), start: s, end: e, index: false };
  };
  let here = readIdentAround(pos);
  if (!here) {
    // maybe on the `[0]` of `net[0].weight`
    const open = line.lastIndexOf('[', offset);
    const m = open >= 0 ? /^\[(\d+)\]/.exec(line.slice(open)) : null;
    if (!m || offset >= open + m[0].length) return null;
    here = { text: m[1], start: open, end: open + m[0].length, index: true };
  }
  const segs: Segment[] = [here];
  // leftwards
  let cur = here.start;
  for (;;) {
    if (line[cur - 1] === '.' && line[cur - 2] === ']') {
      cur--; // `net[0].weight`: step over the dot, the index is read next
    } else if (line[cur - 1] === '.' || (segs[0].index && isIdent(line[cur - 1]))) {
      // `a.b` (an identifier before a dot) or `net[0]` (an identifier right before an index)
      const end = line[cur - 1] === '.' ? cur - 1 : cur;
      let s = end;
      while (s > 0 && isIdent(line[s - 1])) s--;
      if (s === end || !IDENT_START.test(line[s])) break;
      segs.unshift({ text: line.slice(s, end), start: s, end, index: false });
      cur = s;
    } else if (line[cur - 1] === ']') {
      const open = line.lastIndexOf('[', cur - 1);
      const m = open >= 0 ? /^\[(\d+)\]$/.exec(line.slice(open, cur)) : null;
      if (!m) return null; // `x[i].weight`, `d["k"].weight`: not a literal path
      segs.unshift({ text: m[1], start: open, end: cur, index: true });
      cur = open;
    } else break;
  }
  if (segs[0].index) return null; // a chain cannot start with [0]
  if (cur > 0 && line[cur - 1] === ')') return null; // `f().weight`: not a state_dict path we can name
  // rightwards
  cur = here.end;
  for (;;) {
    if (line[cur] === '.' && IDENT_START.test(line[cur + 1] ?? '')) {
      let e = cur + 1;
      while (e < line.length && isIdent(line[e])) e++;
      segs.push({ text: line.slice(cur + 1, e), start: cur + 1, end: e, index: false });
      cur = e;
    } else if (line[cur] === '[') {
      const m = /^\[(\d+)\]/.exec(line.slice(cur));
      if (!m) break;
      segs.push({ text: m[1], start: cur, end: cur + m[0].length, index: true });
      cur += m[0].length;
    } else break;
  }
  return segs;
}

function fromCode(line: string, offset: number): ParamReference | null {
  const segs = chainAt(line, offset);
  if (!segs) return null;
  const hovered = segs.findIndex((s) => offset >= s.start && offset <= s.end);
  if (hovered < 0) return null;
  // The parameter ends at the first parameter-like segment at or after the hovered one:
  // hovering `fc1` or `model` in `model.fc1.weight.data` means `fc1.weight`.
  let leaf = -1;
  for (let i = hovered; i < segs.length; i++) if (!segs[i].index && isParamLeaf(segs[i].text)) { leaf = i; break; }
  if (leaf < 1) return null; // a bare `weight` names nothing; the chain needs an owner
  const path = segs.slice(0, leaf + 1).map((s) => s.text);
  // `modelo.weight`: the owner may be a one-layer model whose state_dict key is just `weight`.
  const candidates = dottedSuffixes(path, path.length === 2);
  return { candidates, start: segs[0].start, end: segs[leaf].end };
}

/** The parameter referred to at `offset` of `line`, or null where the text names none. */
export function recognizeParameter(line: string, offset: number): ParamReference | null {
  if (offset < 0 || offset > line.length) return null;
  const lit = stringAt(line, offset);
  if (lit) return fromString(lit);
  return fromCode(line, offset);
}
