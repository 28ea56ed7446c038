// Small `.weights.json` texts for the hover tests.
export function linearCheckpoint(opts: { name?: string; weight?: number[][]; bias?: number[]; frozen?: boolean; withModel?: boolean } = {}): string {
  const name = opts.name ?? 'fc1';
  const weight = opts.weight ?? [[0.5, -0.5], [1, -1], [0.25, 0], [2, -2]];
  const bias = opts.bias ?? [0.1, 0.2, 0.3, 0.4];
  const out = weight.length, inF = weight[0].length;
  return JSON.stringify({
    format: 'weights.json', version: 1,
    ...(opts.withModel === false ? {} : { model: { input_shape: [inF], layers: [{ type: 'Linear', name, in_features: inF, out_features: out }] } }),
    parameters: {
      [`${name}.weight`]: { shape: [out, inF], dtype: 'float32', requires_grad: !opts.frozen, data: weight },
      [`${name}.bias`]: { shape: [out], dtype: 'float32', requires_grad: true, data: bias },
    },
  });
}
