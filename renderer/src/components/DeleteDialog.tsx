// Deleting objects: says how many segments go with each manifest, then shows DeleteResult summaries.
import { useEffect, useMemo, useState } from 'react';
import type { DeletePlan, DeleteResult, ErrorValue } from '../../../app/rpc/contract.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import { basename, formatCount, plural } from '../lib/format.ts';
import type { DeleteTarget } from './actions.ts';
import { Callout, ErrorCallout, Modal, Spinner } from './common.tsx';

const INSPECT_LIMIT = 25;

type Outcome = { target: DeleteTarget; result?: DeleteResult; error?: ErrorValue };

const FOLDER_LIMIT = 50_000;

/**
 * Deletes objects and whole pseudo-folders. Folders are expanded first (every object under the prefix,
 * no delimiter, marker-paginated) so the confirmation can say exactly what goes.
 */
export function DeleteDialog({ targets, onClose, onDeleted }: { targets: DeleteTarget[]; onClose: () => void; onDeleted: (names: string[]) => void }) {
  const folders = useMemo(() => targets.filter((t) => t.folder), [targets]);
  const [expanded, setExpanded] = useState<DeleteTarget[] | null>(folders.length ? null : targets);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [truncated, setTruncated] = useState(false);

  useEffect(() => {
    if (!folders.length) return;
    let live = true;
    void (async () => {
      const out = targets.filter((t) => !t.folder);
      const seen = new Set(out.map((t) => t.name));
      try {
        for (const f of folders) {
          let marker: string | undefined;
          do {
            const r = await call('objects.list', { container: f.container, prefix: f.name, limit: 10000, ...(marker ? { marker } : {}) });
            for (const e of r.entries) {
              if (e.type === 'object' && !seen.has(e.name)) {
                seen.add(e.name);
                out.push({ container: f.container, name: e.name, kind: e.kind });
              }
            }
            marker = r.nextMarker ?? undefined;
            if (out.length >= FOLDER_LIMIT) {
              if (live) setTruncated(true);
              marker = undefined;
            }
          } while (marker && live);
        }
        if (live) setExpanded(out);
      } catch (e) {
        if (live) setError(toErrorValue(e));
      }
    })();
    return () => {
      live = false;
    };
  }, [folders, targets]);

  if (expanded === null || expanded.length === 0) {
    return (
      <Modal
        title={folders.length === 1 ? `Delete folder ${folders[0]!.name}?` : `Delete ${plural(folders.length, 'folder')}?`}
        onClose={onClose}
        size="small"
        footer={
          <button type="button" className="button" onClick={onClose}>
            {error || expanded ? 'Close' : 'Cancel'}
          </button>
        }
      >
        {error && <ErrorCallout error={error} title="Could not list the folder contents" />}
        {!error && expanded === null && (
          <p className="muted">
            <Spinner label="Listing" /> Listing everything under {folders.map((f) => f.name).join(', ')}…
          </p>
        )}
        {expanded && expanded.length === 0 && <p>Nothing to delete: no objects under {folders.map((f) => f.name).join(', ')}.</p>}
      </Modal>
    );
  }
  return (
    <DeleteObjectsDialog
      targets={expanded}
      note={
        folders.length
          ? `Includes everything under ${folders.map((f) => f.name).join(', ')}${truncated ? ` (only the first ${formatCount(FOLDER_LIMIT)} objects; run it again for the rest)` : ''}.`
          : undefined
      }
      onClose={onClose}
      onDeleted={onDeleted}
    />
  );
}

