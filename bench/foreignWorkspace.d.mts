// Types of bench/foreignWorkspace.mjs for the TypeScript tests that import it.
type Values = Float32Array | BigInt64Array;
export interface TensorSpec { name: string; shape: number[]; dtype?: 'float32' | 'int64' }
export function fillValues(n: number, seed: number, scale?: number, mean?: number): Float32Array;
export function writeSafetensors(file: string, tensors: (TensorSpec & { values(): Values })[], metadata?: Record<string, string>): void;
export function ptBytes(entries: (TensorSpec & { values: Values })[], opts?: { wrap?: string }): Uint8Array;
export function gpt2Shapes(opts?: { layers?: number; d?: number; vocab?: number; ctx?: number }): TensorSpec[];
export function resnet18Shapes(classes?: number): TensorSpec[];
export function withValues(shapes: TensorSpec[], seed?: number): (TensorSpec & { values(): Values })[];
export const TRAIN_PY: string;
export const HOVERS: Record<'first' | 'classifier' | 'qkv', { line: number; character: number; name: string }>;
export function writeForeignWorkspace(opts?: { dir?: string; gpt2?: 'full' | 'small'; smaller?: number }): {
  dir: string; files: string[]; gpt2: string; resnet18: string; trainPy: string; largestTensor: number;
};
