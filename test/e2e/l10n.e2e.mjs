// Weightscope in the display language of VS Code (issue 16), in a real VS Code whose display
// language is Spanish (the harness's `locale: 'es'`: see writeLanguagePacks in test/harness/lib.mjs):
// the palette's command titles, the editor's headings, explanation, statistics and summary labels,
// the "Get Started" walkthrough (its title, a step's page, buttons that tick their steps off, and a
// step ticked off by its command run from the palette) and the notifications; the first scenario also runs in English. A hover in Python in Spanish.
// Screenshots: test-results/screens/l10n-*.png; UPDATE_SCREENSHOTS=1 copies README.es.md's pictures
// to media/screenshots/es/.
// Shape of a scenario file: see test/README.md.
import fs from 'node:fs';
import path from 'node:path';
import { locateToken } from '../harness/lib.mjs';

const TEXTS = {
  es: {
    paletteFilter: 'Weightscope: Congelar', freeze: 'Weightscope: Congelar parámetros…', english: 'Freeze Parameters…',
    openExample: 'Weightscope: Abrir ejemplo…',
    parameters: 'Parámetros', histogram: 'Histograma', statistics: 'Estadísticas',
    explanation: 'Los pesos de una capa totalmente conectada con 2 entradas y 16 salidas.',
    stats: ['media', 'desv. típ.', 'Norma L2', 'ceros'],
    summary: ['parámetros', 'entrenable', 'congelado', 'en memoria'],
    walkthrough: 'Primeros pasos con Weightscope',
    step: '9 · Regularización: weight_decay', button: 'Aplicar decaimiento de pesos',
    freezeStep: '6 · Congelar y descongelar',
    notification: 'Decaimiento de pesos λ=0.1, lr=1: norma L2 de los parámetros entrenables',
  },
  en: {
    paletteFilter: 'Weightscope: Freeze', freeze: 'Weightscope: Freeze Parameters…', english: undefined,
    openExample: 'Weightscope: Open Example…',
    parameters: 'Parameters', histogram: 'Histogram', statistics: 'Statistics',
    explanation: 'The weights of a fully connected layer with 2 inputs and 16 outputs.',
    stats: ['mean', 'std', 'L2 norm', 'zeros'],
    summary: ['parameters', 'trainable', 'frozen', 'in memory'],
    walkthrough: 'Get Started with Weightscope',
    step: '9 · Regularisation: weight_decay', button: 'Apply weight decay',
    freezeStep: '6 · Freezing and unfreezing',
    notification: 'Weight decay λ=0.1, lr=1: L2 norm of the trainable parameters',
  },
};

/** The palette's rows for `filter` (their own labels), once one is `expect`; the palette stays open. */
async function paletteLabels(ctx, filter, expect) {
  const { page } = ctx;
  return ctx.waitUntil(async () => {
    if (await page.locator('.quick-input-widget').isVisible()) await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').first().waitFor({ state: 'visible', timeout: 5000 });
    await page.keyboard.type(filter);
    await page.locator(`.quick-input-list .monaco-list-row[aria-label="${expect}"]`).first().waitFor({ state: 'visible', timeout: 4000 });
    return page.locator('.quick-input-list .monaco-list-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')));
  }, `the palette row "${expect}"`, 60000);
}

/** Open the walkthrough from the palette (VS Code's own "Welcome: Open Walkthrough…"). */
async function openWalkthrough(ctx, title) {
  await ctx.runCommand('Welcome: Open Walkthrough...');
  // Enter, not a click: the pick's row carries a hover ("Weightscope") that can sit under the mouse.
  const input = ctx.page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: 20000 });
  await ctx.page.keyboard.type('Weightscope');
  await ctx.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first().waitFor({ state: 'visible', timeout: 20000 });
  await ctx.page.keyboard.press('Enter');
  await ctx.page.locator('.gettingStartedContainer', { hasText: title }).first().waitFor({ state: 'visible', timeout: 30000 });
}

