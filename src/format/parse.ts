// Text of a `.weights.json` file → Checkpoint, refusing anything the format (docs/weights-json.md)
// does not allow with a CheckpointError naming the file, the parameter and what was expected.
// Pure: no fs, so the editor's webview and the training worker can use it too.
import { CheckpointError, type Checkpoint, type TensorRecord } from './types';
import { JsonSyntaxError, parseJsonText, type JsonDoc } from './jsonText';
import { describeValue, parseTensor } from './tensorParse';
import { parseModel } from './modelParse';
import { parseOptimizer, parseOptimizerState, parseTraining, reviveSpecial } from './sectionsParse';
import { checkModelAgreement } from './modelCheck';

const KNOWN_KEYS = new Set(['format', 'version', 'model', 'parameters', 'buffers', 'optimizer', 'optimizer_state', 'training', 'metadata']);
const SUPPORTED_VERSION = 1;

export function parseCheckpoint(input: string | Uint8Array, file: string): Checkpoint {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  let doc: JsonDoc;
  try {
    doc = parseJsonText(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new CheckpointError(file, `${e.where.message} (line ${e.where.line}, column ${e.where.column})`);
    throw e;
  }
  const root = doc.value;
  const revive = (v: unknown) => reviveSpecial(v, doc);
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new CheckpointError(file, `expected a JSON object with "format": "weights.json", got ${describeValue(root)}`);
  }
  const obj = root as Record<string, unknown>;
  const fail = (param: string, detail: string): never => { throw new CheckpointError(file, detail, param); };

  checkFormatAndVersion(obj.format, obj.version, file);

  const ckpt: Checkpoint = { format: 'weights.json', version: 1, parameters: new Map(), extra: new Map(), keyOrder: Object.keys(obj) };
  if (!('parameters' in obj)) fail('parameters', 'missing; expected an object, name → tensor');
  ckpt.parameters = parseTensorMap(obj.parameters, 'parameters', file, true, doc);
  if ('buffers' in obj) ckpt.buffers = parseTensorMap(obj.buffers, 'buffers', file, false, doc);
  if ('model' in obj) ckpt.model = parseModel(revive(obj.model), file);
  if ('optimizer' in obj) ckpt.optimizer = parseOptimizer(revive(obj.optimizer), file);
  if ('optimizer_state' in obj) ckpt.optimizer_state = parseOptimizerState(obj.optimizer_state, file, doc);
  if ('training' in obj) ckpt.training = parseTraining(revive(obj.training), file);
  if ('metadata' in obj) ckpt.metadata = revive(obj.metadata);
  for (const key of Object.keys(obj)) if (!KNOWN_KEYS.has(key)) ckpt.extra.set(key, revive(obj[key]));
  if (ckpt.model) checkModelAgreement(ckpt, file);
  return ckpt;
}

/** Refuses a file that is not a `.weights.json` checkpoint of a version this reader knows (shared with streamScan.ts). */
export function checkFormatAndVersion(format: unknown, version: unknown, file: string): void {
  const fail = (param: string, detail: string): never => { throw new CheckpointError(file, detail, param); };
  if (format !== 'weights.json') fail('format', `expected "weights.json", got ${format === undefined ? 'nothing' : JSON.stringify(format)}`);
  if (typeof version === 'number' && Number.isInteger(version) && version > SUPPORTED_VERSION) {
    fail('version', `version ${version} is newer than this Weightscope understands (${SUPPORTED_VERSION}); update Weightscope`);
  }
  if (version !== SUPPORTED_VERSION) fail('version', `expected ${SUPPORTED_VERSION}, got ${version === undefined ? 'nothing' : JSON.stringify(version)}`);
}

function parseTensorMap(raw: unknown, section: string, file: string, defaultRequiresGrad: boolean, doc: JsonDoc): Map<string, TensorRecord> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CheckpointError(file, `expected an object, name → tensor, got ${describeValue(raw)}`, section);
  }
  const out = new Map<string, TensorRecord>();
  // Buffers are named with their section so that "running_mean" is not mistaken for a parameter.
  const label = (name: string) => (section === 'parameters' ? name : `${section}.${name}`);
  for (const [name, t] of Object.entries(raw as Record<string, unknown>)) {
    out.set(name, parseTensor(t, { file, name: label(name), doc }, defaultRequiresGrad));
  }
  return out;
}
