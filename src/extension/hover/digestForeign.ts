// Digests of a `.safetensors`, `.pt`/`.pth`, `.npy`/`.npz` file for the hover index, in two steps:
// `outlineForeign` from the headers alone (every tensor's name, shape and dtype as stored, in
// milliseconds even for a 500 MB file), then `digestForeign` reading the values one tensor at a
// time, a chunk per step (tensorStream.ts) — never a whole file, never a whole tensor in memory.
// Pure over a ByteSource; digestFile.ts opens the file.
import type { ByteSource } from '../../format/byteSource';
import { defaultRequiresGrad, looksLikeBuffer, targetDType } from '../../format/lazy';
import { headerDigest, layerOwners, TensorDigestBuilder, type CheckpointDigest, type ParamDigest } from './digest';
import { foreignOutline, type ForeignOutline, type TensorSlot } from './foreignOutline';
import { streamTensor, type Pace } from './tensorStream';

/** A file's tensors as header digests (statistics null), with what the index needs to read the values later. */
export function outlineDigest(outline: ForeignOutline): CheckpointDigest {
  const shapes = new Map(outline.tensors.filter((t) => !looksLikeBuffer(t.name)).map((t) => [t.name, t.shape]));
  const owner = layerOwners(undefined, shapes);
  return {
    params: outline.tensors.map((t) => {
      const buffer = looksLikeBuffer(t.name);
      return headerDigest(t.name, t.shape, t.dtype, requiresGradOf(t), buffer ? undefined : owner.get(t.name), buffer);
    }),
  };
}

function requiresGradOf(t: TensorSlot): boolean {
  return t.requiresGrad ?? defaultRequiresGrad(t.name, targetDType(t.dtype));
}

export async function outlineForeign(src: ByteSource, file: string): Promise<CheckpointDigest> {
  return outlineDigest(await foreignOutline(src, file));
}

/**
 * Every tensor's full digest, one tensor after another; `onParam` gets each as it is finished,
 * so a hover shows a large file's first statistics before its last tensor is read.
 */
export async function digestForeign(src: ByteSource, file: string, onParam?: (p: ParamDigest) => void, chunk?: Uint8Array, pace?: Pace): Promise<CheckpointDigest> {
  const outline = await foreignOutline(src, file);
  const heads = outlineDigest(outline).params;
  const params: ParamDigest[] = [];
  for (let i = 0; i < outline.tensors.length; i++) {
    const slot = outline.tensors[i], head = heads[i];
    const b = new TensorDigestBuilder(slot.name, slot);
    await streamTensor(src, file, slot, (v, n) => b.add(v, n), chunk, pace);
    if (b.needsHistogram()) await streamTensor(src, file, slot, b.addToHistogram, chunk, pace);
    const p = b.finish(head.requiresGrad, head.layerType, head.buffer);
    params.push(p);
    onParam?.(p);
  }
  return { params };
}