function scenario(locale) {
  const T = TEXTS[locale];
  return {
    name: `the palette, the editor, the walkthrough and a notification in ${locale === 'es' ? 'Spanish' : 'English'}`,
    locale: locale === 'es' ? 'es' : undefined,
    timeout: 300000,
    async run(ctx) {
      const { page } = ctx;
      // The palette: command titles from package.nls.<lang>.json. A row's own label (its aria-label)
      // is the translation; VS Code adds the English original below it, for searching in English.
      const labels = await paletteLabels(ctx, T.paletteFilter, T.freeze);
      if (!labels.includes(T.freeze)) throw new Error(`palette rows for "${T.paletteFilter}": ${JSON.stringify(labels)}`);
      if (T.english && labels.some((r) => r.includes(T.english))) throw new Error(`an English title is left: ${JSON.stringify(labels)}`);
      await ctx.shot('palette');
      await page.keyboard.press('Escape');
      const all = await paletteLabels(ctx, 'Weightscope:', T.openExample);
      await page.keyboard.press('Escape');
      if (!all.includes(T.openExample)) throw new Error(`no "${T.openExample}" in ${JSON.stringify(all)}`);
      if (all.some((r) => /Walkthrough|Recorrido/.test(r))) throw new Error(`the walkthrough's own commands show in the palette: ${JSON.stringify(all)}`);

      // The editor: headings built at load, the explanation, the statistics and summary labels.
      const frame = await ctx.openInWeightscope('mlp-spiral.weights.json');
      await frame.locator('.param-row[data-param="fc1.weight"]').waitFor({ state: 'visible', timeout: 60000 });
      await frame.locator('.param-row[data-param="fc1.weight"]').click();
      await ctx.waitUntil(async () => (await frame.locator('#explanation').innerText()).includes(T.explanation), `the explanation "${T.explanation}"`);
      const sidebar = await frame.locator('nav.sidebar h2').textContent();
      if (sidebar !== T.parameters) throw new Error(`sidebar heading "${sidebar}", expected "${T.parameters}"`);
      const ariaLabels = await frame.locator("[aria-label]").evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      for (const want of [T.histogram, T.statistics]) if (!ariaLabels.includes(want)) throw new Error(`no element labelled "${want}": ${JSON.stringify(ariaLabels)}`);
      const stats = await frame.locator('.stats-panel').textContent();
      for (const want of T.stats) if (!stats.includes(want)) throw new Error(`statistics "${stats}" lack "${want}"`);
      const summary = await frame.locator('.summary-slot').textContent();
      for (const want of T.summary) if (!summary.includes(want)) throw new Error(`summary "${summary}" lacks "${want}"`);
      await ctx.shot('editor');

      // The walkthrough: its title, a step's page, its button, the notification, the tick.
      await openWalkthrough(ctx, T.walkthrough);
      const step = page.locator('.getting-started-step', { hasText: T.step }).first();
      await step.click();
      const button = step.locator('.button-link, a, button', { hasText: T.button }).first();
      await button.waitFor({ state: 'visible', timeout: 20000 });
      await ctx.shot('walkthrough');
      await button.click();
      const note = await ctx.findNotification(T.notification, 60000);
      if (!note.text.includes('→')) throw new Error(`notification "${note.text}" gives no before → after`);
      // The button brought the editor to the front; back on the walkthrough, the step is ticked off.
      await page.locator('.tabs-container .tab', { hasText: 'Welcome' }).first().click();
      await ctx.waitUntil(async () => {
        const html = await step.evaluate((e) => e.outerHTML);
        return /codicon-pass-filled|\bcomplete\b/.test(html) ? html : false;
      }, 'the step ticked off', 30000).catch(async (e) => {
        console.log(await step.evaluate((el) => el.outerHTML).catch(() => 'no step'));
        throw e;
      });
      await ctx.shot('walkthrough-done');

      // A step also ticks itself off when its command runs from the palette: freeze fc1 there.
      const freezeStep = page.locator('.getting-started-step', { hasText: T.freezeStep }).first();
      if (/codicon-pass-filled|\bcomplete\b/.test(await freezeStep.evaluate((e) => e.outerHTML))) throw new Error('the freezing step is ticked off before freezing');
      await page.locator('.tabs-container .tab', { hasText: 'mlp-spiral.weights.json' }).first().click();
      await ctx.runCommand(T.freeze);
      await ctx.answerQuickPick(['fc1']);
      await ctx.waitUntil(async () => (await visibleWebview(page).locator('[data-total="frozen"] .card-value').textContent().catch(() => '')).replace(/\D/g, '') === '48', 'fc1 frozen (48 parameters)');
      await page.locator('.tabs-container .tab', { hasText: 'Welcome' }).first().click();
      await ctx.waitUntil(async () => /codicon-pass-filled|\bcomplete\b/.test(await freezeStep.evaluate((e) => e.outerHTML)), 'the freezing step ticked off', 30000);
    },
  };
}

