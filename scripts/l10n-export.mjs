// Collects every user-facing string of the extension (`vscode.l10n.t(...)` / `l10n.t(...)` / `t(...)`),
// of the webview (`t(...)` from src/webview/l10n.ts) and of the tables translated at run time into l10n/bundle.l10n.json, the English source a
// translator copies to bundle.l10n.<locale>.json (e.g. bundle.l10n.es.json). The TypeScript
// compiler's own parser finds the calls, so strings spanning lines or quotes in any style count.
// Usage: node scripts/l10n-export.mjs [--check]   (--check: exit 1 when the committed file is stale)
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const OUT = path.join(ROOT, 'l10n/bundle.l10n.json');

function* sourceFiles(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sourceFiles(p);
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) yield p;
  }
}

/** Is this call a localisation call? `vscode.l10n.t(…)`, `l10n.t(…)`, or a bare `t(…)` (the
 *  webview's `t` from src/webview/l10n.ts, the commands' `t` from prompts.ts / an injected Translate). */
function isL10nCall(call) {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 't') return isL10nObject(callee.expression);
  return ts.isIdentifier(callee) && callee.text === 't';
}

/** `l10n` or `something.l10n`: the vscode.l10n object, or the one a pure module is handed. */
function isL10nObject(node) {
  return (ts.isIdentifier(node) && node.text === 'l10n') || (ts.isPropertyAccessExpression(node) && node.name.text === 'l10n');
}

const isText = (node) => node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node));

// Tables whose text fields are translated at run time by `l10n.t(item.field)`, so no call holds
// the literal: the exporter reads those fields' string values from the table's file.
const TRANSLATED_TABLES = [
  { file: 'src/engine/init.ts', fields: ['description'] },
  { file: 'src/engine/datasets/index.ts', fields: ['description'] },
  { file: 'src/extension/commands/presets.ts', fields: ['label', 'detail'] },
  { file: 'src/extension/walkthrough/examples.ts', fields: ['label', 'detail'] },
];

export function collectMessages() {
  const messages = new Set();
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    const text = fs.readFileSync(file, 'utf8');
    if (!/\bt\(|\bl10n\b/.test(text)) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    // File-level `const NOTE = '…'`, for `t(NOTE)`.
    const constants = new Map();
    for (const st of sf.statements) {
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && isText(d.initializer)) constants.set(d.name.text, d.initializer.text);
    }
    const visit = (node) => {
      if (ts.isCallExpression(node)) {
        const first = node.arguments[0];
        if (isL10nCall(node)) {
          if (isText(first)) messages.add(first.text);
          else if (first && ts.isIdentifier(first) && constants.has(first.text)) messages.add(constants.get(first.text));
        } else if (first && isL10nObject(first)) {
          // A helper handed the l10n object and its messages, e.g. count(l10n, n, '{0} input', '{0} inputs').
          for (const a of node.arguments.slice(1)) if (isText(a)) messages.add(a.text);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  for (const { file, fields } of TRANSLATED_TABLES) {
    const full = path.join(ROOT, file);
    const sf = ts.createSourceFile(full, fs.readFileSync(full, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && fields.includes(node.name.text) && isText(node.initializer)) messages.add(node.initializer.text);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return [...messages].sort();
}

export function bundleText(messages) {
  return JSON.stringify(Object.fromEntries(messages.map((m) => [m, m])), null, 2) + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const text = bundleText(collectMessages());
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (current !== text) { console.error('l10n/bundle.l10n.json is stale: run node scripts/l10n-export.mjs'); process.exit(1); }
  } else {
    fs.writeFileSync(OUT, text);
    console.log(`l10n/bundle.l10n.json: ${JSON.parse(text) && Object.keys(JSON.parse(text)).length} messages`);
  }
}
