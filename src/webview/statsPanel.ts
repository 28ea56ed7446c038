// The statistics of the selected parameter: mean, std, min, max, L2 norm, share of zeros, and
// non-finite values, shown loudly because they break training.
import { h } from './dom';
import { t } from './l10n';
import type { StatsView } from './protocol';
import { formatNumber } from '../view/colormap';

const num = (v: number | null): string => (v === null ? '—' : formatNumber(v));

export function statsPanel(s: StatsView): HTMLElement {
  const row = (label: string, value: string, key: string, title?: string) =>
    h('div', { class: 'stat', 'data-stat': key, title }, h('dt', {}, label), h('dd', {}, value));
  const zeroShare = s.numel > 0 ? (100 * s.zeros) / s.numel : 0;
  const list = h('dl', { class: 'stats', id: 'stats' },
    row(t('mean'), num(s.mean), 'mean'),
    row(t('std'), num(s.std), 'std', t('Population standard deviation of the finite values')),
    row(t('min'), num(s.min), 'min'),
    row(t('max'), num(s.max), 'max'),
    row(t('L2 norm'), num(s.l2), 'l2', t('Square root of the sum of squares: what weight decay shrinks')),
    row(t('zeros'), `${zeroShare.toFixed(zeroShare > 0 && zeroShare < 1 ? 2 : 1)} %`, 'zeros', t('{0} of {1} elements are exactly zero', s.zeros, s.numel)));
  const parts: HTMLElement[] = [list];
  if (s.nonfinite > 0) {
    parts.unshift(h('div', { class: 'nonfinite-alert', role: 'alert', id: 'nonfinite-alert' },
      h('strong', {}, t('{0} non-finite values', s.nonfinite)),
      ` (NaN ${s.nan}, +Infinity ${s.posinf}, −Infinity ${s.neginf}). `,
      t('Training with these will spread NaN through the whole network; re-initialise this parameter or find the exploding gradient.')));
  }
  return h('section', { class: 'stats-panel', 'aria-label': t('Statistics') }, ...parts);
}
