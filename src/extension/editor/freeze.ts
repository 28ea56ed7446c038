// The editor's own edit: flipping one parameter's requires_grad. The new record shares the data
// array with the old one (freezing never changes values), so the edit costs no copy.
import type { TensorRecord } from '../../format/types';

export function cloneTensorMeta(t: TensorRecord, requiresGrad: boolean): TensorRecord {
  return { shape: [...t.shape], dtype: t.dtype, requires_grad: requiresGrad, data: t.data };
}