/** Copy a screenshot to media/screenshots/es/ for README.es.md, only when asked (UPDATE_SCREENSHOTS=1). */
function readmeShot(file, target) {
  if (!process.env.UPDATE_SCREENSHOTS) return;
  const dest = path.join(process.cwd(), 'media', 'screenshots', 'es', target);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(file, dest);
}

/** The active editor's webview document: the visible one (the walkthrough's pages and the other
 *  editors' webviews stay in the page, hidden). */
function visibleWebview(page) {
  return page.locator('iframe.webview.ready').filter({ visible: true }).first().contentFrame().locator('iframe#active-frame').contentFrame();
}

/** Click the walkthrough step titled `title`, then its button `label`; resolves to the step. */
async function runStep(ctx, title, label) {
  const { page } = ctx;
  const tab = page.locator('.tabs-container .tab', { hasText: 'Welcome' }).first();
  // Only when it is not in front: clicking the walkthrough's tab while it is active left its steps
  // disabled (VS Code 1.139).
  if (!/\bactive\b/.test(await tab.getAttribute('class'))) await tab.click();
  const step = page.locator('.getting-started-step', { hasText: title }).first();
  await step.click();
  const button = step.locator('.button-link, a, button', { hasText: label }).first();
  await button.waitFor({ state: 'visible', timeout: 20000 });
  await button.click();
  return step;
}

/** The perceptron from the walkthrough, in Spanish: open it, train it 20 epochs, reinitialise a layer
 *  with Xavier; each button ticks its step off. Also the README.es.md pictures. */
