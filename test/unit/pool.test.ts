import { describe, expect, it } from 'vitest';
import { mapLimit, runPool } from '../../app/pool.ts';
import { SwiftError } from '../../app/swift/errors.ts';

const tick = (ms = 2) => new Promise((r) => setTimeout(r, ms));

describe('pool', () => {
  it('mapLimit keeps input order whatever order the work finishes in', async () => {
    expect(await mapLimit([30, 1, 20, 2], 4, async (ms, i) => (await tick(ms), `${i}:${ms}`))).toEqual(['0:30', '1:1', '2:20', '3:2']);
  });

  it('the first failure stops new work, aborts in-flight work and is the error thrown', async () => {
    const started: number[] = [];
    let sawAbort = false;
    const err = await runPool([1, 2, 3, 4, 5, 6], 2, async (n, signal) => {
      started.push(n);
      if (n === 1) throw new Error('one');
      await tick(20);
      sawAbort ||= signal.aborted;
      if (n === 2) throw new Error('two');
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('one');
    expect(started).toEqual([1, 2]);
    expect(sawAbort).toBe(true);
    await expect(mapLimit([1, 2, 3, 4], 1, async (n) => { if (n === 2) throw new Error('mapped'); return n; })).rejects.toThrow('mapped');
  });

  it('an outside abort is reported as cancelled', async () => {
    const ac = new AbortController();
    const ran: number[] = [];
    const p = mapLimit([1, 2, 3, 4], 1, async (n) => {
      ran.push(n);
      if (n === 2) ac.abort();
      return n;
    }, ac.signal);
    await expect(p).rejects.toSatisfy((e) => e instanceof SwiftError && e.kind === 'cancelled');
    expect(ran).toEqual([1, 2]);
    ac.abort();
    await expect(runPool([1], 1, async () => undefined, ac.signal)).rejects.toSatisfy((e) => e instanceof SwiftError && e.kind === 'cancelled');
  });
});
