// The fetch loop behind a listing window (lib/listing-window.ts), shared by the object list and the container list:
// one page at a time for the rows last reported on screen, jumps (start, end, a name) of which the newest wins, and
// pages answering for a listing the user has left dropped.
import { apply, applyJump, plan, TUNING, type Fetch, type Listing, type Named, type Page } from './listing-window.ts';

export interface WindowSource<T extends Named> {
  /** One page for `f`, ascending. */
  page(f: Fetch, limit: number): Promise<Page<T>>;
  get(): Listing<T>;
  set(l: Listing<T>): void;
  /** Identifies the listing (bumped on every fresh one). */
  gen(): number;
  busy(fetching: boolean): void;
  fail(e: unknown): void;
}

export interface WindowLoader {
  /** Rows [from, to) are on screen. */
  want(from: number, to: number): Promise<void>;
  /** Resolves when no page is on its way. */
  idle(): Promise<void>;
  /** Loads the rows at the start, the end, or from the first name ≥ `name`; resolves to that row's index, or null. */
  jump(to: 'start' | 'end' | { name: string }): Promise<number | null>;
}

export function windowLoader<T extends Named>(src: WindowSource<T>): WindowLoader {
  let wanted = { from: 0, to: 0 };
  let pumping: Promise<void> | null = null;
  let jumpSeq = 0;

  const pump = (): Promise<void> => {
    if (pumping) return pumping;
    const run = (async () => {
      await null; // never finish synchronously: `pumping` must be set before it is cleared
      src.busy(true);
      try {
        for (let f = plan(src.get(), wanted.from, wanted.to); f; f = plan(src.get(), wanted.from, wanted.to)) {
          const gen = src.gen();
          let page: Page<T>;
          try {
            page = await src.page(f, TUNING.page);
          } catch (e) {
            if (src.gen() !== gen) continue;
            src.fail(e);
            break;
          }
          if (src.gen() === gen) src.set(apply(src.get(), f, page));
        }
      } finally {
        src.busy(false);
      }
    })();
    pumping = run;
    void run.finally(() => {
      if (pumping === run) pumping = null;
    });
    return run;
  };

  const idle = async () => {
    while (pumping) await pumping;
  };

  const jump = async (to: 'start' | 'end' | { name: string }): Promise<number | null> => {
    const gen = src.gen();
    const seq = ++jumpSeq;
    // A newer jump (the next typed letter, another key) wins over this one.
    const stale = () => src.gen() !== gen || seq !== jumpSeq;
    await idle();
    if (stale()) return null;
    try {
      if (to === 'start' || to === 'end') {
        const f: Fetch = { kind: to === 'start' ? 'first' : 'last' };
        const page = await src.page(f, TUNING.page);
        if (stale()) return null;
        src.set(apply(src.get(), f, page));
        return to === 'start' ? 0 : Math.max(0, src.get().total - 1);
      }
      // Swift's marker is exclusive: the rows before the name (reverse), then from the last of them on.
      const before = await src.page({ kind: 'before', marker: to.name }, TUNING.page / 4);
      const from = await src.page({ kind: 'after', marker: before.entries.at(-1)?.name ?? '' }, TUNING.page);
      if (stale()) return null;
      const { listing, index } = applyJump(src.get(), to.name, before, from);
      src.set(listing);
      return listing.win.entries[index - listing.win.start] ? index : null;
    } catch (e) {
      if (!stale()) src.fail(e);
      return null;
    }
  };

  return {
    want(from, to) {
      wanted = { from, to };
      return pump();
    },
    idle,
    jump,
  };
}
