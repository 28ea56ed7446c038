import { describe, expect, it } from 'vitest';
import { recognizeConstructor } from '../../../src/extension/hover/constructors';

const on = (line: string, word = 'nn.') => recognizeConstructor(line, line.indexOf(word) + 1);

describe('recognizeConstructor', () => {
  it('nn.Linear with positional arguments', () => {
    const line = '        self.fc1 = nn.Linear(2, 8)';
    const r = on(line, 'Linear')!;
    expect(r.layer).toEqual({ type: 'Linear', in_features: 2, out_features: 8, bias: true });
    expect(line.slice(r.start, r.end)).toBe('nn.Linear(2, 8)');
  });
  it('torch.nn.Linear with keywords, bias=False', () => {
    expect(on('torch.nn.Linear(in_features=4, out_features=3, bias=False)', 'Linear')?.layer)
      .toEqual({ type: 'Linear', in_features: 4, out_features: 3, bias: false });
    expect(on('fc = torch.nn.Linear(4, 3)', 'torch')?.layer).toMatchObject({ in_features: 4, out_features: 3 });
  });
  it('nn.Conv2d(3, 32, 3) and a rectangular kernel', () => {
    expect(on('c = nn.Conv2d(3, 32, 3)')?.layer).toEqual({ type: 'Conv2d', in_channels: 3, out_channels: 32, kernel_size: 3, bias: true });
    expect(on('nn.Conv2d(3, 32, kernel_size=(3, 5), bias=False)')?.layer)
      .toEqual({ type: 'Conv2d', in_channels: 3, out_channels: 32, kernel_size: [3, 5], bias: false });
  });
  it('shape-neutral arguments are accepted whatever they hold', () => {
    expect(on('nn.Conv2d(1, 4, 3, stride=2, padding="same", device=dev)')?.layer).toMatchObject({ in_channels: 1, out_channels: 4 });
    expect(on('nn.LSTM(10, 20, batch_first=True, dropout=0.1)')?.layer).toMatchObject({ input_size: 10, hidden_size: 20 });
  });
  it('nn.LSTM(10, 20, num_layers=2)', () => {
    expect(on('self.lstm = nn.LSTM(10, 20, num_layers=2)')?.layer)
      .toEqual({ type: 'LSTM', input_size: 10, hidden_size: 20, num_layers: 2, bias: true });
    expect(on('nn.LSTM(10, 20, 3, False)')?.layer).toEqual({ type: 'LSTM', input_size: 10, hidden_size: 20, num_layers: 3, bias: false });
  });
  it('hovering inside the parentheses counts; outside does not', () => {
    const line = 'x = nn.Linear(2, 8) + y';
    expect(recognizeConstructor(line, line.indexOf('8'))?.layer).toMatchObject({ out_features: 8 });
    expect(recognizeConstructor(line, line.indexOf('y'))).toBeNull();
    expect(recognizeConstructor(line, 0)).toBeNull();
  });
  it('the constructor under the cursor, among several on a line', () => {
    const line = 'nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))';
    expect(recognizeConstructor(line, line.lastIndexOf('Linear'))?.layer).toMatchObject({ in_features: 8, out_features: 1 });
    expect(recognizeConstructor(line, line.indexOf('Linear'))?.layer).toMatchObject({ in_features: 2, out_features: 8 });
    expect(recognizeConstructor(line, line.indexOf('ReLU'))).toBeNull();
    expect(recognizeConstructor(line, 3)).toBeNull(); // on Sequential
  });
  it('non-literal or shape-changing arguments: no claim', () => {
    for (const line of [
      'nn.Linear(hidden, 8)', 'nn.Linear(2)', 'nn.Linear(2, 8, 9, 1, 2, 3)', 'nn.Linear(2, 8, bias=b)',
      'nn.Linear(2, 8, foo=1)', 'nn.Linear(in_features=2, 8)', 'nn.Linear(2.5, 8)', 'nn.Linear(0, 8)',
      'nn.Conv2d(3, 32, 3, groups=3)', 'nn.Conv2d(3, 32, k)', 'nn.Conv2d(3, 32, (3, 3, 3))',
      'nn.LSTM(10, 20, bidirectional=True)', 'nn.LSTM(10, 20, proj_size=5)', 'nn.LSTM(10, 20, num_layers=n)',
      'nn.Linear(2,', 'nn.Linear(2, 8', 'nn.Dropout(0.5)', 'Linear(2, 8)', 'mynn.Linear(2, 8)',
    ]) {
      expect(on(line, line.includes('nn.') ? 'nn.' : 'Linear'), line).toBeNull();
    }
  });
  it('a string argument with brackets does not confuse the parser', () => {
    expect(on('nn.Conv2d(1, 2, 3, padding_mode="zeros)")')?.layer).toMatchObject({ out_channels: 2 });
  });
});
