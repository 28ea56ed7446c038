// A short plain explanation of what a parameter IS, in a learner's words: what a row of a Linear
// weight means, what each LSTM gate does, what a bias shifts, what a conv kernel looks for.
import { t } from './l10n';
import type { ParamInfo } from './protocol';

const FROZEN_NOTE = 'Frozen: requires_grad is false, so training leaves these values exactly as they are (as in transfer learning).';

/** Paragraphs explaining `p`, most specific first. */
export function explain(p: ParamInfo): string[] {
  const out: string[] = [];
  const type = p.role.layerType;
  const local = p.role.local;
  const [d0, d1] = p.shape;
  if (p.kind === 'buffer') {
    out.push(t('A buffer: state the model keeps but never trains (for example BatchNorm running statistics). It has no gradient and no lock.'));
  } else if (type === 'Linear' && local === 'weight') {
    out.push(t('The weights of a fully connected layer with {0} inputs and {1} outputs. Row k holds output neuron k\'s weights, one per input: the neuron computes w·x + b and passes it to the activation.', d1, d0));
    out.push(t('A large |w| means that input pushes that neuron strongly; red pushes it up, blue pushes it down. A row of near-zero weights is a neuron that barely listens to anything.'));
  } else if (type === 'Conv2d' && local === 'weight') {
    const [o, i, kh, kw] = p.shape;
    out.push(t('{0} filters, each looking at {1} input channels through a {2}×{3} window. Each tile is one kernel: the pattern an output channel looks for in one input channel, slid over the whole image.', o, i, kh, kw));
    out.push(t('Read a tile like a small stencil: red cells reward bright input there, blue cells penalise it. An edge detector shows a red side and a blue side.'));
  } else if (type === 'LSTM' && local.startsWith('weight_')) {
    const recurrent = local.startsWith('weight_hh');
    out.push(recurrent
      ? t('The recurrent weights: how the previous hidden state (columns) feeds each gate of each hidden unit (rows). This is the network\'s memory talking to itself across time steps.')
      : t('The input weights: how the current input (columns) feeds each gate of each hidden unit (rows).'));
    out.push(...gateParagraphs());
  } else if (type === 'LSTM' && local.startsWith('bias_')) {
    out.push(t('A bias per gate and hidden unit, added before the gate\'s squashing function. PyTorch keeps two (bias_ih and bias_hh) that are simply added together.'));
    out.push(...gateParagraphs());
  } else if (local === 'bias' || local.startsWith('bias')) {
    out.push(t('The bias: one number per output ({0} here), added after the weighted sum. It shifts where the activation switches on, so a neuron can fire even when every input is zero.', d0 ?? 1));
  } else if (local === 'weight') {
    out.push(t('A weight tensor: the adjustable numbers training changes to reduce the loss.'));
  } else {
    out.push(t('A tensor of the state_dict, shown with PyTorch\'s name and shape.'));
  }
  if (p.kind === 'parameter' && !p.requiresGrad) out.push(t(FROZEN_NOTE));
  return out;
}

function gateParagraphs(): string[] {
  return [
    t('Gates, in PyTorch\'s order: i (input gate) decides how much new information enters the cell; f (forget gate) how much of the old cell state is kept; g (cell candidate, tanh) is the new content itself; o (output gate) how much of the cell is shown as the hidden state.'),
  ];
}
