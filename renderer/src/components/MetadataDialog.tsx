// Every header of an object or a container, and an editor for its metadata (X-Object-Meta-* / X-Container-Meta-*),
// Content-Type, Content-Disposition and expiry (X-Delete-At). The cluster's limits are checked as the user types, with
// the same rules the service applies before it sends the POST.
import { useEffect, useId, useMemo, useState } from 'react';
import { metadataProblems, type ErrorValue, type MetadataChangeInput, type MetadataView } from '../../../app/rpc/contract.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import { useManifest } from '../stores/manifest.ts';
import { useObjOps } from '../stores/objops.ts';
import { toast } from '../stores/ui.ts';
import { Callout, ErrorCallout, HeaderTable, Modal, Spinner } from './common.tsx';
import { Icon } from './Icon.tsx';

type Row = { id: number; name: string; value: string };
/** Temp-URL keys arrive redacted and are managed in the Temp URL dialog. */
const isKey = (name: string) => /^temp-url-key(-2)?$/i.test(name);

let nextRow = 1;
const rowsOf = (meta: Record<string, string>): Row[] => Object.entries(meta).map(([name, value]) => ({ id: nextRow++, name, value }));

/** `datetime-local` value (local time) ↔ epoch seconds. */
function toLocalInput(epoch: number): string {
  const d = new Date(epoch * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const fromLocalInput = (s: string): number | null => (s ? Math.floor(new Date(s).getTime() / 1000) : null);

export function MetadataDialog({ container, object }: { container: string; object?: string | undefined }) {
  const close = useObjOps((s) => s.close);
  const [view, setView] = useState<MetadataView | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [saving, setSaving] = useState(false);
  const [rows, setRows] = useState<Row[]>([]);
  const [contentType, setContentType] = useState('');
  const [disposition, setDisposition] = useState('');
  const [expires, setExpires] = useState(false);
  const [expiry, setExpiry] = useState('');
  const problemsId = useId();
  const what = object === undefined ? `container ${container}` : `${container}/${object}`;

  useEffect(() => {
    let live = true;
    call('metadata.get', { container, ...(object !== undefined ? { object } : {}) })
      .then((v) => {
        if (!live) return;
        setView(v);
        setRows(rowsOf(v.metadata));
        setContentType(v.contentType ?? '');
        setDisposition(v.contentDisposition ?? '');
        setExpires(v.deleteAt !== undefined);
        setExpiry(v.deleteAt !== undefined ? toLocalInput(v.deleteAt) : toLocalInput(Math.floor(Date.now() / 1000) + 7 * 86400));
      })
      .catch((e: unknown) => live && setError(toErrorValue(e)));
    return () => {
      live = false;
    };
  }, [container, object]);

  const change = useMemo(() => (view ? changeOf(view, rows, contentType, disposition, expires ? fromLocalInput(expiry) : null) : null), [view, rows, contentType, disposition, expires, expiry]);
  const problems = useMemo(() => {
    if (!view || !change) return [];
    const names = rows.map((r) => r.name.trim().toLowerCase()).filter(Boolean);
    const twice = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))].map((n) => `The name "${n}" appears twice.`);
    return [...twice, ...metadataProblems(view.scope, view.metadata, change, view.limits, Math.floor(Date.now() / 1000))];
  }, [view, change, rows]);
  const dirty = change !== null && isChange(change);

  const save = async () => {
    if (!change) return;
    setSaving(true);
    setError(null);
    try {
      await call('metadata.set', { container, ...(object !== undefined ? { object } : {}), change });
      useObjOps.getState().markChanged();
      const viewing = useManifest.getState().target;
      if (object !== undefined && viewing?.container === container && viewing.object === object) void useManifest.getState().reload();
      toast({ kind: 'success', title: 'Metadata saved', message: what });
      close();
    } catch (e) {
      setError(toErrorValue(e));
    } finally {
      setSaving(false);
    }
  };

  const setRow = (id: number, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <Modal
      title={`Metadata of ${what}`}
      onClose={close}
      size="large"
      closable={!saving}
      footer={
        <>
          <button type="button" className="button" onClick={close} disabled={saving}>
            Cancel
          </button>
          <button type="button" className="button primary" disabled={!dirty || problems.length > 0 || saving} onClick={() => void save()} aria-describedby={problems.length ? problemsId : undefined}>
            {saving ? 'Saving…' : 'Save metadata'}
          </button>
        </>
      }
    >
      {!view && !error && (
        <p className="muted">
          <Spinner label="Reading headers" /> Reading the headers…
        </p>
      )}
      {error && <ErrorCallout error={error} title="Could not read or save the metadata" />}
      {view?.note && <Callout kind="warning">{view.note}</Callout>}
      {view && (
        <>
          <fieldset className="meta-items">
            <legend>{view.scope === 'object' ? 'X-Object-Meta-*' : 'X-Container-Meta-*'}</legend>
            <ul className="meta-rows" aria-label="Metadata items">
              {rows.map((r) => (
                <li key={r.id} className="field-row meta-row">
                  <input aria-label="Metadata name" placeholder="name" value={r.name} readOnly={isKey(r.name)} onChange={(e) => setRow(r.id, { name: e.target.value })} />
                  <input
                    aria-label={`Value of ${r.name || 'new item'}`}
                    placeholder="value"
                    value={r.value}
                    readOnly={isKey(r.name)}
                    title={isKey(r.name) ? 'A temp-URL key: manage it in the Temp URL dialog' : undefined}
                    onChange={(e) => setRow(r.id, { value: e.target.value })}
                  />
                  <button type="button" className="icon-button" aria-label={`Remove ${r.name || 'new item'}`} disabled={isKey(r.name)} onClick={() => setRows((rs) => rs.filter((x) => x.id !== r.id))}>
                    <Icon name="trash" />
                  </button>
                </li>
              ))}
            </ul>
            <button type="button" className="button" onClick={() => setRows((rs) => [...rs, { id: nextRow++, name: '', value: '' }])}>
              <Icon name="plus" /> Add item
            </button>
            <p className="muted small">
              Limits of this cluster: names up to {view.limits.maxNameLength} bytes, values up to {view.limits.maxValueLength}, at most {view.limits.maxCount} items and{' '}
              {view.limits.maxOverallSize} bytes in all.
            </p>
          </fieldset>
          {view.scope === 'object' && (
            <>
              <div className="field-row">
                <label className="field">
                  <span>Content-Type</span>
                  <input value={contentType} onChange={(e) => setContentType(e.target.value)} />
                </label>
                <label className="field">
                  <span>Content-Disposition</span>
                  <input value={disposition} placeholder='e.g. attachment; filename="report.pdf"' onChange={(e) => setDisposition(e.target.value)} />
                </label>
              </div>
              <div className="field-row">
                <label className="check-row">
                  <input type="checkbox" checked={expires} onChange={(e) => setExpires(e.target.checked)} /> Delete automatically at (X-Delete-At)
                </label>
                <label className="field">
                  <span className="sr-only">Expiry date</span>
                  <input type="datetime-local" aria-label="Expiry date" value={expiry} disabled={!expires} onChange={(e) => setExpiry(e.target.value)} />
                  {expires && fromLocalInput(expiry) !== null && <span className="hint">{new Date(fromLocalInput(expiry)! * 1000).toISOString()} (epoch {fromLocalInput(expiry)})</span>}
                </label>
              </div>
            </>
          )}
          {problems.length > 0 && (
            <div role="alert">
              <ul id={problemsId} className="field-error" aria-label="Problems">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          )}
          <details className="all-headers">
            <summary>All headers ({Object.keys(view.headers).length})</summary>
            <HeaderTable headers={view.headers} label="All headers" />
          </details>
        </>
      )}
    </Modal>
  );
}

/** What the form asks for compared with what Swift holds; names are case-insensitive (Swift returns them lower-case). */
function changeOf(view: MetadataView, rows: Row[], contentType: string, disposition: string, deleteAt: number | null): MetadataChangeInput {
  const set: Record<string, string> = {};
  const kept = new Set<string>();
  for (const r of rows) {
    const name = r.name.trim();
    if (name === '' && r.value === '') continue;
    kept.add(name.toLowerCase());
    if (view.metadata[name.toLowerCase()] !== r.value) set[name] = r.value;
  }
  const change: MetadataChangeInput = { set, remove: Object.keys(view.metadata).filter((k) => !kept.has(k)) };
  if (view.scope === 'container') return change;
  if (contentType !== (view.contentType ?? '')) change.contentType = contentType;
  if (disposition !== (view.contentDisposition ?? '')) change.contentDisposition = disposition === '' ? null : disposition;
  if (deleteAt !== (view.deleteAt ?? null)) change.deleteAt = deleteAt;
  return change;
}

function isChange(c: MetadataChangeInput): boolean {
  return Object.keys(c.set ?? {}).length > 0 || (c.remove ?? []).length > 0 || c.contentType !== undefined || c.contentDisposition !== undefined || c.deleteAt !== undefined;
}
