// A RESTRICTED pickle reader: an interpreter of the opcodes a PyTorch state_dict's `data.pkl`
// uses (protocol 2, plus the few protocol 3/4 additions newer PyTorch may write), that builds
// plain values and NEVER executes anything. A pickle may name a global ("module.name") and call
// it (REDUCE); here a global is accepted only when it is on the caller's allow-list, and a call
// runs only the caller's own TypeScript handler for that name. Any other global is refused the
// moment it is named, before anything else happens. Pure: no `fs`.
import { CheckpointError } from './types';

/** A Python tuple (kept apart from lists so that `torch.Size((2, 3))` and `[2, 3]` differ). */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** A Python dict or OrderedDict, insertion order kept. */
export class PyDict {
  readonly map = new Map<PyKey, PyValue>();
  /** State given by BUILD (an OrderedDict's `_metadata` attribute, for a state_dict); unused. */
  state?: PyValue;
}

/** A global named by the pickle and allowed by the caller (e.g. `torch.FloatStorage`). */
export class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
  get qualified(): string { return `${this.module}.${this.name}`; }
}

/** A value built by one of the caller's handlers (a tensor, a storage): opaque to the interpreter. */
export class PyOpaque<T = unknown> {
  constructor(readonly kind: string, readonly value: T) {}
}

export type PyKey = string | number | bigint | boolean | null;
export type PyValue = null | boolean | number | bigint | string | Uint8Array | PyValue[] | PyTuple | PyDict | PyGlobal | PyOpaque;

export interface PickleOptions {
  /** The file, for messages. */
  file: string;
  /** Allowed globals that may only be referenced (not called), e.g. storage classes: "torch.FloatStorage". */
  values: ReadonlySet<string>;
  /** Allowed callables: qualified name → a handler that builds the result from the call's arguments. */
  calls: Readonly<Record<string, (args: PyValue[]) => PyValue>>;
  /** BINPERSID: the persistent id (PyTorch's storage reference) → its value. */
  persistentLoad?: (pid: PyValue) => PyValue;
}

const OPCODE_NAMES: Record<number, string> = {
  0x63: 'GLOBAL', 0x93: 'STACK_GLOBAL', 0x52: 'REDUCE', 0x81: 'NEWOBJ', 0x92: 'NEWOBJ_EX', 0x69: 'INST',
  0x6f: 'OBJ', 0x62: 'BUILD', 0x50: 'PERSID', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4',
};

/** Refuse a global that is not on the allow-list, naming it. Nothing has been executed: nothing ever is. */
function refuseGlobal(file: string, qualified: string): never {
  throw new CheckpointError(file,
    `refuses to load: the pickle names ${qualified}, which a state_dict never needs; nothing was executed`);
}

/** A Python value as a dict key (tuples as their text, which no state_dict uses as a key anyway). */
function toKey(v: PyValue, file: string): PyKey {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  if (v instanceof PyTuple) return `(${v.items.map((i) => String(toKey(i, file))).join(', ')})`;
  throw new CheckpointError(file, 'the pickle uses an unhashable value as a dict key; not a state_dict');
}

