import { describe, expect, it } from 'vitest';
import { Cancelled, ReadScheduler, type JobContext } from '../../../src/extension/editor/readScheduler';

/** A fake reader: each tensor takes `steps` steps of work, pausing between them; logs what ran. */
function fakeReader(log: string[], steps = 3) {
  return (name: string) => async (ctx: JobContext): Promise<string> => {
    for (let s = 0; s < steps; s++) {
      log.push(`${name}#${s}`);
      await ctx.pause();
    }
    log.push(`${name} done`);
    return name;
  };
}

/**
 * A scheduler whose pauses wait for the test's `step()`: each step wakes every paused job once,
 * so the order of work is decided by the scheduler alone, not by timers.
 */
function manualScheduler() {
  let waiting: (() => void)[] = [];
  const s = new ReadScheduler(() => new Promise<void>((r) => waiting.push(r)));
  const flush = async () => { for (let i = 0; i < 20; i++) await Promise.resolve(); };
  const step = async () => {
    const wake = waiting;
    waiting = [];
    for (const w of wake) w();
    await flush();
  };
  /** Step until `p` settles (at most 1000 steps). */
  const until = async (p: Promise<unknown>) => {
    let done = false;
    void p.then(() => { done = true; }, () => { done = true; });
    await flush();
    for (let i = 0; i < 1000 && !done; i++) await step();
  };
  return { s, step, flush, until };
}

