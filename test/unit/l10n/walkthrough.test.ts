// The walkthrough in package.json: one step per section of the learner's glossary, each with a
// title, a description ending in a button (a command link), a markdown page in English and in
// Spanish, and a completion event that its own button fires.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { pytorchScript } from '../../../src/extension/walkthrough/pytorchScript';

const ROOT = path.resolve(__dirname, '../../..');
const readJson = (rel: string) => JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8'));
const pj = readJson('package.json');
const nls: Record<string, string> = readJson('package.nls.json');
const nlsEs: Record<string, string> = readJson('package.nls.es.json');
const key = (placeholder: string) => /^%(.+)%$/.exec(placeholder)![1];

interface Step { id: string; title: string; description: string; media: { markdown: string }; completionEvents: string[] }

describe('the walkthrough', () => {
  const [walkthrough] = pj.contributes.walkthroughs as { id: string; title: string; steps: Step[] }[];

  it('has the glossary\'s ten sections in order', () => {
    expect(walkthrough.steps.map((s) => s.id)).toEqual(['perceptron', 'pytorch', 'init', 'update', 'bias', 'freeze', 'inspect', 'shapes', 'decay', 'save']);
    expect(nlsEs[key(walkthrough.title)]).toBe('Primeros pasos con Weightscope');
  });

  it('each step has a button whose command is declared, hidden from the palette, and ticks the step off', () => {
    const declared = new Set((pj.contributes.commands as { command: string }[]).map((c) => c.command));
    const hidden = new Set((pj.contributes.menus.commandPalette as { command: string; when: string }[]).filter((m) => m.when === 'false').map((m) => m.command));
    const registered = fs.readFileSync(path.join(ROOT, 'src/extension/walkthrough/register.ts'), 'utf8');
    for (const step of walkthrough.steps) {
      for (const texts of [nls, nlsEs]) {
        const description = texts[key(step.description)];
        const button = /\n\[[^\]]+\]\(command:([\w.]+)\)$/.exec(description);
        expect(button, `${step.id}: the description ends with a button line`).not.toBeNull();
        const command = button![1];
        expect(declared.has(command), command).toBe(true);
        expect(hidden.has(command), command).toBe(true);
        expect(registered).toContain(`register('${command}'`);
        expect(step.completionEvents).toContain(`onCommand:${command}`);
      }
    }
  });

  it('each step\'s page exists in English and Spanish, and the Spanish one is selected by package.nls.es.json', () => {
    for (const step of walkthrough.steps) {
      const en = nls[key(step.media.markdown)];
      const es = nlsEs[key(step.media.markdown)];
      expect(en).toMatch(/^media\/walkthrough\/en\/\d\d-[\w-]+\.md$/);
      expect(es).toBe(en.replace('/en/', '/es/'));
      for (const page of [en, es]) expect(fs.readFileSync(path.join(ROOT, page), 'utf8')).toMatch(/^# /);
    }
  });
});

describe('the "save for PyTorch" script', () => {
  it('loads the checkpoint with weightscope.py into a model named like the file, and saves a state_dict', () => {
    const text = pytorchScript((m, ...a) => m.replace(/\{(\d+)\}/g, (_w, i: string) => String(a[Number(i)])), 'perceptron.weights.json', 'pesos.pth');
    expect(text).toContain('modelo = nn.Sequential(OrderedDict(fc=nn.Linear(2, 1)))');
    expect(text).toContain('weightscope.load_into(modelo, "perceptron.weights.json")');
    expect(text).toContain('torch.save(modelo.state_dict(), "pesos.pth")');
    expect(text).toContain('modelo.load_state_dict(torch.load("pesos.pth"))');
    expect(text.split('\n').filter((l) => l.startsWith('#'))).toHaveLength(6);
  });
});
