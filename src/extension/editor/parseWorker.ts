// The worker thread that reads and parses a large `.weights.json` (bundled to dist/parseWorker.js),
// so the extension host's event loop stays free while a file of hundreds of MB is decoded and
// summarised (a 500 MB file held it for ~3 s). It answers one request and ends: the checkpoint,
// its tensors' buffers transferred (not copied), and the editor's state of it (statistics,
// histograms, thumbnails), which the host would otherwise compute on its own thread next.
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { parseCheckpoint } from '../../format/parse';
import { CheckpointError } from '../../format/types';
import { buildEditorState } from './viewState';
import { transferablesOf, type ParseReply, type ParseRequest } from './parseWorkerProtocol';

const port = parentPort;
if (!port) throw new Error('parseWorker.js runs as a worker thread only');

port.once('message', (req: ParseRequest) => {
  let reply: ParseReply;
  try {
    const ckpt = parseCheckpoint(readFileSync(req.path), req.name);
    reply = { ok: true, checkpoint: ckpt, state: buildEditorState(ckpt, req.name, 0) };
    port.postMessage(reply, transferablesOf(ckpt));
  } catch (e) {
    reply = e instanceof CheckpointError
      ? { ok: false, detail: e.detail, param: e.param }
      : { ok: false, unexpected: e instanceof Error ? e.stack ?? e.message : String(e) };
    port.postMessage(reply);
  }
});
