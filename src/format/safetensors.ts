// The `.safetensors` layout (Hugging Face's published format): an 8-byte little-endian header
// length N, N bytes of JSON `{ "__metadata__": {…}, NAME: { dtype, shape, data_offsets: [begin, end] } }`,
// then the raw little-endian tensor bytes, offsets counted from the end of the header.
// Pure: parses bytes already read; `safetensorsFile.ts` reads them from disk, lazily.
import { CheckpointError, type Checkpoint, type TensorRecord } from './types';
import { numel } from '../engine/spec';
import { RAW_ITEMSIZE, checkpointFromTensors, tooLargeReason, decodeRaw, defaultRequiresGrad, targetDType, widenedNote, type RawDType } from './lazy';

const SAFETENSORS_DTYPES: Record<string, RawDType> = {
  F64: 'float64', F32: 'float32', F16: 'float16', BF16: 'bfloat16',
  I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8', U8: 'uint8', BOOL: 'bool',
};

/** A header larger than this is not a real file's (the reference implementation caps it at 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

export interface SafetensorsEntry {
  name: string;
  shape: number[];
  sourceDtype: RawDType;
  /** Absolute byte offset of the tensor's data in the file, and its length. */
  byteOffset: number;
  byteLength: number;
}

export interface SafetensorsHeader {
  entries: SafetensorsEntry[];
  /** The `__metadata__` string map, or {} */
  metadata: Record<string, string>;
  /** Where the data section begins: 8 + header length. */
  dataStart: number;
}

/** The header length from the file's first 8 bytes, checked against the file size. */
export function readHeaderLength(first8: Uint8Array, fileSize: number, file: string): number {
  if (first8.byteLength < 8) throw new CheckpointError(file, 'too short to be a .safetensors file (no 8-byte header length)');
  const n = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(Math.min(MAX_HEADER_BYTES, fileSize - 8))) {
    throw new CheckpointError(file, `header length ${n} does not fit a file of ${fileSize} bytes; expected a .safetensors file`);
  }
  return Number(n);
}