describe('ReadScheduler', () => {
  it('serves a selection first while many thumbnails are pending', async () => {
    const log: string[] = [];
    const read = fakeReader(log);
    const { s, step, until } = manualScheduler();
    const thumbs = Array.from({ length: 40 }, (_, i) => s.schedule(`info:t${i}`, 'visible', read(`t${i}`)));
    const finished: string[] = [];
    for (const p of thumbs) void p.then((n) => finished.push(n));
    // The first thumbnail is under way; the user clicks a tensor.
    await step();
    const picked = s.schedule('tensor:big', 'selected', read('big'));
    await until(picked);
    // At most the thumbnail already under way has taken a step meanwhile; no other thumbnail started.
    const bigDone = log.indexOf('big done');
    const before = log.slice(0, bigDone).filter((l) => !l.startsWith('big'));
    expect(new Set(before.map((l) => l.split('#')[0])).size).toBeLessThanOrEqual(1);
    expect(finished.length).toBeLessThanOrEqual(1);
    await until(Promise.all(thumbs));
    expect(finished).toEqual(Array.from({ length: 40 }, (_, i) => `t${i}`));
  });

  it('holds a running thumbnail at its next pause while a selection runs', async () => {
    const log: string[] = [];
    const read = fakeReader(log, 5);
    const { s, step, until } = manualScheduler();
    const thumb = s.schedule('info:a', 'visible', read('a'));
    await step();
    const sel = s.schedule('tensor:b', 'selected', read('b'));
    await until(Promise.all([sel, thumb]));
    // Once b started, a took no step until b was done.
    const bStart = log.indexOf('b#0'), bDone = log.indexOf('b done');
    expect(log.slice(bStart, bDone).every((l) => l.startsWith('b'))).toBe(true);
    expect(log.at(-1)).toBe('a done');
  });

  it('the last click goes first', async () => {
    const log: string[] = [];
    const read = fakeReader(log, 1);
    const { s, until } = manualScheduler();
    const first = s.schedule('tensor:x', 'selected', read('x'));
    const later = [s.schedule('tensor:y', 'selected', read('y')), s.schedule('tensor:z', 'selected', read('z'))];
    await until(Promise.all([first, ...later]));
    const order = log.filter((l) => l.endsWith('done'));
    expect(order).toEqual(['x done', 'z done', 'y done']);
  });

  it('an earlier click\'s statistics step aside for a newer click, then finish before any thumbnail', async () => {
    const log: string[] = [];
    const read = fakeReader(log, 4);
    const { s, step, flush, until } = manualScheduler();
    const stats = s.schedule('info:a', 'selected', read('a'), { yields: true });
    const thumb = s.schedule('info:t', 'visible', read('t'));
    await flush();
    await step(); // a is under way
    const click = s.schedule('tensor:b', 'selected', read('b'));
    await until(click);
    // b ran whole while a waited at its pause: nothing of a between b's first step and b's end.
    const b0 = log.indexOf('b#0'), bEnd = log.indexOf('b done');
    expect(log.slice(b0, bEnd + 1).every((l) => l.startsWith('b'))).toBe(true);
    expect(log.indexOf('a done')).toBe(-1);
    await until(Promise.all([stats, thumb]));
    expect(log.indexOf('a done')).toBeLessThan(log.indexOf('t#0'));
    // A job that stepped aside and is cancelled gives no slot back twice: the lane goes on.
    const again = s.schedule('info:c', 'selected', read('c'), { yields: true });
    await flush();
    await step();
    const d = s.schedule('tensor:d', 'selected', read('d'));
    await flush();
    await step();
    s.cancel('info:c');
    await until(d);
    await expect(again).rejects.toBeInstanceOf(Cancelled);
    const e = s.schedule('tensor:e', 'selected', read('e'));
    await until(e);
    expect(log).toContain('e done');
  });

  it('drops a queued thumbnail whose row scrolled away, and stops a running one at its next pause', async () => {
    const log: string[] = [];
    const read = fakeReader(log, 4);
    const { s, step, until } = manualScheduler();
    const a = s.schedule('info:a', 'visible', read('a'));
    const b = s.schedule('info:b', 'visible', read('b'));
    const c = s.schedule('info:c', 'visible', read('c'));
    const all = Promise.allSettled([a, b, c]);
    await step();
    s.cancel('info:b');
    s.cancel('info:a');
    await until(all);
    const [ra, rb, rc] = await all;
    expect(ra.status === 'rejected' && ra.reason instanceof Cancelled).toBe(true);
    expect(rb.status === 'rejected' && rb.reason instanceof Cancelled).toBe(true);
    expect(rc).toEqual({ status: 'fulfilled', value: 'c' });
    expect(log.some((l) => l.startsWith('b'))).toBe(false);
    expect(log).not.toContain('a done');
    expect(s.has('info:c')).toBe(false);
  });

  it('a visible job asked for again as selected moves ahead and is no longer cancelled by a scroll', async () => {
    const log: string[] = [];
    const read = fakeReader(log, 1);
    const { s, until } = manualScheduler();
    const early = ['p', 'q', 'r'].map((n) => s.schedule(`info:${n}`, 'visible', read(n)));
    const settled = Promise.allSettled(early);
    const again = s.schedule('info:r', 'selected', read('r-other'));
    expect(again).toBe(early[2]);
    s.cancel('info:q');
    await until(settled);
    const results = await settled;
    expect(results[1].status === 'rejected' && results[1].reason instanceof Cancelled).toBe(true);
    expect(results[0].status).toBe('fulfilled');
    const order = log.filter((l) => l.endsWith('done'));
    // p was already started when r was promoted; r runs beside it, before anything else queued.
    expect(order.indexOf('r done')).toBeLessThanOrEqual(1);
  });

  it('a failing job rejects its own promise and the queue goes on', async () => {
    const s = new ReadScheduler();
    const bad = s.schedule('info:bad', 'visible', async () => { throw new Error('bad.safetensors: x: truncated'); });
    const good = s.schedule('info:good', 'visible', async () => 'ok');
    await expect(bad).rejects.toThrow('truncated');
    await expect(good).resolves.toBe('ok');
  });

  it('cancelAll rejects everything queued', async () => {
    const log: string[] = [];
    const read = fakeReader(log, 2);
    const { s, until } = manualScheduler();
    const all = Promise.allSettled(['a', 'b', 'c'].map((n) => s.schedule(`info:${n}`, 'visible', read(n))));
    s.cancelAll();
    await until(all);
    for (const r of await all) expect(r.status === 'rejected' && r.reason instanceof Cancelled).toBe(true);
  });
});
