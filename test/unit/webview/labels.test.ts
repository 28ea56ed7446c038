import { describe, expect, it } from 'vitest';
import { fitLabel, labelMargins } from '../../../src/webview/heatmap/labels';
import { layoutFor } from '../../../src/view/layout';

describe('heatmap labels', () => {
  it('a block label too long for its block drops its words, then keeps its first number', () => {
    expect(fitLabel('rows 4569–9137', 200)).toBe('rows 4569–9137');
    expect(fitLabel('rows 4569–9137', 70)).toBe('4569–9137');
    expect(fitLabel('rows 4569–9137', 40)).toBe('4569');
    expect(fitLabel('rows 4569–9137', 10)).toBeUndefined();
    expect(fitLabel('in 2', 12)).toBe('2');
  });

  it('the left margin fits the longest row label; nested pictures get a line per column ruler', () => {
    const conv = labelMargins(layoutFor([64, 3, 7, 7], { local: 'weight' }));
    expect(conv.left).toBeGreaterThanOrEqual(12 + 'out 56–62'.length * 6);
    const plain = labelMargins(layoutFor([16, 2], { layerType: 'Linear', local: 'weight' }));
    expect(plain.left).toBe(40);
    expect(plain.top).toBe(20);
    const facets = labelMargins(layoutFor([2, 3, 8, 16], { local: 'x' }));
    expect(facets.top).toBe(20 + 2 * 15);
  });
});
