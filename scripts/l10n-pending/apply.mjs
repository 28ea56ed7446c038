// Merge-time help, to delete once applied: Spanish for the strings that main gained (the compare
// views and commands) while the i18n branch was made. After merging main and i18n, run
// `node scripts/l10n-pending/apply.mjs`: it adds each translation whose key the English sources
// now have, then `npx vitest run test/unit/l10n` lists whatever is still missing.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const pending = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts/l10n-pending/es-from-main.json'), 'utf8'));
for (const [target, source] of [['l10n/bundle.l10n.es.json', 'l10n/bundle.l10n.json'], ['package.nls.es.json', 'package.nls.json']]) {
  const english = JSON.parse(fs.readFileSync(path.join(ROOT, source), 'utf8'));
  const spanish = JSON.parse(fs.readFileSync(path.join(ROOT, target), 'utf8'));
  let added = 0;
  for (const [key, text] of Object.entries(pending[target])) if (key in english && !(key in spanish)) { spanish[key] = text; added++; }
  // In the English source's order, so the two files diff line by line.
  const ordered = Object.fromEntries(Object.keys(english).filter((k) => k in spanish).map((k) => [k, spanish[k]]));
  for (const k of Object.keys(spanish)) if (!(k in ordered)) ordered[k] = spanish[k]; // stale ones: the test names them
  fs.writeFileSync(path.join(ROOT, target), JSON.stringify(ordered, null, 2) + '\n');
  console.log(`${target}: ${added} translations added`);
}