/** Interpret `bytes` as a pickle and return the value it builds, under the allow-list of `opts`. */
export function unpickle(bytes: Uint8Array, opts: PickleOptions): PyValue {
  const { file } = opts;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8');
  const latin1 = new TextDecoder('latin1');
  let pos = 0;
  let stack: PyValue[] = [];
  const marks: PyValue[][] = [];
  const memo = new Map<number, PyValue>();

  const fail = (what: string): never => { throw new CheckpointError(file, `data.pkl at byte ${pos}: ${what}`); };
  const need = (n: number) => { if (pos + n > bytes.byteLength) fail('the pickle is truncated'); };
  const u8 = () => { need(1); return bytes[pos++]; };
  const u16 = () => { need(2); const v = view.getUint16(pos, true); pos += 2; return v; };
  const u32 = () => { need(4); const v = view.getUint32(pos, true); pos += 4; return v; };
  const i32 = () => { need(4); const v = view.getInt32(pos, true); pos += 4; return v; };
  const take = (n: number) => { need(n); const b = bytes.subarray(pos, pos + n); pos += n; return b; };
  const line = () => { const end = bytes.indexOf(0x0a, pos); if (end < 0) fail('the pickle is truncated'); const s = latin1.decode(bytes.subarray(pos, end)); pos = end + 1; return s; };
  const pop = (): PyValue => (stack.length ? stack.pop() as PyValue : fail('stack underflow; the pickle is damaged'));
  const top = (): PyValue => (stack.length ? stack[stack.length - 1] : fail('stack underflow; the pickle is damaged'));
  const popMark = (): PyValue[] => {
    const items = stack;
    const prev = marks.pop();
    if (!prev) fail('MARK missing; the pickle is damaged');
    stack = prev as PyValue[];
    return items;
  };
  const global = (module: string, name: string): PyGlobal => {
    const q = `${module}.${name}`;
    if (!opts.values.has(q) && !(q in opts.calls)) refuseGlobal(file, q);
    return new PyGlobal(module, name);
  };
  const setItems = (target: PyValue, items: PyValue[]) => {
    if (!(target instanceof PyDict)) fail('SETITEM on a value that is not a dict');
    for (let i = 0; i + 1 < items.length; i += 2) (target as PyDict).map.set(toKey(items[i], file), items[i + 1]);
  };
  const appendItems = (target: PyValue, items: PyValue[]) => {
    if (!Array.isArray(target)) fail('APPEND on a value that is not a list');
    (target as PyValue[]).push(...items);
  };
  const long = (b: Uint8Array): number | bigint => {
    if (b.length === 0) return 0;
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: u8(); break;                                  // PROTO n
      case 0x95: take(8); break;                               // FRAME (framing only)
      case 0x2e: return pop();                                 // STOP
      case 0x7d: stack.push(new PyDict()); break;              // EMPTY_DICT
      case 0x5d: stack.push([]); break;                        // EMPTY_LIST
      case 0x29: stack.push(new PyTuple([])); break;           // EMPTY_TUPLE
      case 0x28: marks.push(stack); stack = []; break;         // MARK
      case 0x4e: stack.push(null); break;                      // NONE
      case 0x88: stack.push(true); break;                      // NEWTRUE
      case 0x89: stack.push(false); break;                     // NEWFALSE
      case 0x4a: stack.push(i32()); break;                     // BININT
      case 0x4b: stack.push(u8()); break;                      // BININT1
      case 0x4d: stack.push(u16()); break;                     // BININT2
      case 0x8a: stack.push(long(take(u8()))); break;          // LONG1
      case 0x8b: stack.push(long(take(u32()))); break;         // LONG4
      case 0x47: { need(8); stack.push(view.getFloat64(pos, false)); pos += 8; break; } // BINFLOAT (big-endian)
      case 0x58: stack.push(utf8.decode(take(u32()))); break;  // BINUNICODE
      case 0x8c: stack.push(utf8.decode(take(u8()))); break;   // SHORT_BINUNICODE
      case 0x8d: { need(8); const n = Number(view.getBigUint64(pos, true)); pos += 8; stack.push(utf8.decode(take(n))); break; } // BINUNICODE8
      case 0x54: stack.push(latin1.decode(take(u32()))); break; // BINSTRING (Python 2 str)
      case 0x55: stack.push(latin1.decode(take(u8()))); break;  // SHORT_BINSTRING
      case 0x42: stack.push(take(u32()).slice()); break;        // BINBYTES
      case 0x43: stack.push(take(u8()).slice()); break;         // SHORT_BINBYTES
      case 0x85: stack.push(new PyTuple([pop()])); break;       // TUPLE1
      case 0x86: { const b = pop(), a = pop(); stack.push(new PyTuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = pop(), b = pop(), a = pop(); stack.push(new PyTuple([a, b, c])); break; } // TUPLE3
      case 0x74: { const items = popMark(); stack.push(new PyTuple(items)); break; } // TUPLE (pop before `stack` is read)
      case 0x6c: { const items = popMark(); stack.push(items); break; }           // LIST
      case 0x64: { const d = new PyDict(); const items = popMark(); setItems(d, items); stack.push(d); break; } // DICT
      case 0x73: { const v = pop(), k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; }     // SETITEMS
      case 0x61: { const v = pop(); appendItems(top(), [v]); break; }            // APPEND
      case 0x65: { const items = popMark(); appendItems(top(), items); break; }  // APPENDS
      case 0x30: pop(); break;                                  // POP
      case 0x31: popMark(); break;                              // POP_MARK
      case 0x32: stack.push(top()); break;                      // DUP
      case 0x71: memo.set(u8(), top()); break;                  // BINPUT
      case 0x72: memo.set(u32(), top()); break;                 // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break;             // MEMOIZE
      case 0x68: case 0x6a: {                                   // BINGET / LONG_BINGET
        const i = op === 0x68 ? u8() : u32();
        if (!memo.has(i)) fail(`memo entry ${i} missing; the pickle is damaged`);
        stack.push(memo.get(i) as PyValue);
        break;
      }
      case 0x63: {                                              // GLOBAL "module\nname\n"
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {                                              // STACK_GLOBAL
        const name = pop(), module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x52: {                                              // REDUCE: callable(*args)
        const args = pop(), fn = pop();
        if (!(fn instanceof PyGlobal) || !(args instanceof PyTuple)) fail('REDUCE needs an allowed global and a tuple of arguments');
        const handler = opts.calls[(fn as PyGlobal).qualified];
        if (!handler) refuseGlobal(file, `a call of ${(fn as PyGlobal).qualified}`);
        stack.push(handler((args as PyTuple).items));
        break;
      }
      case 0x62: {                                              // BUILD: obj.__setstate__(state)
        const state = pop();
        const obj = top();
        if (obj instanceof PyDict) obj.state = state;
        // Tensors and storages take no state a state_dict needs; the value is kept as built.
        break;
      }
      case 0x51: {                                              // BINPERSID
        const pid = pop();
        if (!opts.persistentLoad) fail('a persistent reference (BINPERSID) outside a PyTorch archive');
        stack.push(opts.persistentLoad!(pid));
        break;
      }
      default: {
        const known = OPCODE_NAMES[op];
        fail(known
          ? `refuses the pickle opcode ${known}, which a state_dict never needs; nothing was executed`
          : `unknown pickle opcode 0x${op.toString(16).padStart(2, '0')}; not a state_dict this reader knows`);
      }
    }
  }
}
