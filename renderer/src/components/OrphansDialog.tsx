// Orphaned segments of a container: objects in its segment containers that no manifest in the account references
// (orphans.find), grouped by the upload they probably came from; the chosen ones are deleted with orphans.delete, which
// searches again and deletes only what is still orphaned.
import { useEffect, useEffectEvent, useMemo, useState } from 'react';
import type { ErrorValue, Orphan, OrphanDeletion, OrphanReport } from '../../../app/rpc/contract.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import { formatCount, humanBytes, plural } from '../lib/format.ts';
import { Callout, ErrorCallout, Modal, Spinner } from './common.tsx';

const probableUpload = (o: Orphan): string => o.upload ?? '(not from a segmented upload)';

const key = (o: Orphan) => `${o.container}/${o.object}`;

export function OrphansDialog({ container, onClose, onDeleted }: { container: string; onClose: () => void; onDeleted: () => void }) {
  const [minAge, setMinAge] = useState('60');
  const [report, setReport] = useState<OrphanReport | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [busy, setBusy] = useState<'finding' | 'deleting' | null>('finding');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [deleted, setDeleted] = useState<OrphanDeletion | null>(null);
  const minAgeMinutes = Number(minAge) >= 0 ? Number(minAge) : 60;

  const find = async () => {
    setBusy('finding');
    setError(null);
    setDeleted(null);
    try {
      const r = await call('orphans.find', { container, minAgeMinutes });
      setReport(r);
      setChosen(new Set(r.orphans.map(key)));
    } catch (e) {
      setError(toErrorValue(e));
    } finally {
      setBusy(null);
    }
  };
  // Search once on open; later searches are asked for (after changing the minimum age).
  const findOnOpen = useEffectEvent(() => void find());
  useEffect(() => findOnOpen(), []);

  const remove = async () => {
    setBusy('deleting');
    setError(null);
    try {
      const r = await call('orphans.delete', { container, minAgeMinutes, paths: [...chosen] });
      setDeleted(r.deleted);
      setReport(r.report);
      setChosen(new Set());
      onDeleted();
    } catch (e) {
      setError(toErrorValue(e));
    } finally {
      setBusy(null);
    }
  };

  const groups = useMemo(() => {
    const m = new Map<string, Orphan[]>();
    for (const o of report?.orphans ?? []) m.set(probableUpload(o), [...(m.get(probableUpload(o)) ?? []), o]);
    return [...m.entries()];
  }, [report]);
  const chosenBytes = (report?.orphans ?? []).filter((o) => chosen.has(key(o))).reduce((a, o) => a + o.bytes, 0);
  const toggle = (k: string) => setChosen((s) => (s.has(k) ? new Set([...s].filter((x) => x !== k)) : new Set([...s, k])));

  return (
    <Modal
      title={`Orphaned segments of ${container}`}
      onClose={onClose}
      closable={busy !== 'deleting'}
      size="large"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy === 'deleting'} data-autofocus>
            Close
          </button>
          <button type="button" className="button danger" disabled={busy !== null || chosen.size === 0} onClick={() => void remove()}>
            {busy === 'deleting' ? 'Deleting…' : `Delete ${plural(chosen.size, 'segment')} (${humanBytes(chosenBytes)})`}
          </button>
        </>
      }
    >
      <div className="field-row">
        <label className="field">
          <span>Leave alone segments newer than (minutes)</span>
          <input type="number" min={0} value={minAge} onChange={(e) => setMinAge(e.target.value)} aria-label="Minimum age in minutes" />
        </label>
        <button type="button" className="button" disabled={busy !== null} onClick={() => void find()}>
          Search again
        </button>
      </div>
      {busy === 'finding' && (
        <p className="muted">
          <Spinner label="Searching" /> Reading every manifest in the account and the segment containers…
        </p>
      )}
      {error && <ErrorCallout error={error} />}
      {deleted && <Callout kind="success">{deleted.summary}</Callout>}
      {report && busy !== 'finding' && (
        <>
          <p role="status">
            Searched {report.segmentContainers.join(', ') || 'no segment container'}: {formatCount(report.scanned)} objects, {formatCount(report.referenced)} referenced by
            manifests; {report.orphans.length ? `${plural(report.orphans.length, 'orphan')} holding ${humanBytes(report.bytes)}` : 'no orphans'}
            {report.recent ? `; ${plural(report.recent, 'newer segment')} left alone (maybe an upload in progress)` : ''}.
          </p>
          {report.notes.map((n) => (
            <Callout key={n} kind="warning">
              {n}
            </Callout>
          ))}
          {groups.map(([upload, list]) => (
            <fieldset key={upload} className="orphan-group">
              <legend>
                Probably from {upload} — {plural(list.length, 'segment')}, {humanBytes(list.reduce((a, o) => a + o.bytes, 0))}
              </legend>
              <ul aria-label={`Orphans from ${upload}`}>
                {list.map((o) => (
                  <li key={key(o)}>
                    <label className="check-row">
                      <input type="checkbox" checked={chosen.has(key(o))} onChange={() => toggle(key(o))} />
                      <span className="mono">{key(o)}</span> <span className="muted">{humanBytes(o.bytes)}</span>
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          ))}
        </>
      )}
    </Modal>
  );
}
