// Collects every user-facing string of the extension (`vscode.l10n.t(...)` / `l10n.t(...)`) and of
// the webview (`t(...)` from src/webview/l10n.ts) into l10n/bundle.l10n.json, the English source a
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

/** Is this call a localisation call? `vscode.l10n.t(…)`, `l10n.t(…)`, or the webview's bare `t(…)`. */
function isL10nCall(call, inWebview) {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 't') {
    const owner = callee.expression;
    return (ts.isIdentifier(owner) && owner.text === 'l10n')
      || (ts.isPropertyAccessExpression(owner) && owner.name.text === 'l10n');
  }
  return inWebview && ts.isIdentifier(callee) && callee.text === 't';
}

export function collectMessages() {
  const messages = new Set();
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    // src/view/ is the pure picture code the webview shares with the host: its t() is the webview's.
    const inWebview = file.includes(`${path.sep}webview${path.sep}`) || file.includes(`${path.sep}src${path.sep}view${path.sep}`);
    const text = fs.readFileSync(file, 'utf8');
    if (!/\bt\(/.test(text)) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (ts.isCallExpression(node) && isL10nCall(node, inWebview)) {
        const first = node.arguments[0];
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) messages.add(first.text);
      }
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
