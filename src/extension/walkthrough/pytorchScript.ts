// The Python a learner runs to take the perceptron into PyTorch (the glossary's section 10):
// python/weightscope.py loads the .weights.json into nn.Linear(2, 1) inside an nn.Sequential
// named like the file's layer, then the usual torch.save / load_state_dict of a state_dict.
// Pure: the translate function is passed in, so a test reads the exact text.

export type Translate = (message: string, ...args: (string | number)[]) => string;

export function pytorchScript(t: Translate, checkpointFile: string, pthFile: string): string {
  return [
    `# ${t('Load the perceptron trained in Weightscope into PyTorch, then save and reload its state_dict.')}`,
    `# ${t('Run it beside {0} and weightscope.py (written next to this script): python {1}', checkpointFile, 'perceptron_pytorch.py')}`,
    'from collections import OrderedDict',
    '',
    'import torch',
    'from torch import nn',
    '',
    'import weightscope',
    '',
    `# ${t('The same architecture as the file: one Linear layer named fc, 2 inputs, 1 output.')}`,
    'modelo = nn.Sequential(OrderedDict(fc=nn.Linear(2, 1)))',
    `weightscope.load_into(modelo, ${JSON.stringify(checkpointFile)})`,
    '',
    `# ${t('The weights and the bias, as named_parameters() lists them; requires_grad as in Weightscope.')}`,
    'for name, param in modelo.named_parameters():',
    '    print(name, param.data, "requires_grad =", param.requires_grad)',
    '',
    `# ${t('Save the state_dict for PyTorch, and load it back.')}`,
    `torch.save(modelo.state_dict(), ${JSON.stringify(pthFile)})`,
    `modelo.load_state_dict(torch.load(${JSON.stringify(pthFile)}))`,
    '',
    `# ${t('The perceptron on the four AND inputs: y = sigmoid(w1*x1 + w2*x2 + b).')}`,
    'x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])',
    'print(torch.sigmoid(modelo(x)).detach().squeeze(1))',
    '',
  ].join('\n');
}
