// The SLO composer: a target, an ordered list of entries (objects, byte ranges of them, inline data) that can be
// reordered by drag and drop or with the Move up/down buttons, and a live preview (compose.preview, debounced)
// with the total size, the segment count against the cluster's limit, the predicted SLO ETag and every problem.
// "Create SLO" writes it with compose.create; nothing is written before.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ComposePreview, Finding } from '../../../app/rpc/contract.ts';
import { basename, exactBytes, formatCount, humanBytes, plural } from '../lib/format.ts';
import { useBrowser } from '../stores/browser.ts';
import { entriesKey, rowLabel, useComposer, type ComposerRow } from '../stores/composer.ts';
import { useConnection } from '../stores/connection.ts';
import { showInViewer } from '../stores/doctor.ts';
import { Bytes, ErrorCallout, Modal, Spinner } from './common.tsx';
import { FindingItem, SeverityIcon } from './DoctorPanel.tsx';
import { Icon } from './Icon.tsx';

const DEBOUNCE_MS = 300;
/** One empty list for "no preview yet", so the memo below does not recompute on every render. */
const NO_FINDINGS: Finding[] = [];

/** The bytes each row contributes, from the preview's pieces (null where a row adds none because of a problem). */
function rowSizes(rows: readonly ComposerRow[], preview: ComposePreview): Array<number | null> | null {
  return preview.items.length === rows.length ? preview.items.map((it) => it.bytes) : null;
}

export function Composer() {
  const open = useComposer((s) => s.open);
  if (!open) return null;
  return <ComposerDialog />;
}

