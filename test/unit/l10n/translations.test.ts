// Every translation keeps up with the English sources: l10n/bundle.l10n.<lang>.json with
// l10n/bundle.l10n.json (extension + webview + CLI), package.nls.<lang>.json with package.nls.json
// (manifest). Other work adds English strings all the time; these tests name each key to translate.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { englishLeftovers, placeholders, translationProblems } from './translationCheck';

const ROOT = path.resolve(__dirname, '../../..');
const readJson = (rel: string) => JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8')) as Record<string, string>;

/** [English source, translation] pairs for every language that has a translation file. */
function pairs(): [string, string][] {
  const bundles = fs.readdirSync(path.join(ROOT, 'l10n'))
    .filter((f) => /^bundle\.l10n\.[\w-]+\.json$/.test(f))
    .map((f): [string, string] => ['l10n/bundle.l10n.json', `l10n/${f}`]);
  const nls = fs.readdirSync(ROOT)
    .filter((f) => /^package\.nls\.[\w-]+\.json$/.test(f))
    .map((f): [string, string] => ['package.nls.json', f]);
  return [...bundles, ...nls];
}

describe('translations', () => {
  it('there is a Spanish bundle and a Spanish package.nls', () => {
    expect(pairs().map(([, t]) => t)).toEqual(expect.arrayContaining(['l10n/bundle.l10n.es.json', 'package.nls.es.json']));
  });

  for (const [source, target] of pairs()) {
    it(`${target} has every key of ${source}, the same placeholders, and no stale key`, () => {
      const problems = translationProblems(readJson(source), readJson(target));
      expect(problems, `${target}: translate or fix these keys (copy them from ${source}):\n  ${problems.join('\n  ')}\n`).toEqual([]);
    });

    it(`${target} leaves no English sentence untranslated`, () => {
      const left = englishLeftovers(readJson(target));
      expect(left, `${target}: these values are still English; translate them:\n  ${left.join('\n  ')}\n`).toEqual([]);
    });
  }
});

describe('the checks themselves', () => {
  it('find placeholders of both styles', () => {
    expect(placeholders('{0} of {1} in {name}')).toEqual(['{0}', '{1}', '{name}']);
  });

  it('report a missing key, a changed or dropped placeholder and a stale key, by name', () => {
    const en = { 'Train {0} epochs': 'Train {0} epochs', 'Weights of {name}': 'Weights of {name}', Close: 'Close' };
    const es = { 'Train {0} epochs': 'Entrenar épocas', 'Weights of {name}': 'Pesos de {nombre}', Gone: 'Ido' };
    expect(translationProblems(en, es)).toEqual([
      'placeholders differ: "Train {0} epochs" has {0}, the translation has (none)',
      'placeholders differ: "Weights of {name}" has {name}, the translation has {nombre}',
      'missing: "Close"',
      'stale (no longer in the English source): "Gone"',
    ]);
  });

  it('flag English sentences but not names, code or Spanish', () => {
    expect(englishLeftovers({
      'Open the file': 'Open the file',
      'Freeze this layer': 'Congelar this layer',
      'Learning rate': 'Tasa de aprendizaje',
      'state_dict': 'state_dict',
      'PyTorch, Xavier': 'PyTorch, Xavier',
      'Linear(2,8) ReLU': 'Linear(2,8) ReLU',
      'Uses `weight_decay` and model.weights.json': 'Usa `weight_decay` y model.weights.json',
      '--mode fan_in|fan_out  the mode': '--mode fan_in|fan_out  el modo',
    })).toEqual(['"Open the file"', '"Freeze this layer"']);
  });
});
