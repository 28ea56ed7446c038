// The hover index's worker thread (bundled to dist/indexWorker.js): parses checkpoints away
// from the extension host's thread, so a 1M-parameter file never freezes a hover, and posts back
// only the small digest. Messages: in `{ id, file }`, out `{ id, digest }` or `{ id, error }`.
import { parentPort } from 'node:worker_threads';
import { digestCheckpointFile } from './digestFile';

export interface DigestRequest { id: number; file: string }

parentPort?.on('message', (req: DigestRequest) => {
  digestCheckpointFile(req.file).then(
    (digest) => parentPort?.postMessage({ id: req.id, digest }),
    (e: unknown) => parentPort?.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