function DeleteObjectsDialog({
  targets,
  note,
  onClose,
  onDeleted,
}: {
  targets: DeleteTarget[];
  note: string | undefined;
  onClose: () => void;
  onDeleted: (names: string[]) => void;
}) {
  const [segments, setSegments] = useState<Map<string, number>>(() => {
    const m = new Map<string, number>();
    for (const t of targets) if (t.segments !== undefined) m.set(t.name, t.segments);
    return m;
  });
  const [plans, setPlans] = useState<Map<string, DeletePlan>>(() => new Map());
  const [counting, setCounting] = useState(false);
  const [leaveSegments, setLeaveSegments] = useState(false);
  const [phase, setPhase] = useState<'confirm' | 'deleting' | 'done'>('confirm');
  const [progress, setProgress] = useState(0);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);

  // Count segments of manifests we have not inspected yet.
  useEffect(() => {
    // Also for manifests whose segment count is known: the delete plan says which containers lose objects.
    const todo = targets.filter((t) => t.kind !== 'plain').slice(0, INSPECT_LIMIT);
    if (todo.length === 0) return;
    let live = true;
    setCounting(true);
    void (async () => {
      for (const t of todo) {
        try {
          const r = await call('slo.inspect', { container: t.container, object: t.name });
          if (!live) return;
          setSegments((m) => new Map(m).set(t.name, r.kind === 'plain' ? 0 : r.segmentCount));
          if (r.deletePlan && r.kind !== 'plain') setPlans((m) => new Map(m).set(t.name, r.deletePlan!));
        } catch {
          /* counted as unknown; deletion reports what really happened */
        }
      }
      if (live) setCounting(false);
    })();
    return () => {
      live = false;
    };
  }, [targets]);

  const totalSegments = [...segments.values()].reduce((a, b) => a + b, 0);
  const uncounted = targets.filter((t) => t.kind !== 'plain' && !segments.has(t.name)).length;
  const single = targets.length === 1 ? targets[0]! : null;
  const byContainer = new Map<string, number>();
  const beyond = new Set<string>();
  for (const p of plans.values()) {
    for (const c of p.containers) byContainer.set(c.container, (byContainer.get(c.container) ?? 0) + c.objects);
    for (const c of p.beyondOwn) beyond.add(c);
  }

  let question: string;
  if (single) {
    const n = segments.get(single.name);
    question =
      n && n > 0 && !leaveSegments
        ? `Delete ${basename(single.name)} and its ${plural(n, 'segment')}?`
        : `Delete ${basename(single.name)}?`;
  } else {
    question =
      totalSegments > 0 && !leaveSegments
        ? `Delete ${formatCount(targets.length)} objects and their ${plural(totalSegments, 'segment')}?`
        : `Delete ${formatCount(targets.length)} objects?`;
  }

  const run = async () => {
    setPhase('deleting');
    const results: Outcome[] = [];
    for (const [i, t] of targets.entries()) {
      setProgress(i);
      try {
        const result = await call('objects.delete', { container: t.container, object: t.name, leaveSegments });
        results.push({ target: t, result });
      } catch (e) {
        results.push({ target: t, error: toErrorValue(e) });
      }
      setOutcomes([...results]);
    }
    setProgress(targets.length);
    setPhase('done');
    onDeleted(results.filter((r) => r.result).map((r) => r.target.name));
  };

  const failed = outcomes.filter((o) => o.error || (o.result && o.result.errors.length > 0)).length;

  return (
    <Modal
      title={phase === 'done' ? (failed ? 'Deleted with problems' : 'Deleted') : question}
      onClose={onClose}
      closable={phase !== 'deleting'}
      size="medium"
      footer={
        phase === 'confirm' ? (
          <>
            <button type="button" className="button" onClick={onClose} data-autofocus>
              Cancel
            </button>
            <button type="button" className="button danger" onClick={() => void run()}>
              Delete
            </button>
          </>
        ) : phase === 'deleting' ? (
          <span className="muted">
            <Spinner label="Deleting" /> Deleting {formatCount(Math.min(progress + 1, targets.length))} of {formatCount(targets.length)}…
          </span>
        ) : (
          <button type="button" className="button primary" onClick={onClose} ref={(el) => el?.focus()}>
            Done
          </button>
        )
      }
    >
      {phase === 'confirm' && (
        <>
          {single ? (
            <p>
              <code className="path">
                {single.container}/{single.name}
              </code>
            </p>
          ) : (
            <ul className="delete-list">
              {targets.slice(0, 8).map((t) => (
                <li key={t.name}>
                  <code className="path">{t.name}</code>
                  {segments.get(t.name) ? <span className="muted"> + {plural(segments.get(t.name)!, 'segment')}</span> : null}
                </li>
              ))}
              {targets.length > 8 && <li className="muted">…and {formatCount(targets.length - 8)} more</li>}
            </ul>
          )}
          {note && <p className="muted">{note}</p>}
          {counting && (
            <p className="muted">
              <Spinner label="Counting segments" /> Counting segments…
            </p>
          )}
          {!counting && uncounted > 0 && (
            <p className="muted">Segments of {plural(uncounted, 'other large object')} are deleted with their manifests too.</p>
          )}
          {!leaveSegments && byContainer.size > 1 && (
            <div className="delete-plan" aria-label="Objects deleted per container">
              <p className="muted small">Removes, by container:</p>
              <ul className="delete-list">
                {[...byContainer].map(([c, n]) => (
                  <li key={c}>
                    {plural(n, 'object')} in <code className="path">{c}</code>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {!leaveSegments && beyond.size > 0 && (
            <Callout kind="warning">
              Segments live in {[...beyond].join(', ')}, outside the object's container and its segment container: those objects are deleted too.
            </Callout>
          )}
          <label className="check-row">
            <input type="checkbox" checked={leaveSegments} onChange={(e) => setLeaveSegments(e.target.checked)} />
            Keep the segments (delete only the manifest)
          </label>
          {leaveSegments && totalSegments > 0 && (
            <Callout kind="warning">The segments stay in their container and keep using space until you delete them.</Callout>
          )}
          <p className="muted small">This cannot be undone.</p>
        </>
      )}
      {phase === 'deleting' && (
        <p className="muted">
          Deleting {targets.length === 1 ? basename(targets[0]!.name) : `${formatCount(targets.length)} objects`}
          {leaveSegments ? '' : ' with their segments'}. Swift removes segments in bulk requests; a manifest with thousands of segments can take a
          while.
        </p>
      )}
      {phase !== 'confirm' && outcomes.length > 0 && (
        <div className="delete-results" role="list" aria-label="Delete results">
          {outcomes.map((o) => (
            <div key={o.target.name} role="listitem" className="delete-result">
              <code className="path">{o.target.name}</code>
              {o.result && (
                <div className={o.result.errors.length ? 'text-danger' : 'text-ok'}>
                  {o.result.summary}
                  {o.result.errors.length > 0 && (
                    <ul>
                      {o.result.errors.slice(0, 20).map((er) => (
                        <li key={er.path}>
                          <code>{er.path}</code>: {er.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              )}
              {o.error && <ErrorCallout error={o.error} />}
            </div>
          ))}
        </div>
      )}
    </Modal>
  );
}
