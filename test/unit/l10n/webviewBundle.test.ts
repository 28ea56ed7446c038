// The webview reads the Spanish bundle the host embeds in its page, so the headings it builds
// at load (before any message) are Spanish too; anything unreadable falls back to English.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { readEmbeddedBundle } from '../../../src/webview/embeddedL10n';
import { setL10nBundle, t } from '../../../src/webview/l10n';

const ROOT = path.resolve(__dirname, '../../..');
const es = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.es.json'), 'utf8')) as Record<string, string>;

describe('webview translations', () => {
  it('reads the embedded bundle as the host writes it (< escaped) and translates with placeholders', () => {
    const embedded = JSON.stringify(es).replace(/</g, '\\u003c');
    setL10nBundle(readEmbeddedBundle(embedded));
    expect(t('Parameters')).toBe('Parámetros');
    expect(t('Histogram')).toBe('Histograma');
    expect(t('Heatmap of {0}, shape [{1}]', 'fc.weight', '1, 2')).toBe('Mapa de calor de fc.weight, forma [1, 2]');
    expect(t('Train {0} epochs', 20)).toBe('Entrenar 20 épocas');
  });

  it('falls back to English without a bundle or with a broken one', () => {
    for (const text of [undefined, '', 'not json', '[1]']) {
      setL10nBundle(readEmbeddedBundle(text));
      expect(t('Histogram')).toBe('Histogram');
    }
  });
});
