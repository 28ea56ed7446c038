// nn.Sequential over the layer specs of spec.ts, with parameters named and ordered as its
// state_dict. One Tape per model holds the recorded graph and the reused activation buffers.
import type { ModelSpec } from './spec';
import { layerOutputShapes, numel } from './spec';
import { Tape } from './autograd';
import { Tensor, type Param } from './tensor';
import { Rng } from './rng';
import { buildLayer, type Layer } from './layers';

export class Sequential {
  readonly layers: Layer[];
  private readonly params = new Map<string, Param>();
  private readonly tape = new Tape();
  private input: Tensor | null = null;
  private output: Tensor | null = null;
  /** The generator Dropout layers draw from; the training loop seeds it per epoch. */
  rng = new Rng(0);

  private constructor(readonly spec: ModelSpec) {
    this.layers = spec.layers.map((l, i) => buildLayer(l, i));
    for (const layer of this.layers) for (const p of layer.params) this.params.set(p.name, p);
  }

  static fromSpec(spec: ModelSpec): Sequential {
    return new Sequential(spec);
  }

  /** Name → parameter, in state_dict order. Write into `data` to load weights. */
  parameters(): Map<string, Param> {
    return this.params;
  }

  /** Copies `data` into the named parameter's storage and sets whether it trains. */
  setParameter(name: string, data: ArrayLike<number>, requiresGrad = true): void {
    const p = this.params.get(name);
    if (!p) throw new Error(`model has no parameter ${name}`);
    if (data.length !== p.data.length) throw new Error(`parameter ${name}: expected ${p.data.length} values, got ${data.length}`);
    p.data.set(data);
    p.requiresGrad = requiresGrad;
  }

  /**
   * The output shape of one sample for samples of `inputShape`, or an error message saying which
   * layer does not accept what it is given.
   */
  outputShape(inputShape: number[]): { shape: number[] } | { error: string } {
    const { shapes, error } = layerOutputShapes(this.spec, inputShape);
    const last = shapes.length ? shapes[shapes.length - 1] : inputShape;
    if (error !== undefined || !last) return { error: error ?? 'the model does not accept this input' };
    return { shape: last };
  }

  /**
   * Runs the model on `batchSize` samples laid out row-major in `x` (each of `inputShape`).
   * With `training`, the graph is recorded for backward() and Dropout is active.
   */
  forward(x: Float32Array, batchSize: number, inputShape: number[], training: boolean, recordGraph = training): Tensor {
    const shape = [batchSize, ...inputShape];
    if (x.length !== batchSize * numel(inputShape)) throw new Error(`forward: expected ${batchSize * numel(inputShape)} input values, got ${x.length}`);
    if (!this.input || this.input.data !== x) this.input = new Tensor(shape, x, false);
    else this.input.shape = shape;
    this.tape.begin(recordGraph);
    let h = this.input;
    const ctx = { tape: this.tape, training, rng: this.rng };
    for (const layer of this.layers) h = layer.forward(h, ctx);
    this.output = h;
    return h;
  }

  /** Zeroes every parameter's gradient in place. */
  zeroGrad(): void {
    for (const p of this.params.values()) p.grad.fill(0);
  }

  /** Backpropagates from the last forward's output, whose `grad` the caller has filled. */
  backward(): void {
    if (!this.output) throw new Error('backward() before forward()');
    this.tape.backward();
  }
}
