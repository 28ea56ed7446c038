import { describe, expect, it } from 'vitest';
import { formatLayer, formatLayers, LayerStringError, parseLayerString } from '../../../src/engine/layerString';

describe('parseLayerString', () => {
  it('reads the CLI spec examples', () => {
    expect(parseLayerString('Conv2d(1,4,3,padding=1) ReLU MaxPool2d(2) Flatten Linear(36,3)')).toEqual([
      { type: 'Conv2d', in_channels: 1, out_channels: 4, kernel_size: 3, padding: 1 },
      { type: 'ReLU' },
      { type: 'MaxPool2d', kernel_size: 2 },
      { type: 'Flatten' },
      { type: 'Linear', in_features: 36, out_features: 3 },
    ]);
    expect(parseLayerString('LSTM(1,8,num_layers=2) Linear(8,1)')).toEqual([
      { type: 'LSTM', input_size: 1, hidden_size: 8, num_layers: 2 },
      { type: 'Linear', in_features: 8, out_features: 1 },
    ]);
    expect(parseLayerString('LeakyReLU(negative_slope=0.1)')).toEqual([{ type: 'LeakyReLU', negative_slope: 0.1 }]);
  });

  it('takes keywords, booleans, tuples, spaces inside calls and empty parentheses', () => {
    expect(parseLayerString('  Linear( 2 , 8, bias=False )   Tanh()  Conv2d(3, 8, (3, 5), stride=(2,1), bias=True) Dropout(0.25) Flatten(start_dim=1) MaxPool2d(2, stride=None)')).toEqual([
      { type: 'Linear', in_features: 2, out_features: 8, bias: false },
      { type: 'Tanh' },
      { type: 'Conv2d', in_channels: 3, out_channels: 8, kernel_size: [3, 5], stride: [2, 1], bias: true },
      { type: 'Dropout', p: 0.25 },
      { type: 'Flatten', start_dim: 1 },
      { type: 'MaxPool2d', kernel_size: 2 },
    ]);
    expect(parseLayerString('Linear(in_features=4, out_features=2)')).toEqual([{ type: 'Linear', in_features: 4, out_features: 2 }]);
    expect(parseLayerString('ReLU(inplace=False) LSTM(2, 3, batch_first=True)')).toEqual([
      { type: 'ReLU' }, { type: 'LSTM', input_size: 2, hidden_size: 3 },
    ]);
  });

  const column = (s: string): { column: number; message: string } => {
    try { parseLayerString(s); } catch (e) {
      expect(e).toBeInstanceOf(LayerStringError);
      return { column: (e as LayerStringError).column, message: (e as Error).message };
    }
    throw new Error('expected a LayerStringError');
  };

  it.each([
    ['Linear(2,8) Linaer(8,1)', 13, /unknown layer type "Linaer"/],
    ['Linear(2,8) relu', 13, /did you mean ReLU/],
    ['nn.Linear(2,8)', 1, /unknown layer type "nn\.Linear" \(did you mean Linear\?\)/],
    ['Linear(2)', 1, /Linear needs out_features/],
    ['Linear(2,8,bias=Maybe)', 17, /expected a number, True, False/],
    ['Linear(2,8', 11, /expected "," or "\)"/],
    ['Linear(2,8)ReLU', 12, /expected a space between layers/],
    ['Linear(2,0)', 10, /out_features expects a whole number ≥ 1, got 0/],
    ['Linear(2.5,8)', 8, /in_features expects a whole number/],
    ['Linear(bias=False, 2, 8)', 20, /positional argument cannot follow a keyword/],
    ['Linear(2,8,True,4)', 17, /at most 3 positional/],
    ['Linear(2,8,dropout=0.1)', 12, /Linear has no argument "dropout"/],
    ['Linear(2,8,in_features=3)', 12, /got in_features twice/],
    ['LSTM(1,8,batch_first=False)', 10, /batch_first=False is not supported/],
    ['Conv2d(1,4,3,groups=2)', 14, /groups=2 is not supported/],
    ['Dropout(1.5)', 9, /p expects a number from 0 to 1/],
    ['', 1, /no layers given/],
    ["Linear(2,'8')", 10, /out_features expects a whole number ≥ 1, got '8'/],
    ['GELU(approximate=\'tanh\')', 6, /GELU has no argument "approximate"/],
  ])('refuses %j at column %d', (s, col, msg) => {
    const { column: c, message } = column(s);
    expect(message).toMatch(msg);
    expect(c).toBe(col);
  });
});

describe('formatLayer', () => {
  it('writes the display form', () => {
    expect(formatLayer({ type: 'Linear', in_features: 2, out_features: 8 })).toBe('Linear(2, 8)');
    expect(formatLayer({ type: 'Linear', in_features: 2, out_features: 8, bias: false })).toBe('Linear(2, 8, bias=False)');
    expect(formatLayer({ type: 'Conv2d', in_channels: 1, out_channels: 4, kernel_size: 3, padding: 1, stride: 1 })).toBe('Conv2d(1, 4, 3, padding=1)');
    expect(formatLayer({ type: 'MaxPool2d', kernel_size: 2, stride: 1 })).toBe('MaxPool2d(2, stride=1)');
    expect(formatLayer({ type: 'ReLU', name: 'act' })).toBe('ReLU');
    expect(formatLayer({ type: 'LeakyReLU', negative_slope: 0.2 })).toBe('LeakyReLU(negative_slope=0.2)');
    expect(formatLayer({ type: 'Dropout' })).toBe('Dropout');
  });
  it('round-trips through parseLayerString', () => {
    const s = 'Conv2d(1, 4, (3, 5), stride=2, padding=(1, 2), bias=False) ReLU MaxPool2d(2) Flatten LSTM(6, 8, num_layers=2) Dropout(p=0.1) LeakyReLU(negative_slope=0.3) Linear(8, 1)';
    expect(formatLayers(parseLayerString(s))).toBe(s);
    expect(parseLayerString(formatLayers(parseLayerString(s)))).toEqual(parseLayerString(s));
  });
});
