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

// kernel(ap, bp, cp, mp, np, K): tiles (ip < mp, jp < np) of C[4×8] = Apanel_ip[K×4]ᵀ · Bpanel_jp[K×8],
// A panels 16·K bytes apart (4 floats per k), B panels 32·K bytes (8 floats per k), tiles of 128
// bytes stored one after the other in (ip, jp) order.
const [AP, BP, CP, MP, NP, K] = [0, 1, 2, 3, 4, 5];
const [IP, JP, KK, PA, PB, PC] = [6, 7, 8, 9, 10, 11];
const ACC = (r: number, h: number) => 12 + r * 2 + h; // 12…19
const B0 = 20, B1 = 21, A = 22;

function kernelBody(): number[] {
  const code: number[] = [];
  const emit = (...parts: (number | number[])[]) => { for (const p of parts) Array.isArray(p) ? code.push(...p) : code.push(p); };
  emit(get(CP), set(PC), i32(0), set(IP));
  emit(BLOCK, LOOP);                                   // for ip
  emit(get(IP), get(MP), GE_U, brIf(1));
  emit(i32(0), set(JP));
  emit(BLOCK, LOOP);                                   //   for jp
  emit(get(JP), get(NP), GE_U, brIf(1));
  for (let r = 0; r < 4; r++) for (let h = 0; h < 2; h++) emit(V_ZERO, set(ACC(r, h)));
  emit(get(IP), get(K), MUL, i32(4), SHL, get(AP), ADD, set(PA));
  emit(get(JP), get(K), MUL, i32(5), SHL, get(BP), ADD, set(PB));
  emit(get(K), set(KK));
  emit(BLOCK, LOOP);                                   //     for k
  emit(get(KK), EQZ, brIf(1));
  emit(get(PB), v128load(0), set(B0), get(PB), v128load(16), set(B1));
  for (let r = 0; r < 4; r++) {
    emit(get(PA), f32load(4 * r), SPLAT, set(A));
    for (let h = 0; h < 2; h++) emit(get(ACC(r, h)), get(A), get(h ? B1 : B0), FMUL, FADD, set(ACC(r, h)));
  }
  emit(get(PA), i32(16), ADD, set(PA), get(PB), i32(32), ADD, set(PB), get(KK), i32(1), SUB, set(KK));
  emit(br(0), END, END);
  for (let r = 0; r < 4; r++) for (let h = 0; h < 2; h++) emit(get(PC), get(ACC(r, h)), v128store(32 * r + 16 * h));
  emit(get(PC), i32(128), ADD, set(PC));
  emit(get(JP), i32(1), ADD, set(JP), br(0), END, END);
  emit(get(IP), i32(1), ADD, set(IP), br(0), END, END);
  emit(END);
  const locals = [...uleb(2), ...uleb(6), I32, ...uleb(11), V128];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function moduleBytes(): Uint8Array {
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
  const mp = (M + 3) >> 2, np = (N + 7) >> 3;
  const aBytes = mp * 16 * K, bBytes = np * 32 * K, cBytes = mp * np * 128;
  const need = aBytes + bBytes + cBytes;
  if (kern.memory.buffer.byteLength < need) kern.memory.grow(Math.ceil((need - kern.memory.buffer.byteLength) / 65536));
  const mem = new Float32Array(kern.memory.buffer);
  const ap = 0, bp = aBytes, cp = aBytes + bBytes;
  // Pack A: panel ip holds rows 4ip…4ip+3, k-major, zero rows past M.
  for (let ip = 0; ip < mp; ip++) {
    const base = (ap >> 2) + ip * 4 * K;
    for (let r = 0; r < 4; r++) {
      const i = ip * 4 + r;
      if (i >= M) { for (let k = 0, d = base + r; k < K; k++, d += 4) mem[d] = 0; continue; }
      for (let k = 0, d = base + r, s = aOff + i * aRow; k < K; k++, d += 4, s += aCol) mem[d] = A[s];
    }
  }
  // Pack B: panel jp holds columns 8jp…8jp+7, k-major, zero columns past N.
  for (let jp = 0; jp < np; jp++) {
    const base = (bp >> 2) + jp * 8 * K;
    for (let c = 0; c < 8; c++) {
      const j = jp * 8 + c;
      if (j >= N) { for (let k = 0, d = base + c; k < K; k++, d += 8) mem[d] = 0; continue; }
      for (let k = 0, d = base + c, s = bOff + j * bCol; k < K; k++, d += 8, s += bRow) mem[d] = B[s];
    }
  }
  kern.run(ap, bp, cp, mp, np, K);
  // Unpack the tiles into C.
  for (let ip = 0; ip < mp; ip++) {
    for (let jp = 0; jp < np; jp++) {
      const t = (cp >> 2) + (ip * np + jp) * 32;
      const rows = Math.min(4, M - ip * 4), cols = Math.min(8, N - jp * 8);
      for (let r = 0; r < rows; r++) {
        const c = cOff + (ip * 4 + r) * ldc + jp * 8, s = t + r * 8;
        if (accumulate) for (let q = 0; q < cols; q++) C[c + q] += mem[s + q];
        else for (let q = 0; q < cols; q++) C[c + q] = mem[s + q];
      }
    }
  }
  return true;
}
