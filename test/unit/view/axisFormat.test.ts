import { describe, expect, it } from 'vitest';
import { compactCount, tickLabels } from '../../../src/view/axisFormat';

describe('histogram axis labels at every magnitude', () => {
  it('counts are compact: 0, 950, 1.2k, 35k, 1.2M, 45M, 3.4B — never a clipped "0,000"', () => {
    expect([0, 950, 1000, 1234, 35_000, 35_400, 999_999, 1_200_000, 45_000_000, 3_400_000_000].map(compactCount))
      .toEqual(['0', '950', '1k', '1.2k', '35k', '35.4k', '1M', '1.2M', '45M', '3.4B']);
    for (const n of [0, 5e5, 2.5e6, 1e7, 4.5e7]) expect(compactCount(n).length).toBeLessThanOrEqual(5);
  });

  it('tiny values get exponents with just enough digits', () => {
    expect(tickLabels([-2e-5, -1e-5, 0, 1e-5, 2e-5])).toEqual(['-2e-5', '-1e-5', '0', '1e-5', '2e-5']);
    expect(tickLabels([1.5e-5, 2e-5, 2.5e-5])).toEqual(['1.5e-5', '2e-5', '2.5e-5']);
  });

  it('large values too, and ordinary ones in fixed form', () => {
    expect(tickLabels([0, 250000, 500000])).toEqual(['0', '2.5e5', '5e5']);
    expect(tickLabels([-0.2, -0.1, 0, 0.1, 0.2])).toEqual(['-0.2', '-0.1', '0', '0.1', '0.2']);
    expect(tickLabels([0.001, 0.0015, 0.002])).toEqual(['0.001', '0.0015', '0.002']);
    expect(tickLabels([10, 20, 30])).toEqual(['10', '20', '30']);
  });
});
