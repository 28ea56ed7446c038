// Localisation stays complete as the product grows: the English source bundle a translator
// starts from lists every wrapped string, and every manifest placeholder has its text.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
// @ts-expect-error: a plain .mjs script without types
import { bundleText, collectMessages } from '../../../scripts/l10n-export.mjs';

const ROOT = path.resolve(__dirname, '../../..');

describe('localisation', () => {
  it('l10n/bundle.l10n.json lists every vscode.l10n.t / webview t() message (run node scripts/l10n-export.mjs)', () => {
    const committed = fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.json'), 'utf8');
    const messages: string[] = collectMessages();
    expect(messages.length).toBeGreaterThan(100);
    expect(messages).toContain('Decision boundary over the data points');
    expect(committed).toBe(bundleText(messages));
  });

  it('every %placeholder% of package.json has a text in package.nls.json, and none is unused', () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const used = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
    expect([...used].filter((k) => !(k in nls))).toEqual([]);
    expect(Object.keys(nls).filter((k) => !used.has(k))).toEqual([]);
  });

  it('the manifest has no bare English titles or descriptions for commands and settings', () => {
    const pj = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    for (const c of pj.contributes.commands) expect(c.title, c.command).toMatch(/^%.+%$/);
    for (const [key, p] of Object.entries<Record<string, unknown>>(pj.contributes.configuration.properties)) {
      const text = (p.markdownDescription ?? p.description) as string;
      expect(text, key).toMatch(/^%.+%$/);
    }
  });
});
