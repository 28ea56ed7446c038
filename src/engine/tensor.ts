// The engine's tensors: float32 data in a typed array, row-major, with a gradient buffer of the
// same size. Activations live in a Tape's workspace (reused step after step); parameters own
// their storage for the life of a model.

export class Tensor {
  /** The gradient, filled by backward; for workspace tensors it is zeroed when the slot is reused. */
  grad: Float32Array;
  constructor(
    public shape: number[],
    public data: Float32Array,
    /** False for inputs and frozen parameters: backward rules skip work for them. */
    public requiresGrad: boolean,
    grad?: Float32Array,
  ) {
    this.grad = grad ?? new Float32Array(data.length);
  }
  get size(): number { return this.data.length; }
}

/** A trainable (or frozen) parameter, named as in the state_dict. */
export class Param extends Tensor {
  constructor(readonly name: string, shape: number[], requiresGrad = true) {
    super(shape, new Float32Array(shape.reduce((a, b) => a * b, 1)), requiresGrad);
  }
}

export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
