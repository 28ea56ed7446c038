// The layers of docs/ARCHITECTURE.md, checked on the sources: the extension host never runs webview
// code (it may only name the message protocol's types, which vanish at compile time), and
// src/view — the picture code both sides share — imports neither of them, nor `vscode`.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

function* tsFiles(dir: string): Generator<string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (e.name.endsWith('.ts')) yield p;
  }
}

/** Every import/export-from/require/dynamic import of a file: [specifier resolved to a repo path or package name, type-only?]. */
function importsOf(file: string): { target: string; typeOnly: boolean; line: string }[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: { target: string; typeOnly: boolean; line: string }[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[3] ?? m[4] ?? m[5];
    const target = spec.startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(file), spec)) : spec;
    out.push({ target: target.split(path.sep).join('/'), typeOnly: m[2] !== undefined, line: m[0].trim() });
  }
  return out;
}

/** The protocol modules the host may name types from (ARCHITECTURE: the one typed message protocol). */
const PROTOCOL = new Set(['src/webview/protocol', 'src/webview/training/messages']);

describe('layer imports', () => {
  it('nothing under src/extension imports src/webview, except the protocol\'s types', () => {
    const bad: string[] = [];
    for (const f of tsFiles(path.join(ROOT, 'src/extension'))) {
      for (const i of importsOf(f)) {
        if (!i.target.startsWith('src/webview')) continue;
        if (i.typeOnly && PROTOCOL.has(i.target)) continue;
        bad.push(`${path.relative(ROOT, f)}: ${i.line}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('src/view imports only src/view, src/engine, src/format and npm packages — no vscode, no webview, no host', () => {
    const bad: string[] = [];
    for (const f of tsFiles(path.join(ROOT, 'src/view'))) {
      for (const i of importsOf(f)) {
        const ok = /^src\/(view|engine|format)\//.test(i.target) || (!i.target.startsWith('src/') && i.target !== 'vscode' && !i.target.startsWith('node:'));
        if (!ok) bad.push(`${path.relative(ROOT, f)}: ${i.line}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the check sees the imports it is meant to refuse', () => {
    const probe = path.join(ROOT, 'src/extension/editor/viewState.ts');
    const targets = importsOf(probe).map((i) => i.target);
    expect(targets).toContain('src/view/layout');
    expect(targets.some((t) => t.startsWith('src/webview/protocol'))).toBe(true);
  });
});
