// A WebAssembly SIMD micro-kernel for the large products (f32x4: 4 rows × 8 columns of C per
// tile, 8 vector accumulators), assembled here from its opcodes so the engine needs no build step
// or binary asset and still runs in Node, a worker and a browser. JS packs A and B into panels
// (which also absorbs every stride/transposition), the kernel multiplies panels, JS adds the tiles
// into C. Accumulation is float32, as PyTorch's CPU kernels accumulate. Where WebAssembly SIMD is
// unavailable, `wasmGemm` returns false and the caller uses the JS kernel.

// --- a tiny assembler ----------------------------------------------------------------------------
const uleb = (n: number): number[] => { const out: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) { const b = n & 0x7f; n >>= 7; if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) { out.push(b); return out; } out.push(b | 0x80); }
};
const str = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

const I32 = 0x7f, V128 = 0x7b;
const get = (i: number) => [0x20, ...uleb(i)], set = (i: number) => [0x21, ...uleb(i)];
const i32 = (n: number) => [0x41, ...sleb(n)];
const ADD = 0x6a, SUB = 0x6b, MUL = 0x6c, SHL = 0x74, GE_U = 0x4f, EQZ = 0x45;
const simd = (op: number) => [0xfd, ...uleb(op)];
const v128load = (offset: number) => [...simd(0x00), 4, ...uleb(offset)];
const v128store = (offset: number) => [...simd(0x0b), 4, ...uleb(offset)];
const f32load = (offset: number) => [0x2a, 2, ...uleb(offset)];
const V_ZERO = [...simd(0x0c), ...new Array(16).fill(0)];
const SPLAT = simd(0x13), FADD = simd(0xe4), FMUL = simd(0xe6);
const BLOCK = [0x02, 0x40], LOOP = [0x03, 0x40], END = 0x0b;
const br = (d: number) => [0x0c, ...uleb(d)], brIf = (d: number) => [0x0d, ...uleb(d)];

// kernel(ap, bp, cp, mp, np, K): C[4mp × 8np] = A[4mp × K] · B, tile by tile (4 rows × 8 columns),
// with A row-major (rows K floats apart: a dense A is copied in with one memcpy), B packed in
// panels of 8 columns, k-major (32·K bytes per panel), and C row-major, rows 8·np floats apart.
const [AP, BP, CP, MP, NP, K] = [0, 1, 2, 3, 4, 5];
const [IP, JP, KK, PA, PB, PC, PA1, PA2, PA3, ROWA, ROWC] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
const ACC = (r: number, h: number) => 17 + r * 2 + h; // 17…24
const B0 = 25, B1 = 26, A = 27;

function kernelBody(): number[] {
  const code: number[] = [];
  const emit = (...parts: (number | number[])[]) => { for (const p of parts) Array.isArray(p) ? code.push(...p) : code.push(p); };
  emit(get(K), i32(2), SHL, set(ROWA));                 // bytes per row of A
  emit(get(NP), i32(5), SHL, set(ROWC));                // bytes per row of C
  emit(i32(0), set(IP));
  emit(BLOCK, LOOP);                                   // for ip
  emit(get(IP), get(MP), GE_U, brIf(1));
  emit(i32(0), set(JP));
  emit(BLOCK, LOOP);                                   //   for jp
  emit(get(JP), get(NP), GE_U, brIf(1));
  for (let r = 0; r < 4; r++) for (let h = 0; h < 2; h++) emit(V_ZERO, set(ACC(r, h)));
  // pa = ap + 4·ip·rowA (row 0 of the tile), pa1…pa3 the next rows
  emit(get(IP), i32(2), SHL, get(ROWA), MUL, get(AP), ADD, set(PA));
  emit(get(PA), get(ROWA), ADD, set(PA1), get(PA1), get(ROWA), ADD, set(PA2), get(PA2), get(ROWA), ADD, set(PA3));
  emit(get(JP), get(K), MUL, i32(5), SHL, get(BP), ADD, set(PB));
  emit(get(K), set(KK));
  emit(BLOCK, LOOP);                                   //     for k
  emit(get(KK), EQZ, brIf(1));
  emit(get(PB), v128load(0), set(B0), get(PB), v128load(16), set(B1));
  [PA, PA1, PA2, PA3].forEach((rowPtr, r) => {
    emit(get(rowPtr), f32load(0), SPLAT, set(A));
    for (let h = 0; h < 2; h++) emit(get(ACC(r, h)), get(A), get(h ? B1 : B0), FMUL, FADD, set(ACC(r, h)));
    emit(get(rowPtr), i32(4), ADD, set(rowPtr));
  });
  emit(get(PB), i32(32), ADD, set(PB), get(KK), i32(1), SUB, set(KK));
  emit(br(0), END, END);
  // pc = cp + 4·ip·rowC + 32·jp; one row of the tile per rowC bytes
  emit(get(IP), i32(2), SHL, get(ROWC), MUL, get(JP), i32(5), SHL, ADD, get(CP), ADD, set(PC));
  for (let r = 0; r < 4; r++) {
    for (let h = 0; h < 2; h++) emit(get(PC), get(ACC(r, h)), v128store(16 * h));
    if (r < 3) emit(get(PC), get(ROWC), ADD, set(PC));
  }
  emit(get(JP), i32(1), ADD, set(JP), br(0), END, END);
  emit(get(IP), i32(1), ADD, set(IP), br(0), END, END);
  emit(END);
  const locals = [...uleb(2), ...uleb(11), I32, ...uleb(11), V128];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const type = section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 0]);
  const func = section(3, [1, 0]);
  const memory = section(5, [1, 0, 1]); // one memory, min 1 page, grown from JS
  const exports = section(7, [2, ...str('gemm'), 0, 0, ...str('mem'), 2, 0]);
  const code = section(10, [1, ...kernelBody()]);
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...func, ...memory, ...exports, ...code]);
}

