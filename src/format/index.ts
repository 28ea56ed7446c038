// The browser-safe face of src/format (no fs): parse, serialize, check, helpers and statistics.
// Node-only file I/O lives in ./checkpointFile and is imported from there explicitly.
export * from './types';
export { parseCheckpoint } from './parse';
export { serializeCheckpoint, type SaveOptions } from './serialize';
export { checkModelAgreement } from './modelCheck';
export { makeTensor, cloneTensor, tensorNumel, dtypeBytes, toFloat64Array, emptyCheckpoint, allocData } from './tensor';
export { tensorStats, histogram, checkpointTotals, type TensorStats, type Histogram, type CheckpointTotals } from './stats';
export { halfToNumber, numberToHalf, bfloat16ToNumber, numberToBfloat16 } from './half';
export { float32Text, float64Text } from './numberText';