/** Parse and check the JSON header: every tensor's dtype, shape and byte range. */
export function parseSafetensorsHeader(headerBytes: Uint8Array, fileSize: number, file: string): SafetensorsHeader {
  const dataStart = 8 + headerBytes.byteLength;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (e) {
    throw new CheckpointError(file, `header is not valid UTF-8 JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CheckpointError(file, 'header must be a JSON object');
  const entries: SafetensorsEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') { metadata = (value ?? {}) as Record<string, string>; continue; }
    const v = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const sourceDtype = typeof v?.dtype === 'string' ? SAFETENSORS_DTYPES[v.dtype] : undefined;
    if (!sourceDtype) {
      throw new CheckpointError(file, `dtype ${JSON.stringify(v?.dtype)} is not supported; expected one of ${Object.keys(SAFETENSORS_DTYPES).join(', ')}`, name);
    }
    const shape = v.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new CheckpointError(file, 'shape must be an array of non-negative integers', name);
    }
    const offs = v.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o) && o >= 0) || offs[1] < offs[0]) {
      throw new CheckpointError(file, 'data_offsets must be [begin, end] with 0 ≤ begin ≤ end', name);
    }
    const tooLarge = tooLargeReason(shape as number[], RAW_ITEMSIZE[sourceDtype]);
    if (tooLarge) throw new CheckpointError(file, tooLarge, name);
    const byteLength = offs[1] - offs[0];
    const expected = numel(shape) * RAW_ITEMSIZE[sourceDtype];
    if (byteLength !== expected) {
      throw new CheckpointError(file, `data_offsets span ${byteLength} bytes, expected ${expected} for ${v.dtype} [${shape.join(', ')}]`, name);
    }
    if (dataStart + offs[1] > fileSize) {
      throw new CheckpointError(file, `data ends at byte ${dataStart + offs[1]}, past the end of the file (${fileSize} bytes); the file is truncated`, name);
    }
    entries.push({ name, shape: shape as number[], sourceDtype, byteOffset: dataStart + offs[0], byteLength });
  }
  checkTiling(entries, fileSize - dataStart, dataStart, file);
  return { entries, metadata, dataStart };
}

/**
 * The tensors must cover the data buffer contiguously, without overlap or gap, and end where it
 * ends — what the reference library (safetensors' `Metadata::validate`) checks, sorting by offset:
 * two tensors sharing bytes, or bytes no tensor claims, mean a damaged or crafted file.
 */
function checkTiling(entries: SafetensorsEntry[], bufferLength: number, dataStart: number, file: string): void {
  const sorted = [...entries].sort((a, b) => a.byteOffset - b.byteOffset || a.byteLength - b.byteLength);
  let end = 0;
  let prev: SafetensorsEntry | undefined;
  const range = (e: SafetensorsEntry) => `[${e.byteOffset - dataStart}, ${e.byteOffset - dataStart + e.byteLength}]`;
  for (const e of sorted) {
    const begin = e.byteOffset - dataStart;
    if (begin < end) throw new CheckpointError(file, `data_offsets ${range(e)} overlap those of ${prev!.name} ${range(prev!)}; the tensors must cover the data buffer contiguously, without overlap (as the safetensors library requires)`, e.name);
    if (begin > end) throw new CheckpointError(file, `data_offsets ${range(e)} leave bytes [${end}, ${begin}] of the data buffer unclaimed; the tensors must cover it contiguously, without gaps (as the safetensors library requires)`, e.name);
    end = begin + e.byteLength;
    prev = e;
  }
  if (end !== bufferLength) {
    throw new CheckpointError(file, `the tensors cover ${end} bytes of a ${bufferLength}-byte data buffer; they must cover it exactly (as the safetensors library requires)`);
  }
}

/** One tensor's record from its raw bytes (`owned`: read for it alone, used without a copy). */
export function safetensorsRecord(entry: SafetensorsEntry, bytes: Uint8Array, file: string, owned = false): TensorRecord {
  const dtype = targetDType(entry.sourceDtype);
  return {
    shape: [...entry.shape], dtype,
    requires_grad: defaultRequiresGrad(entry.name, dtype),
    data: decodeRaw(bytes, entry.sourceDtype, numel(entry.shape), file, entry.name, true, owned),
  };
}

/** The notes to show for a file: which tensors were widened. */
export function safetensorsNotes(entries: SafetensorsEntry[]): string[] {
  const widened = entries.filter((e) => targetDType(e.sourceDtype) !== e.sourceDtype).map((e) => e.name);
  return widened.length ? [widenedNote(widened)] : [];
}

/**
 * The `metadata` section of a converted file: the file's own `__metadata__`, and which tensors
 * were widened from which dtype (so a reader of the `.weights.json` knows).
 */
export function safetensorsMetadata(header: SafetensorsHeader): Record<string, unknown> {
  const widened = Object.fromEntries(header.entries.filter((e) => targetDType(e.sourceDtype) !== e.sourceDtype).map((e) => [e.name, e.sourceDtype]));
  return {
    source_format: 'safetensors',
    ...(Object.keys(header.metadata).length ? { safetensors_metadata: header.metadata } : {}),
    ...(Object.keys(widened).length ? { widened_dtypes: widened } : {}),
  };
}

/** A whole `.safetensors` file already in memory → Checkpoint. */
export function safetensorsFromBytes(bytes: Uint8Array, file: string): Checkpoint {
  const n = readHeaderLength(bytes.subarray(0, 8), bytes.byteLength, file);
  const header = parseSafetensorsHeader(bytes.subarray(8, 8 + n), bytes.byteLength, file);
  return checkpointFromTensors(
    header.entries.map((e) => [e.name, safetensorsRecord(e, bytes.subarray(e.byteOffset, e.byteOffset + e.byteLength), file)]),
    safetensorsMetadata(header),
  );
}
