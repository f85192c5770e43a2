// Leaves of an SLO too big to list, a page at a time (slo.leaves): the host reaches any index by skipping subtrees by
// their counts, so "Go to leaf 500,000,000" is one request. A scrollbar over 10⁹ rows would exceed what a browser can
// lay out, so this pages instead, and the table below it is the ordinary segment table.
import { useCallback, useEffect, useState } from 'react';
import type { ErrorValue, FlatSegment } from '../../../app/rpc/contract.ts';
import { formatCount } from '../lib/format.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import { ErrorCallout, Spinner } from './common.tsx';
import { SegmentTable } from './SegmentTable.tsx';

const PAGE = 100;
const NO_CHECKS = new Map();

export function LeafPager({ container, object, total }: { container: string; object: string; total: number }) {
  const [from, setFrom] = useState(0);
  const [page, setPage] = useState<{ from: number; leaves: FlatSegment[] } | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [loading, setLoading] = useState(false);
  const [goto, setGoto] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const [scrollRequest, setScrollRequest] = useState(0);

  useEffect(() => {
    let live = true;
    setLoading(true);
    call('slo.leaves', { container, object, from, count: PAGE }).then(
      (p) => {
        if (!live) return;
        setPage(p);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(toErrorValue(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [container, object, from]);

  // The row asked for is selected and scrolled to once its page is there.
  const [wanted, setWanted] = useState<number | null>(null);
  useEffect(() => {
    if (!page || wanted === null || page.from !== Math.floor(wanted / PAGE) * PAGE) return;
    const pos = page.leaves.findIndex((l) => l.index === wanted);
    if (pos >= 0) {
      setSelected(pos);
      setScrollRequest((n) => n + 1);
    }
    setWanted(null);
  }, [page, wanted]);

  const jump = useCallback(
    (leaf: number) => {
      const n = Math.max(0, Math.min(total - 1, leaf));
      setFrom(Math.floor(n / PAGE) * PAGE);
      setWanted(n);
    },
    [total],
  );

  const parsed = Number(goto.replace(/[\s,_]/g, ''));
  const valid = goto.trim() !== '' && Number.isInteger(parsed) && parsed >= 0 && parsed < total;
  const last = Math.min(total, from + PAGE) - 1;

  return (
    <div className="leaf-pager">
      <div className="leaf-pager-bar" role="toolbar" aria-label="Leaf pages">
        <button type="button" className="button small" onClick={() => setFrom(0)} disabled={from === 0}>
          First
        </button>
        <button type="button" className="button small" onClick={() => setFrom(Math.max(0, from - PAGE))} disabled={from === 0}>
          Previous {PAGE}
        </button>
        <span className="leaf-pager-range" role="status" aria-label="Leaves shown">
          {loading && <Spinner label="Loading leaves" />} Leaves {formatCount(from)}–{formatCount(last)} of {formatCount(total)}
        </span>
        <button type="button" className="button small" onClick={() => setFrom(from + PAGE)} disabled={from + PAGE >= total}>
          Next {PAGE}
        </button>
        <button type="button" className="button small" onClick={() => setFrom(Math.floor((total - 1) / PAGE) * PAGE)} disabled={from + PAGE >= total}>
          Last
        </button>
        <form
          className="leaf-pager-goto"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) jump(parsed);
          }}
        >
          <label>
            Go to leaf{' '}
            <input
              type="text"
              inputMode="numeric"
              className="input small"
              value={goto}
              placeholder={`0 – ${formatCount(total - 1)}`}
              aria-invalid={goto.trim() !== '' && !valid}
              onChange={(e) => setGoto(e.target.value)}
            />
          </label>
          <button type="submit" className="button small" disabled={!valid}>
            Go
          </button>
        </form>
      </div>
      {error && <ErrorCallout error={error} title="Could not read these leaves" />}
      {page && (
        <SegmentTable
          segments={page.leaves}
          checks={NO_CHECKS}
          selected={selected}
          scrollRequest={scrollRequest}
          onlyProblems={false}
          onSelect={setSelected}
        />
      )}
    </div>
  );
}
