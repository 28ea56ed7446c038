// The CLI speaks the user's language from LANG / LC_MESSAGES / LC_ALL, from the same bundle as the
// extension; without a locale (as in the other CLI tests) it prints the English of docs/cli.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/common';
import { localeFromEnv } from '../../../src/cli/l10n';
import { MLP_JSON } from '../cli/cliRun';

async function run(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [], err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await main(argv, io, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const ES = { LANG: 'es_ES.UTF-8' };
let dir: string, file: string;
beforeAll(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ws-cli-es-')); file = path.join(dir, 'm.weights.json'); });
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

describe('the CLI in Spanish', () => {
  it('picks the language as POSIX does: LC_ALL over LC_MESSAGES over LANG; only es* is Spanish', () => {
    expect(localeFromEnv({ LANG: 'es_ES.UTF-8' })).toBe('es');
    expect(localeFromEnv({ LANG: 'es' })).toBe('es');
    expect(localeFromEnv({ LANG: 'es_MX' })).toBe('es');
    expect(localeFromEnv({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'es_AR.UTF-8' })).toBe('es');
    expect(localeFromEnv({ LANG: 'es_ES.UTF-8', LC_ALL: 'C' })).toBeUndefined();
    expect(localeFromEnv({ LANG: 'es_ES.UTF-8', LC_ALL: '' })).toBe('es');
    expect(localeFromEnv({ LANG: 'C.UTF-8' })).toBeUndefined();
    expect(localeFromEnv({ LANG: 'en_GB.UTF-8' })).toBeUndefined();
    expect(localeFromEnv({})).toBeUndefined();
  });

  it('prints the help in Spanish under LANG=es_ES.UTF-8, and in English without it', async () => {
    const es = await run(ES, '--help');
    expect(es.out).toMatch(/^uso: weightscope <orden> \[opciones\]/);
    expect(es.out).toContain('muestra la forma y las estadísticas de cada parámetro');
    const en = await run({}, '--help');
    expect(en.out).toMatch(/^usage: weightscope <command> \[options\]/);
    const freeze = await run(ES, 'freeze', '--help');
    expect(freeze.out).toContain('Congela los parámetros que selecciona PATTERN (requires_grad false).');
    const init = await run(ES, 'init', '--help');
    expect(init.out).toMatch(/Reinicializa parámetros como lo hace torch\.nn\.init\. SCHEME: default, uniform, .*xavier_uniform/);
  });

  it('prints the summaries and the unknown-command line in Spanish', async () => {
    await fs.writeFile(file, MLP_JSON);
    const froze = await run(ES, 'freeze', file, 'fc1');
    expect(froze).toMatchObject({ code: 0, err: '' });
    expect(froze.out).toMatch(/^2 parámetros congelados \(fc1\.weight, fc1\.bias\) → /);
    const again = await run(ES, 'freeze', file, 'fc1');
    expect(again.out).toBe('nada que cambiar: todos los parámetros seleccionados ya están congelados');
    const inspect = await run(ES, 'inspect', file);
    expect(inspect.out).toMatch(/parámetros: 26 en total, 8 entrenables, 18 congelados/);
    expect(inspect.out).toMatch(/fc2\.weight .* sí /);
    const decay = await run(ES, 'decay', file, '--weight-decay', '0.5');
    expect(decay.out).toMatch(/^decaimiento aplicado a 1 parámetro entrenable: × 0\.5 \(3 sin tocar: congelados o no flotantes\) → /);
    const unknown = await run(ES, 'fly');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^weightscope: orden desconocida "fly"\nuso:/);
    // Back to English for the next run without a locale: the language is chosen per run.
    expect((await run({}, 'freeze', file, 'fc1')).out).toBe('nothing to change: every selected parameter is already frozen');
  });
});
