// Reverse-mode autograd over a recorded graph. Every op runs its forward pass immediately and
// records its backward rule on the tape; since an op can only consume tensors that exist when it
// runs, the recording order is a topological order, and backward() walks it in reverse.
//
// The tape doubles as the workspace: each op asks for its output (and scratch) buffers by position
// in the recording, so a training step that records the same ops as the last one gets the same
// buffers back, with no allocation. A slot is reallocated only when its size changes (e.g. the
// last, smaller mini-batch of an epoch).
import { Tensor, shapeSize } from './tensor';

export class Tape {
  private backwards: (() => void)[] = [];
  private tensorSlots: Tensor[] = [];
  private f32Slots: Float32Array[] = [];
  private i32Slots: Int32Array[] = [];
  private nTensors = 0;
  private nF32 = 0;
  private nI32 = 0;
  /** False while running without gradients (evaluation): ops then record nothing. */
  recording = true;

  /** Start a new forward pass: forget the recorded graph, keep the buffers. */
  begin(recording = true): void {
    this.backwards.length = 0;
    this.nTensors = this.nF32 = this.nI32 = 0;
    this.recording = recording;
  }

  /** An output tensor for the current op, its gradient zeroed. */
  tensor(shape: number[], requiresGrad: boolean): Tensor {
    const size = shapeSize(shape);
    const i = this.nTensors++;
    let t = this.tensorSlots[i];
    if (!t || t.data.length !== size) {
      t = new Tensor(shape.slice(), new Float32Array(size), requiresGrad);
      this.tensorSlots[i] = t;
    } else {
      if (!sameDims(t.shape, shape)) t.shape = shape.slice();
      t.requiresGrad = requiresGrad;
      if (requiresGrad && this.recording) t.grad.fill(0);
    }
    return t;
  }

  /** A view of `x` with another shape: same data, same gradient buffer (reshape/flatten). */
  view(x: Tensor, shape: number[]): Tensor {
    const i = this.nTensors++;
    let t = this.tensorSlots[i];
    if (!t || t.data !== x.data || t.grad !== x.grad) {
      t = new Tensor(shape.slice(), x.data, x.requiresGrad, x.grad);
      this.tensorSlots[i] = t;
    } else {
      if (!sameDims(t.shape, shape)) t.shape = shape.slice();
      t.requiresGrad = x.requiresGrad;
    }
    return t;
  }

  /** Float scratch space that lives until the next begin() (saved activations, masks). */
  f32(size: number): Float32Array {
    const i = this.nF32++;
    let a = this.f32Slots[i];
    if (!a || a.length !== size) { a = new Float32Array(size); this.f32Slots[i] = a; }
    return a;
  }

  /** Integer scratch space (argmax indices). */
  i32(size: number): Int32Array {
    const i = this.nI32++;
    let a = this.i32Slots[i];
    if (!a || a.length !== size) { a = new Int32Array(size); this.i32Slots[i] = a; }
    return a;
  }

  record(backward: () => void): void {
    if (this.recording) this.backwards.push(backward);
  }

  /** Run the recorded backward rules, last op first. The caller has seeded the output's grad. */
  backward(): void {
    for (let i = this.backwards.length - 1; i >= 0; i--) this.backwards[i]();
    this.backwards.length = 0;
  }
}

function sameDims(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