interface Kernel { run: (ap: number, bp: number, cp: number, mp: number, np: number, k: number) => void; memory: WebAssembly.Memory }
let kernel: Kernel | null | undefined;

function load(): Kernel | null {
  if (kernel !== undefined) return kernel;
  try {
    // Synchronous compile is fine for a module this small, also on a browser's main thread.
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), {});
    const ex = instance.exports as unknown as { gemm: Kernel['run']; mem: WebAssembly.Memory };
    kernel = { run: ex.gemm, memory: ex.mem };
  } catch {
    kernel = null; // no WebAssembly SIMD here: the JS kernel serves
  }
  return kernel;
}

/** Whether the SIMD kernel is in use (for tests and the benchmark). */
export function wasmGemmAvailable(): boolean { return load() !== null; }

/** Same contract as gemm() in opsGemm.ts; false when the SIMD kernel is unavailable. */
export function wasmGemm(
  M: number, N: number, K: number,
  A: Float32Array, aOff: number, aRow: number, aCol: number,
  B: Float32Array, bOff: number, bRow: number, bCol: number,
  C: Float32Array, cOff: number, ldc: number, accumulate: boolean,
): boolean {
  const kern = load();
  if (!kern) return false;
  const mp = (M + 3) >> 2, np = (N + 7) >> 3, Mpad = mp * 4, Npad = np * 8;
  const aBytes = Mpad * K * 4, bBytes = np * 32 * K, cBytes = Mpad * Npad * 4;
  const need = aBytes + bBytes + cBytes;
  if (kern.memory.buffer.byteLength < need) kern.memory.grow(Math.ceil((need - kern.memory.buffer.byteLength) / 65536));
  const mem = new Float32Array(kern.memory.buffer);
  const ap = 0, bp = aBytes, cp = aBytes + bBytes;
  // A, row-major: one copy when it already is, else gathered through its strides; zero pad rows.
  if (aCol === 1 && aRow === K) mem.set(A.subarray(aOff, aOff + M * K), 0);
  else if (aCol === 1) for (let i = 0; i < M; i++) mem.set(A.subarray(aOff + i * aRow, aOff + i * aRow + K), i * K);
  else {
    for (let i = 0, d = 0; i < M; i++) for (let k = 0, s = aOff + i * aRow; k < K; k++, s += aCol) mem[d++] = A[s];
  }
  mem.fill(0, M * K, Mpad * K);
  // B: panel jp holds columns 8jp…8jp+7, k-major, zero columns past N.
  if (bCol === 1) {
    // Rows of B are contiguous: copy 8 neighbours at a time, reading and writing in order.
    for (let jp = 0; jp < np; jp++) {
      const cols = Math.min(8, N - jp * 8);
      let d = (bp >> 2) + jp * 8 * K, s = bOff + jp * 8;
      if (cols === 8) {
        // Full panels (all but maybe the last) unrolled: the variable-length loop costs twice as much.
        for (let k = 0; k < K; k++, d += 8, s += bRow) {
          mem[d] = B[s]; mem[d + 1] = B[s + 1]; mem[d + 2] = B[s + 2]; mem[d + 3] = B[s + 3];
          mem[d + 4] = B[s + 4]; mem[d + 5] = B[s + 5]; mem[d + 6] = B[s + 6]; mem[d + 7] = B[s + 7];
        }
      } else {
        for (let k = 0; k < K; k++, d += 8, s += bRow) {
          for (let c = 0; c < cols; c++) mem[d + c] = B[s + c];
          for (let c = cols; c < 8; c++) mem[d + c] = 0;
        }
      }
    }
  } else for (let jp = 0; jp < np; jp++) {
    const base = (bp >> 2) + jp * 8 * K;
    if (jp * 8 + 8 <= N) {
      // A full panel: its 8 columns are 8 strided streams, read side by side so that the panel is
      // written once, in order (column by column, each pass would sweep the whole panel).
      const s0 = bOff + jp * 8 * bCol;
      for (let k = 0, d = base, s = s0; k < K; k++, d += 8, s += bRow) {
        mem[d] = B[s]; mem[d + 1] = B[s + bCol]; mem[d + 2] = B[s + 2 * bCol]; mem[d + 3] = B[s + 3 * bCol];
        mem[d + 4] = B[s + 4 * bCol]; mem[d + 5] = B[s + 5 * bCol]; mem[d + 6] = B[s + 6 * bCol]; mem[d + 7] = B[s + 7 * bCol];
      }
      continue;
    }
    for (let c = 0; c < 8; c++) {
      const j = jp * 8 + c;
      if (j >= N) { for (let k = 0, d = base + c; k < K; k++, d += 8) mem[d] = 0; continue; }
      for (let k = 0, d = base + c, s = bOff + j * bCol; k < K; k++, d += 8, s += bRow) mem[d] = B[s];
    }
  }
  kern.run(ap, bp, cp, mp, np, K);
  // C back out, row by row (one copy when the layouts agree).
  const c0 = cp >> 2;
  if (!accumulate && N === Npad && ldc === N) C.set(mem.subarray(c0, c0 + M * N), cOff);
  else if (!accumulate) for (let i = 0; i < M; i++) C.set(mem.subarray(c0 + i * Npad, c0 + i * Npad + N), cOff + i * ldc);
  else {
    for (let i = 0; i < M; i++) {
      const c = cOff + i * ldc, s = c0 + i * Npad;
      for (let j = 0; j < N; j++) C[c + j] += mem[s + j];
    }
  }
  return true;
}