const perceptronInSpanish = {
  name: 'the walkthrough opens the perceptron, trains it 20 epochs and reinitialises with Xavier, in Spanish',
  locale: 'es',
  timeout: 300000,
  settings: { 'workbench.colorTheme': 'Default Dark Modern', 'files.autoSave': 'off' },
  async run(ctx) {
    const { page } = ctx;
    await openWalkthrough(ctx, TEXTS.es.walkthrough);
    await page.locator('.getting-started-step', { hasText: '4 · La actualización' }).first().click();
    // The step's page: media/walkthrough/es/04-update.md, chosen by package.nls.es.json.
    const media = page.locator('.getting-started-media iframe.webview.ready').filter({ visible: true }).first()
      .contentFrame().locator('iframe#active-frame').contentFrame();
    await ctx.waitUntil(async () => (await media.locator('h1').first().textContent()) === 'La actualización: descenso de gradiente', 'the Spanish page of step 4', 30000);
    readmeShot(await ctx.shot('walkthrough-step4'), 'walkthrough.png');

    // Step 1: the perceptron's two weights, fc.weight selected.
    await runStep(ctx, '1 · Pesos', 'Abrir el perceptrón');
    await ctx.waitForActiveTab('perceptron.weights.json');
    const frame = visibleWebview(page);
    await ctx.waitUntil(async () => (await frame.locator('body').getAttribute('data-heatmap-param')) === 'fc.weight', 'the heatmap of fc.weight', 60000);
    const explanation = await frame.locator('#explanation').textContent();
    if (!explanation.includes('Los pesos de una capa totalmente conectada con 2 entradas y 1 salidas')) throw new Error(`explanation: ${explanation}`);

    // Step 4: 20 epochs of SGD, the live loss curve, a Spanish notification at the end.
    await runStep(ctx, '4 · La actualización', 'Entrenar el perceptrón 20 épocas');
    await ctx.waitForActiveTab('perceptron.weights.json');
    const done = await ctx.findNotification('20 épocas entrenadas en', 120000);
    if (!/pérdida \d/.test(done.text)) throw new Error(`notification: ${done.text}`);
    const panel = visibleWebview(page).locator('#training-live');
    await panel.waitFor({ state: 'visible', timeout: 30000 });
    const panelText = await panel.textContent();
    if (!/[ée]poca/.test(panelText) || !/pérdida/i.test(panelText)) throw new Error(`training panel: ${panelText}`);
    // The progress notification closes when the run ends (its last line said epoch 1/20 or so).
    await page.locator('.notifications-toasts .notification-list-item', { hasText: 'Entrenando perceptron.weights.json' })
      .first().waitFor({ state: 'hidden', timeout: 30000 });
    readmeShot(await ctx.shot('trained'), 'training.png');
    const history = JSON.parse(ctx.readFileFromDisk('perceptron.weights.json')).training.history;
    // Unsaved: the file on disk is as shipped until the learner saves.
    if (history.length !== 0) throw new Error(`the file on disk already has ${history.length} epochs`);

    // Step 3: Xavier on fc2 of the spiral MLP, the histogram before and after.
    await runStep(ctx, '3 · Inicialización', 'Reinicializar fc2 con Xavier');
    await ctx.waitForActiveTab('mlp-spiral.weights.json');
    const reinit = await ctx.findNotification('con xavier_uniform', 60000);
    const overlay = visibleWebview(page).locator('#reinit-overlay');
    await overlay.waitFor({ state: 'visible', timeout: 30000 });
    if ((await overlay.getAttribute('aria-label')) !== 'Distribución antes y después') throw new Error('the overlay is not labelled in Spanish');
    readmeShot(await ctx.shot('xavier'), 'xavier.png');
    if (!reinit.text.includes('Reinicialización de fc2.weight, fc2.bias')) throw new Error(`notification: ${reinit.text}`);

    // Back on the walkthrough: the three steps are ticked off.
    await page.locator('.tabs-container .tab', { hasText: 'Welcome' }).first().click();
    for (const title of ['1 · Pesos', '3 · Inicialización', '4 · La actualización']) {
      const step = page.locator('.getting-started-step', { hasText: title }).first();
      await ctx.waitUntil(async () => /codicon-pass-filled|\bcomplete\b/.test(await step.evaluate((e) => e.outerHTML)), `step "${title}" ticked off`, 30000);
    }
  },
};

/** A hover in Python, in Spanish: the shape's meaning, counts, statistics and link (test/e2e/hover.e2e.mjs has the English). */
const hoverInSpanish = {
  name: 'hovering fc1.weight in Python explains it in Spanish',
  locale: 'es',
  async run(ctx) {
    const { page } = ctx;
    await ctx.quickOpen('hover/train.py');
    const deadline = Date.now() + 60000;
    let text = '';
    while (Date.now() < deadline) {
      const token = await locateToken(page, 'weight', 'print(model.fc1.weight.shape)');
      if (token) {
        await page.mouse.move(token.before.x, token.before.y);
        await page.mouse.move(token.x, token.y, { steps: 5 });
        const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents', { hasText: 'fc1.weight' }).first();
        text = await hover.waitFor({ state: 'visible', timeout: 6000 }).then(() => hover.innerText(), () => '');
        if (text) break;
        await page.mouse.move(5, 5);
      }
      await ctx.sleep(300);
    }
    for (const want of ['8 salidas × 2 entradas', '16 valores', 'entrenable', 'media 0', 'desv. típ. 0.5762', 'mín. -0.9375', 'Abrir en Weightscope', 'totalmente conectada']) {
      if (!text.includes(want)) throw new Error(`the hover lacks "${want}"; it reads ${JSON.stringify(text)}`);
    }
    readmeShot(await ctx.shot('hover'), 'hover.png');
  },
};

export const scenarios = [scenario('es'), scenario('en'), perceptronInSpanish, hoverInSpanish];