function ComposerDialog() {
  const mode = useComposer((s) => s.mode);
  const source = useComposer((s) => s.source);
  const container = useComposer((s) => s.container);
  const object = useComposer((s) => s.object);
  const rows = useComposer((s) => s.rows);
  const adding = useComposer((s) => s.adding);
  const preview = useComposer((s) => s.preview);
  const previewKey = useComposer((s) => s.previewKey);
  const previewing = useComposer((s) => s.previewing);
  const previewError = useComposer((s) => s.previewError);
  const creating = useComposer((s) => s.creating);
  const createError = useComposer((s) => s.createError);
  const result = useComposer((s) => s.result);
  const announcement = useComposer((s) => s.announcement);
  const { close, setTarget, runPreview, create } = useComposer.getState();
  const containers = useBrowser((s) => s.containers);
  const slo = useConnection((s) => s.current?.capabilities.slo ?? null);
  const listId = useId();

  const key = entriesKey({ rows, container, object });
  const current = preview !== null && previewKey === key;
  const stale = rows.length > 0 && previewKey !== key;

  // Live validation: preview whenever the entries or the target change, debounced.
  useEffect(() => {
    if (previewKey === key) return;
    const t = setTimeout(() => void runPreview(), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [key, previewKey, runPreview]);

  const problems = current ? preview.problems : NO_FINDINGS;
  const byRow = useMemo(() => {
    const m = new Map<number, Finding[]>();
    for (const p of problems) if (p.index !== null) m.set(p.index, [...(m.get(p.index) ?? []), p]);
    return m;
  }, [problems]);
  const general = problems.filter((p) => p.index === null || p.index >= rows.length);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const sizes = current ? rowSizes(rows, preview) : null;

  const targetOk = container.trim() !== '' && object.trim() !== '' && !container.includes('/');
  const canCreate = current && preview.ok && targetOk && !creating && !result && rows.length > 0;
  const title = mode === 'edit' && source ? `Edit manifest of ${basename(source.object)}` : 'Compose SLO';
  const createLabel = mode === 'edit' ? 'Save SLO' : 'Create SLO';

  const openViewer = () => {
    const r = result;
    close();
    if (r) void showInViewer(r.container, r.object);
  };

  let why = '';
  if (!targetOk) why = container.includes('/') ? 'A container name cannot contain "/".' : 'Name the container and object to write.';
  else if (rows.length === 0) why = 'Add at least one object.';
  else if (!current) why = 'Checking the entries…';
  else if (!preview.ok) why = `Fix ${plural(errors, 'problem')} first.`;

  return (
    <Modal
      title={title}
      onClose={close}
      closable={!creating}
      size="large"
      className="composer-modal"
      footer={
        <>
          <span className="footer-note muted" role="status">
            {result ? 'Written.' : creating ? '' : why || `Nothing is written until you ${mode === 'edit' ? 'save' : 'create'} it.`}
          </span>
          {result ? (
            <>
              <button type="button" className="button" onClick={close}>
                Close
              </button>
              <button type="button" className="button primary" onClick={openViewer} data-autofocus>
                <Icon name="eye" /> Open in manifest viewer
              </button>
            </>
          ) : (
            <>
              <button type="button" className="button" onClick={close} disabled={creating}>
                Cancel
              </button>
              <button type="button" className="button primary" onClick={() => void create()} disabled={!canCreate}>
                {creating ? <Spinner label="Writing the manifest" /> : <Icon name="layers" />} {creating ? 'Writing…' : createLabel}
              </button>
            </>
          )}
        </>
      }
    >
      <div className="composer">
        {result && (
          <div className="callout callout-success" role="status" aria-label="Compose result">
            <Icon name="check" className="callout-icon" />
            <div className="callout-text">
              <strong>
                {mode === 'edit' ? 'Saved' : 'Created'} {result.container}/{result.object}: an SLO of {plural(result.entries.length, 'entry', 'entries')},{' '}
                {humanBytes(result.size)}.
              </strong>
              <div className="etag-result">
                <span className="muted">SLO ETag</span> <code aria-label="Created SLO ETag">{result.etag}</code>
                <span className="match-badge match">
                  <Icon name="check" size={12} /> as predicted
                </span>
              </div>
            </div>
          </div>
        )}
        {createError && <ErrorCallout error={createError} title="Nothing was written" />}

        <div className="field-row composer-target">
          <label className="field">
            <span>Container</span>
            <input type="text" list={listId} value={container} onChange={(e) => setTarget({ container: e.target.value })} aria-invalid={container.includes('/')} spellCheck={false} />
            <datalist id={listId}>
              {containers.map((c) => (
                <option key={c.name} value={c.name} />
              ))}
            </datalist>
          </label>
          <label className="field grow">
            <span>Object name</span>
            <input
              type="text"
              value={object}
              placeholder="name of the SLO, e.g. movies/full.mkv"
              onChange={(e) => setTarget({ object: e.target.value })}
              spellCheck={false}
              data-autofocus={mode === 'new' ? true : undefined}
            />
          </label>
        </div>

        <PreviewStats preview={current ? preview : null} busy={previewing || stale} rows={rows.length} maxSegments={slo?.maxManifestSegments ?? null} maxManifest={slo?.maxManifestSize ?? null} />
        {previewError && <ErrorCallout error={previewError} title="Could not check the entries" />}

        <section className="composer-entries" aria-label="Entries">
          <div className="composer-entries-head">
            <h3>
              Entries <span className="muted">({formatCount(rows.length)})</span>
            </h3>
            <span className="muted small">The SLO's bytes follow this order. Drag a row, or use its arrows, to reorder.</span>
          </div>
          <EntryList rows={rows} sizes={sizes} byRow={byRow} />
          <AddControls container={container} busy={adding} />
        </section>

        {general.length > 0 && (
          <section className="composer-problems" aria-label="Problems">
            <h3>{errors ? plural(errors, 'problem') + ' to fix' : 'Notes'}</h3>
            <ul className="findings">
              {general.map((f, i) => (
                <FindingItem key={i} f={f} />
              ))}
            </ul>
          </section>
        )}
        <div className="sr-only" aria-live="polite">
          {announcement}
        </div>
      </div>
    </Modal>
  );
}

function PreviewStats({
  preview,
  busy,
  rows,
  maxSegments,
  maxManifest,
}: {
  preview: ComposePreview | null;
  busy: boolean;
  rows: number;
  maxSegments: number | null;
  maxManifest: number | null;
}) {
  const segs = preview ? preview.entries.filter((e) => 'path' in e).length : null;
  const inline = preview ? preview.entries.length - (segs ?? 0) : 0;
  const manifestBytes = preview ? new Blob([JSON.stringify(preview.entries)]).size : null;
  const errors = preview ? preview.problems.filter((p) => p.severity === 'error').length : 0;
  const warnings = preview ? preview.problems.filter((p) => p.severity === 'warning').length : 0;
  return (
    <div className="composer-stats plan-stats" role="group" aria-label="Preview">
      <div>
        <span className="stat-label">Total size</span>
        <span className="stat-value" aria-label="Total size" title={preview ? exactBytes(preview.size) : undefined}>
          {preview ? humanBytes(preview.size) : '—'}
        </span>
        <span className="stat-sub muted">{preview ? (preview.ok ? exactBytes(preview.size) : 'without the entries in error') : ' '}</span>
      </div>
      <div>
        <span className="stat-label">Segments</span>
        <span className="stat-value" aria-label="Segment count">
          {segs === null ? '—' : formatCount(segs)}
        </span>
        <span className={`stat-sub ${maxSegments !== null && segs !== null && segs > maxSegments ? 'text-danger' : 'muted'}`}>
          {inline > 0 ? `+ ${formatCount(inline)} inline · ` : ''}
          {maxSegments !== null ? `of at most ${formatCount(maxSegments)}` : ' '}
        </span>
      </div>
      <div className="grow">
        <span className="stat-label">Predicted SLO ETag</span>
        <span className="stat-value mono" aria-label="Predicted SLO ETag" title={preview?.ok ? preview.etag : undefined}>
          {preview?.ok && preview.etag ? preview.etag : '—'}
        </span>
        <span className="stat-sub muted">
          {preview && !preview.ok
            ? 'predicted once the problems are fixed'
            : manifestBytes !== null && maxManifest !== null
              ? `manifest ${humanBytes(manifestBytes)} of at most ${humanBytes(maxManifest)}`
              : ' '}
          {preview && preview.depth > 1 ? ` · nested ${preview.depth} levels` : ''}
        </span>
      </div>
      <div className="composer-status">
        {busy && rows > 0 ? (
          <span className="muted">
            <Spinner label="Checking" /> Checking…
          </span>
        ) : preview ? (
          preview.ok ? (
            <span className="text-ok status-line">
              <Icon name="check" /> {warnings ? `Valid, ${plural(warnings, 'warning')}` : 'Valid'}
            </span>
          ) : (
            <span className="text-danger status-line">
              <Icon name="alert" /> {plural(errors, 'problem')}
            </span>
          )
        ) : (
          <span className="muted">No entries yet</span>
        )}
      </div>
    </div>
  );
}

function EntryList({ rows, sizes, byRow }: { rows: ComposerRow[]; sizes: Array<number | null> | null; byRow: Map<number, Finding[]> }) {
  const { moveTo } = useComposer.getState();
  const [dragId, setDragId] = useState<number | null>(null);
  const [drop, setDrop] = useState<{ index: number; after: boolean } | null>(null);
  // After a keyboard move the row re-renders elsewhere: keep focus on the button that moved it.
  const refocus = useRef<{ id: number; dir: 'up' | 'down' } | null>(null);

  useEffect(() => {
    const r = refocus.current;
    if (!r) return;
    refocus.current = null;
    const want = document.getElementById(`entry-${r.id}-${r.dir}`) as HTMLButtonElement | null;
    const other = document.getElementById(`entry-${r.id}-${r.dir === 'up' ? 'down' : 'up'}`) as HTMLButtonElement | null;
    (want && !want.disabled ? want : other)?.focus();
  }, [rows]);

  if (rows.length === 0) {
    return (
      <div className="entry-empty muted">
        No entries yet. Add objects by path below, or select objects in the browser and choose <strong>Compose SLO…</strong>
      </div>
    );
  }

  const onDrop = (e: React.DragEvent, index: number) => {
    if (dragId === null) return;
    e.preventDefault();
    const after = drop?.index === index ? drop.after : false;
    const from = rows.findIndex((r) => r.id === dragId);
    let to = after ? index + 1 : index;
    if (from < to) to -= 1;
    moveTo(dragId, to);
    setDragId(null);
    setDrop(null);
  };

  return (
    <ol className={`entry-list ${dragId !== null ? 'dragging' : ''}`} aria-label="Manifest entries in order">
      {rows.map((r, i) => (
        <EntryRow
          key={r.id}
          row={r}
          index={i}
          count={rows.length}
          size={sizes?.[i] ?? null}
          problems={byRow.get(i) ?? []}
          dragging={dragId === r.id}
          dropMark={drop && drop.index === i && dragId !== null && dragId !== r.id ? (drop.after ? 'after' : 'before') : null}
          onMoved={(dir) => {
            refocus.current = { id: r.id, dir };
          }}
          drag={{
            onDragStart: (e) => {
              // Dragging inside a field selects or moves its text, not the row.
              if ((e.target as HTMLElement).closest?.('input, select, textarea, button')) {
                e.preventDefault();
                return;
              }
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('application/x-slo-entry', String(r.id));
              setDragId(r.id);
            },
            onDragOver: (e) => {
              if (dragId === null) return;
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
              const box = e.currentTarget.getBoundingClientRect();
              const after = e.clientY > box.top + box.height / 2;
              if (!drop || drop.index !== i || drop.after !== after) setDrop({ index: i, after });
            },
            onDrop: (e) => onDrop(e, i),
            onDragEnd: () => {
              setDragId(null);
              setDrop(null);
            },
          }}
        />
      ))}
    </ol>
  );
}

function EntryRow({
  row,
  index,
  count,
  size,
  problems,
  dragging,
  dropMark,
  onMoved,
  drag,
}: {
  row: ComposerRow;
  index: number;
  count: number;
  size: number | null;
  problems: Finding[];
  dragging: boolean;
  dropMark: 'before' | 'after' | null;
  onMoved: (dir: 'up' | 'down') => void;
  drag: Pick<React.HTMLAttributes<HTMLLIElement>, 'onDragStart' | 'onDragOver' | 'onDrop' | 'onDragEnd'>;
}) {
  const { move, remove, update } = useComposer.getState();
  const label = rowLabel(row, index);
  const worst = problems.some((p) => p.severity === 'error') ? 'error' : problems.some((p) => p.severity === 'warning') ? 'warning' : problems.length ? 'info' : '';
  const localBytes = row.kind === 'data' && row.encoding === 'utf8' ? new TextEncoder().encode(row.data).length : null;
  return (
    <li
      className={`entry-row ${worst ? `entry-${worst}` : ''} ${dragging ? 'is-dragging' : ''} ${dropMark ? `drop-${dropMark}` : ''}`}
      aria-label={`Entry ${index}: ${label}`}
      draggable
      onPointerDown={(e) => {
        // Chromium would drag the whole row instead of selecting text in its fields: not draggable while a
        // pointer is down in one.
        if (!(e.target as HTMLElement).closest('input, select')) return;
        const li = e.currentTarget;
        li.draggable = false;
        window.addEventListener('pointerup', () => (li.draggable = true), { once: true });
      }}
      {...drag}
    >
      <div className="entry-line">
        <span className="drag-handle" title="Drag to reorder" aria-hidden="true">
          <svg width="10" height="16" viewBox="0 0 10 16" fill="currentColor">
            <circle cx="3" cy="4" r="1.2" />
            <circle cx="7" cy="4" r="1.2" />
            <circle cx="3" cy="8" r="1.2" />
            <circle cx="7" cy="8" r="1.2" />
            <circle cx="3" cy="12" r="1.2" />
            <circle cx="7" cy="12" r="1.2" />
          </svg>
        </span>
        <span className="entry-index" title="Entry number as Swift counts it (from 0)">
          {index}
        </span>
        {row.kind === 'path' ? (
          <>
            <span className="entry-path" title={row.path}>
              <Icon name="file" size={14} className="row-icon" />{' '}
              <code className="ellipsis-start">
                <span>
                  <bdi>{row.path}</bdi>
                </span>
              </code>
            </span>
            <input
              type="text"
              className="entry-range"
              value={row.range}
              placeholder="whole object"
              aria-label={`Byte range of ${label}`}
              title='Optional byte range: "first-last", "first-" or "-count"'
              spellCheck={false}
              onChange={(e) => update(row.id, { range: e.target.value })}
            />
          </>
        ) : (
          <>
            <span className="entry-path entry-data">
              <span className="badge subtle">data</span>
              <input
                type="text"
                value={row.data}
                placeholder="inline text"
                aria-label={`Inline data of entry ${index}`}
                spellCheck={false}
                onChange={(e) => update(row.id, { data: e.target.value })}
              />
            </span>
            <select className="entry-range" value={row.encoding} aria-label={`Encoding of entry ${index}`} onChange={(e) => update(row.id, { encoding: e.target.value as 'utf8' | 'base64' })}>
              <option value="utf8">text</option>
              <option value="base64">base64</option>
            </select>
          </>
        )}
        <span className="entry-size num">{size !== null ? <Bytes n={size} /> : localBytes !== null ? <Bytes n={localBytes} /> : <span className="muted">—</span>}</span>
        <span className="entry-actions">
          <button
            type="button"
            id={`entry-${row.id}-up`}
            className="icon-button tiny"
            aria-label={`Move ${label} up`}
            title="Move up"
            disabled={index === 0}
            onClick={() => {
              onMoved('up');
              move(row.id, -1);
            }}
          >
            <Icon name="chevronUp" size={14} />
          </button>
          <button
            type="button"
            id={`entry-${row.id}-down`}
            className="icon-button tiny"
            aria-label={`Move ${label} down`}
            title="Move down"
            disabled={index === count - 1}
            onClick={() => {
              onMoved('down');
              move(row.id, 1);
            }}
          >
            <Icon name="chevronDown" size={14} />
          </button>
          <button type="button" className="icon-button tiny danger-hover" aria-label={`Remove ${label}`} title="Remove" onClick={() => remove(row.id)}>
            <Icon name="x" size={14} />
          </button>
        </span>
      </div>
      {problems.length > 0 && (
        <ul className="entry-problems">
          {problems.map((p, k) => (
            <li key={k} className={`sev-${p.severity}`}>
              <SeverityIcon severity={p.severity} />
              <span>
                {p.message}
                {p.suggestion && <span className="muted"> — {p.suggestion}</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function AddControls({ container, busy }: { container: string; busy: boolean }) {
  const browsing = useBrowser((s) => s.container);
  const { addPath, addPrefix, addData } = useComposer.getState();
  const base = (container.trim() || browsing || '').replace(/\/+$/, '');
  const [value, setValue] = useState(base ? `${base}/` : '');
  const [touched, setTouched] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  // Follow the target container until the user types here.
  useEffect(() => {
    if (!touched) setValue(base ? `${base}/` : '');
  }, [base, touched]);

  const rest = (v: string) => v.slice(0, v.lastIndexOf('/') + 1);
  const named = value.trim() !== '' && !value.trim().endsWith('/');

  const add = () => {
    if (!named) return;
    addPath(value);
    setValue(rest(value.trim()));
    inputRef.current?.focus();
  };

  return (
    <div className="composer-add">
      <input
        ref={inputRef}
        type="text"
        value={value}
        aria-label="Path or prefix to add (container/object)"
        placeholder="container/object"
        spellCheck={false}
        onChange={(e) => {
          setTouched(true);
          setValue(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
      />
      <button type="button" className="button" onClick={add} disabled={!named}>
        <Icon name="plus" /> Add object
      </button>
      <button type="button" className="button" disabled={busy || !value.trim()} onClick={() => void addPrefix(value)} title="Adds every object whose name starts with this prefix, in listing order">
        {busy ? <Spinner label="Listing" /> : <Icon name="folder" />} Add everything under prefix
      </button>
      <button
        type="button"
        className="button"
        onClick={() => {
          addData();
          requestAnimationFrame(() => document.querySelector<HTMLInputElement>('.entry-row:last-child .entry-data input')?.focus());
        }}
      >
        <Icon name="edit" /> Add inline data
      </button>
    </div>
  );
}
