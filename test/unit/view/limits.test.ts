// What travels to the webview for a click (a picture fitted to the plot) and for a zoom past it
// (the finest the limits allow): webview messages are slow in code-server, so bytes decide speed.
import { describe, expect, it } from 'vitest';
import { MAX_SENT_ELEMENTS, MAX_SENT_SIDE, SMALL_SENT_ELEMENTS, sendPlan } from '../../../src/view/limits';

const fit = { rows: 460, cols: 900 };

describe('sendPlan', () => {
  it('a small tensor is sent whole, fitted or not', () => {
    expect(sendPlan({ rows: 512, cols: 512 }, SMALL_SENT_ELEMENTS, fit)).toEqual({ whole: true });
    expect(sendPlan({ rows: 64, cols: 64 }, 4096)).toEqual({ whole: true });
  });

  it('a first picture of a big tensor is reduced to the plot, clamped to [64, 1024] a side', () => {
    // GPT-2's h.0.mlp.c_proj.weight [3072, 768], folded: 1024 × 2306 cells.
    expect(sendPlan({ rows: 1024, cols: 2306 }, 3072 * 768, fit)).toEqual({ whole: false, maxRows: 460, maxCols: 900, fitted: true });
    expect(sendPlan({ rows: 1024, cols: 2306 }, 3072 * 768, { rows: 10, cols: 5000 })).toEqual({ whole: false, maxRows: 64, maxCols: MAX_SENT_SIDE, fitted: true });
  });

  it('nothing to reduce when the layout fits the plot: sent whole', () => {
    expect(sendPlan({ rows: 400, cols: 800 }, 320_000, fit)).toEqual({ whole: true });
  });

  it('detail (a zoom past the first picture), or no fit: whole up to MAX_SENT_ELEMENTS, else a 1024 grid', () => {
    expect(sendPlan({ rows: 1024, cols: 2306 }, 3072 * 768, fit, true)).toEqual({ whole: true });
    expect(sendPlan({ rows: 4569, cols: 8608 }, 50257 * 768, fit, true)).toEqual({ whole: false, maxRows: MAX_SENT_SIDE, maxCols: MAX_SENT_SIDE, fitted: false });
    expect(sendPlan({ rows: 4569, cols: 8608 }, 50257 * 768)).toEqual({ whole: false, maxRows: MAX_SENT_SIDE, maxCols: MAX_SENT_SIDE, fitted: false });
    expect(sendPlan({ rows: 2048, cols: 2048 }, MAX_SENT_ELEMENTS)).toEqual({ whole: true });
  });
});
