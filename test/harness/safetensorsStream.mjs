// The one .safetensors writer of the tests' and benchmarks' .mjs helpers (the TypeScript one,
// src/format/safetensorsWrite.ts, cannot be imported from plain .mjs): the 8-byte header length,
// the JSON header padded with spaces to 8 bytes as the reference writer pads it, then each
// tensor's bytes, asked for one tensor at a time so a 475 MiB file is never in memory. Only `fs`:
// the extension-host suites bundle it.
import fs from 'node:fs';

const ITEMSIZE = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/**
 * `entries`: [{ name, shape, dtype: 'F32' | 'BF16' | 'I64' | …, bytes(): Uint8Array }], written in
 * that order; `metadata`, when given, is the header's `__metadata__` (first, as torch writes it).
 * Returns the file's size in bytes.
 */
export function writeSafetensorsStream(file, entries, metadata) {
  const header = metadata ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const e of entries) {
    const bytes = e.shape.reduce((a, b) => a * b, 1) * ITEMSIZE[e.dtype];
    header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
  const fd = fs.openSync(file, 'w');
  try {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    fs.writeSync(fd, len);
    fs.writeSync(fd, json);
    for (const e of entries) fs.writeSync(fd, e.bytes());
  } finally {
    fs.closeSync(fd);
  }
  return 8 + json.length + offset;
}
