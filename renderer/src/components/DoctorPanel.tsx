// The manifest doctor: a verdict, every finding grouped by manifest entry (severity, message, what to do), the
// manifest a fix would write — as a table and as JSON, with what changes highlighted — and "Fix it", which asks
// first and replaces the object only once Swift has accepted the new manifest.
import { useMemo, type ReactNode } from 'react';
import type { DoctorReport, Finding, FindingAction, FixStep, JsonValue, ManifestEntry } from '../../../app/rpc/contract.ts';
import { basename, exactBytes, humanBytes, plural } from '../lib/format.ts';
import { useDoctor } from '../stores/doctor.ts';
import { copyText } from '../stores/transcript.ts';
import { toast } from '../stores/ui.ts';
import { Bytes, Callout, ErrorCallout, KindBadge, Modal, Spinner } from './common.tsx';
import { Icon } from './Icon.tsx';

const SEVERITY_LABEL: Record<Finding['severity'], string> = { error: 'Error', warning: 'Warning', info: 'Info' };

export function SeverityIcon({ severity }: { severity: Finding['severity'] }) {
  return (
    <span className={`sev-icon sev-${severity}`} title={SEVERITY_LABEL[severity]}>
      <Icon name={severity === 'error' ? 'x' : severity === 'warning' ? 'alert' : 'info'} size={12} />
      <span className="sr-only">{SEVERITY_LABEL[severity]}:</span>
    </span>
  );
}

/** What a finding's action is called here (the CLI names its command instead). */
function actionHint(action: FindingAction, old: JsonValue | undefined): string {
  if (action === 'doctor-fix') return 'Use “Fix it…” below.';
  if (action === 'doctor-fix-drop-missing') return 'Use “Fix it…” with “Leave out entries whose segment cannot be found”.';
  return typeof old === 'string' ? `Select the objects under ${old} and choose “Compose SLO…”.` : 'Compose an SLO of its segments.';
}

export function FindingItem({ f }: { f: Finding }) {
  return (
    <li className={`finding sev-${f.severity}`} aria-label={`${SEVERITY_LABEL[f.severity]} ${f.code}`}>
      <SeverityIcon severity={f.severity} />
      <div className="finding-text">
        <div className="finding-message">
          {f.message} <span className="badge subtle finding-code">{f.code}</span>
        </div>
        {(f.suggestion || f.action) && (
          <div className="finding-suggestion">
            <Icon name="chevronRight" size={12} />{' '}
            <span>
              {f.suggestion}
              {f.action && <> {actionHint(f.action, f.old)}</>}
            </span>
          </div>
        )}
      </div>
    </li>
  );
}

function counts(findings: readonly Finding[]) {
  return {
    error: findings.filter((f) => f.severity === 'error').length,
    warning: findings.filter((f) => f.severity === 'warning').length,
    info: findings.filter((f) => f.severity === 'info').length,
  };
}

// ---------- what the fix changes (fixPlan.steps) ----------

interface Row {
  /** Entry number in the manifest as written (what findings count). */
  index: number;
  entry: ManifestEntry | null;
  /** Why the entry is left out, when it is. */
  dropped?: string;
  /** The steps of this entry by field (set-value), renamed keys by their new name, removed keys. */
  changes: Map<string, FixStep>;
  renames: Map<string, FixStep>;
  removed: FixStep[];
}

/** Lines up the proposed manifest with the original entry numbers (dropped entries leave gaps). */
function planRows(manifest: readonly ManifestEntry[], steps: readonly FixStep[]): Row[] {
  const rows: Row[] = [];
  const dropped = new Map(steps.filter((s) => s.action === 'drop-entry').map((s) => [s.index, s.message]));
  let k = 0;
  for (let i = 0; i < manifest.length + dropped.size; i++) {
    const mine = steps.filter((s) => s.index === i);
    const row: Row = {
      index: i,
      entry: dropped.has(i) ? null : (manifest[k++] ?? null),
      changes: new Map(mine.filter((s) => s.action === 'set-value' && s.field).map((s) => [s.field!, s])),
      renames: new Map(mine.filter((s) => s.action === 'rename-key' && s.field).map((s) => [s.field!, s])),
      removed: mine.filter((s) => s.action === 'remove-key'),
    };
    if (dropped.has(i)) row.dropped = dropped.get(i)!;
    rows.push(row);
  }
  return rows;
}

/** A value as it reads in the table: strings bare, everything else as JSON. */
function shown(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function dataBytes(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - pad;
}

function Changed({ change, children }: { change: FixStep | undefined; children: ReactNode }) {
  if (!change) return <>{children}</>;
  const added = change.old === undefined;
  return (
    <span className="diff-cell" title={added ? 'added by the fix' : `was ${shown(change.old)}`}>
      {!added && <del className="diff-old">{shown(change.old)}</del>}
      <ins className="diff-new">{children}</ins>
    </span>
  );
}

function ProposedTable({ rows }: { rows: Row[] }) {
  return (
    <table className="doctor-table" aria-label="Proposed manifest entries">
      <thead>
        <tr>
          <th className="num">#</th>
          <th>Path</th>
          <th className="num">Size</th>
          <th>ETag</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          if (!r.entry) {
            return (
              <tr key={r.index} className="row-dropped">
                <td className="num">{r.index}</td>
                <td colSpan={3}>
                  <del className="diff-old">left out</del> <span className="muted">{r.dropped}</span>
                </td>
              </tr>
            );
          }
          const e = r.entry;
          if ('data' in e) {
            return (
              <tr key={r.index}>
                <td className="num">{r.index}</td>
                <td className="muted">inline data</td>
                <td className="num">
                  <Bytes n={dataBytes(e.data)} />
                </td>
                <td className="muted">—</td>
              </tr>
            );
          }
          return (
            <tr key={r.index} className={r.changes.size ? 'row-changed' : ''}>
              <td className="num">{r.index}</td>
              <td className="mono">
                <Changed change={r.changes.get('path')}>{e.path}</Changed>
                {e.range && (
                  <span className="muted">
                    {' '}
                    [<Changed change={r.changes.get('range')}>{e.range}</Changed>]
                  </span>
                )}
              </td>
              <td className="num">
                <Changed change={r.changes.get('size_bytes')}>
                  <span title={exactBytes(e.size_bytes ?? null)}>{e.size_bytes ?? '—'}</span>
                </Changed>
              </td>
              <td className="mono">
                <Changed change={r.changes.get('etag')}>{e.etag ?? 'null'}</Changed>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

type DiffLine = { kind: ' ' | '+' | '-'; text: string };

/** One entry's lines: each key as written (its real spelling and value) against what the fix writes. */
function entryLines(r: Row, last: boolean): DiffLine[] {
  const out: DiffLine[] = [{ kind: ' ', text: '  {' }];
  const keys = Object.keys(r.entry!) as Array<keyof ManifestEntry>;
  // Commas as each side has them: the fix's keys end at its last key, the written ones after any removed key.
  const written = keys.length + r.removed.length;
  keys.forEach((k, j) => {
    const value = (r.entry as Record<string, JsonValue>)[k];
    const set = r.changes.get(k);
    const rename = r.renames.get(k);
    if (rename || (set && set.old !== undefined)) {
      out.push({ kind: '-', text: `    ${JSON.stringify(rename?.key ?? k)}: ${JSON.stringify(set ? set.old : value)}${j < written - 1 ? ',' : ''}` });
    }
    out.push({ kind: set || rename ? '+' : ' ', text: `    ${JSON.stringify(k)}: ${JSON.stringify(value)}${j < keys.length - 1 ? ',' : ''}` });
  });
  r.removed.forEach((s, j) => out.push({ kind: '-', text: `    ${JSON.stringify(s.key)}: ${JSON.stringify(s.old ?? null)}${keys.length + j < written - 1 ? ',' : ''}` }));
  out.push({ kind: ' ', text: `  }${last ? '' : ','}` });
  return out;
}

function diffLines(rows: Row[]): DiffLine[] {
  const out: DiffLine[] = [{ kind: ' ', text: '[' }];
  const live = rows.filter((r) => r.entry);
  let seen = 0;
  for (const r of rows) {
    if (!r.entry) out.push({ kind: '-', text: `  { … entry ${r.index}, ${r.dropped} },` });
    else out.push(...entryLines(r, ++seen === live.length));
  }
  out.push({ kind: ' ', text: ']' });
  return out;
}

function ManifestDiff({ rows, manifest, name }: { rows: Row[]; manifest: readonly ManifestEntry[]; name: string }) {
  const lines = useMemo(() => diffLines(rows), [rows]);
  const text = useMemo(() => JSON.stringify(manifest, null, 2), [manifest]);
  return (
    <div className="json-wrap doctor-json">
      <div className="json-toolbar">
        <span className="muted small">
          <span className="diff-key diff-key-del">−</span> as written <span className="diff-key diff-key-add">+</span> as the fix writes it
        </span>
        <button
          type="button"
          className="button small"
          onClick={() => void copyText(text).then((ok) => toast(ok ? { kind: 'success', title: 'Copied the proposed manifest' } : { kind: 'error', title: 'Clipboard unavailable' }))}
        >
          <Icon name="copy" size={12} /> Copy JSON
        </button>
      </div>
      <pre className="json json-diff" tabIndex={0} aria-label={name}>
        {lines.map((l, i) => (
          <span key={i} className={`diff-line ${l.kind === '+' ? 'diff-add' : l.kind === '-' ? 'diff-del' : ''}`}>
            <span className="diff-mark" aria-hidden="true">
              {l.kind}
            </span>
            {l.kind === '+' && <span className="sr-only">added: </span>}
            {l.kind === '-' && <span className="sr-only">removed: </span>}
            {l.text}
            {'\n'}
          </span>
        ))}
      </pre>
    </div>
  );
}

// ---------- the panel ----------

function Verdict({ report, fixedEtag }: { report: DoctorReport; fixedEtag?: string | undefined }) {
  const c = counts(report.findings);
  const tone = c.error ? 'error' : c.warning ? 'warning' : 'ok';
  // A plain object has errors only when its body is a manifest (stored as data by a misspelled query).
  const notSlo = report.kind === 'plain' && c.error > 0;
  const title = fixedEtag
    ? 'Fixed: now a valid SLO'
    : c.error
      ? notSlo
        ? 'Not an SLO — a manifest stored as ordinary data'
        : `${plural(c.error, 'problem')} Swift would refuse or serve wrongly`
      : c.warning
        ? 'Works, with warnings'
        : report.isSlo
          ? 'A healthy SLO'
          : 'Nothing wrong found';
  return (
    <div className={`doctor-verdict verdict-${fixedEtag ? 'ok' : tone}`} role="status" aria-label="Verdict">
      <span className="verdict-icon" aria-hidden="true">
        <Icon name={tone === 'ok' || fixedEtag ? 'check' : tone === 'warning' ? 'alert' : 'x'} size={20} />
      </span>
      <div className="verdict-text">
        <strong>{title}</strong>
        <p>{report.summary}</p>
        <div className="verdict-meta">
          <KindBadge kind={report.kind} />
          {report.size !== null && <Bytes n={report.size} />}
          <span className={c.error ? 'text-danger' : 'muted'}>{plural(c.error, 'error')}</span>
          <span className={c.warning ? 'text-warning' : 'muted'}>{plural(c.warning, 'warning')}</span>
          <span className="muted">{plural(c.info, 'note')}</span>
        </div>
      </div>
    </div>
  );
}

function Findings({ report, rows }: { report: DoctorReport; rows: Row[] | null }) {
  const groups = useMemo(() => {
    const m = new Map<number | null, Finding[]>();
    for (const f of report.findings) {
      const list = m.get(f.index) ?? [];
      list.push(f);
      m.set(f.index, list);
    }
    return [...m.entries()].sort((a, b) => (a[0] ?? -1) - (b[0] ?? -1));
  }, [report.findings]);
  if (groups.length === 0) return <p className="muted">No findings.</p>;
  return (
    <div className="finding-groups">
      {groups.map(([index, list]) => {
        const label = index === null ? 'The object' : `Entry ${index}`;
        const row = index !== null ? rows?.find((r) => r.index === index) : undefined;
        const worst = list.some((f) => f.severity === 'error') ? 'error' : list.some((f) => f.severity === 'warning') ? 'warning' : 'info';
        return (
          <section key={index ?? 'object'} className={`finding-group worst-${worst}`} aria-label={label}>
            <h4>
              {label}
              {row?.entry && 'path' in row.entry && <code className="muted">{row.entry.path}</code>}
              <span className="finding-count muted">{plural(list.length, 'finding')}</span>
            </h4>
            <ul className="findings">
              {list.map((f, i) => (
                <FindingItem key={i} f={f} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

function FixConfirm({ report }: { report: DoctorReport }) {
  const fixing = useDoctor((s) => s.fixing);
  const { cancelFix, fix } = useDoctor.getState();
  const entries = report.manifest?.length ?? 0;
  const dropped = report.fixPlan?.dropped.length ?? 0;
  const name = basename(report.object);
  return (
    <Modal
      title={`Replace ${name} with a valid SLO?`}
      onClose={cancelFix}
      closable={!fixing}
      size="small"
      className="doctor-confirm"
      footer={
        fixing ? (
          <span className="muted">
            <Spinner label="Writing the manifest" /> Writing the manifest…
          </span>
        ) : (
          <>
            <button type="button" className="button" onClick={cancelFix} data-autofocus>
              Cancel
            </button>
            <button type="button" className="button primary" onClick={() => void fix()}>
              <Icon name="check" /> Replace with SLO
            </button>
          </>
        )
      }
    >
      <p>
        SLO Studio will PUT the proposed manifest — {plural(entries, 'entry', 'entries')}, {humanBytes(report.fixPlan?.size)}, SLO ETag{' '}
        <code>{report.fixPlan?.etag}</code> — to{' '}
        <code className="path">
          {report.container}/{report.object}?multipart-manifest=put
        </code>
        .
      </p>
      <p>
        <strong>The original object is replaced only after Swift accepts the new manifest.</strong> Swift checks every segment's size and ETag
        against it; if it refuses (for example because a segment changed since this report), {name} is left exactly as it was.
      </p>
      {dropped > 0 && (
        <Callout kind="warning">
          {plural(dropped, 'entry', 'entries')} whose segment cannot be found will be left out, so the SLO will be shorter than the manifest
          intended.
        </Callout>
      )}
      <p className="muted small">User metadata (X-Object-Meta-*) is kept. The segments themselves are not touched.</p>
    </Modal>
  );
}

export function DoctorPanel() {
  const target = useDoctor((s) => s.target);
  if (!target) return null;
  return <DoctorDialog />;
}

function DoctorDialog() {
  const target = useDoctor((s) => s.target)!;
  const report = useDoctor((s) => s.report);
  const loading = useDoctor((s) => s.loading);
  const error = useDoctor((s) => s.error);
  const dropMissing = useDoctor((s) => s.dropMissing);
  const confirming = useDoctor((s) => s.confirming);
  const fixing = useDoctor((s) => s.fixing);
  const fixError = useDoctor((s) => s.fixError);
  const fixed = useDoctor((s) => s.fixed);
  const after = useDoctor((s) => s.after);
  const { close, rerun, setDropMissing, askFix, openInViewer } = useDoctor.getState();

  const steps = report?.fixPlan?.steps ?? null;
  const rows = useMemo(() => (report?.manifest && steps ? planRows(report.manifest, steps) : null), [report, steps]);
  const hasErrors = !!report?.findings.some((f) => f.severity === 'error');
  const canFix = !!report?.manifest && hasErrors && !fixed;
  const missingBlocks = !!report?.fixBlocked?.dropMissingHelps;
  const shown = fixed ? after : report;
  const name = basename(target.object);

  return (
    <Modal
      title={
        <>
          Doctor: <span className="mono-title">{target.container}/{target.object}</span>
        </>
      }
      onClose={close}
      closable={!fixing}
      size="large"
      className="doctor-modal"
      footer={
        <>
          <span className="footer-note muted">{fixed ? 'The object was replaced.' : 'Nothing is written until you confirm a fix.'}</span>
          <button type="button" className="button" onClick={() => void rerun()} disabled={loading || fixing}>
            {loading && report ? <Spinner label="Examining" /> : <Icon name="refresh" />} Re-run
          </button>
          {fixed ? (
            <>
              <button type="button" className="button" onClick={close}>
                Close
              </button>
              <button type="button" className="button primary" onClick={openInViewer} data-autofocus>
                <Icon name="eye" /> Open in manifest viewer
              </button>
            </>
          ) : (
            <>
              <button type="button" className="button" onClick={close} disabled={fixing}>
                Close
              </button>
              <button
                type="button"
                className="button primary"
                onClick={askFix}
                disabled={!canFix || loading || fixing}
                title={canFix ? 'Write the proposed manifest as a real SLO (asks first)' : report?.fixBlocked?.message ?? (hasErrors ? 'No automatic fix' : 'Nothing to fix')}
              >
                <Icon name="shield" /> Fix it…
              </button>
            </>
          )}
        </>
      }
    >
      <div className="doctor" aria-busy={loading}>
        {loading && !report && (
          <div className="viewer-loading">
            <Spinner label="Examining" /> Examining {name}: reading the manifest and checking every segment…
          </div>
        )}
        {error && <ErrorCallout error={error} title={`Could not examine ${target.container}/${target.object}`} />}
        {fixed && (
          <div className="callout callout-success" role="status" aria-label="Fix result">
            <Icon name="check" className="callout-icon" />
            <div className="callout-text">
              <strong>Swift accepted the new manifest: {name} is now a Static Large Object.</strong>
              <div>{fixed.message}</div>
              {fixed.etag && (
                <div className="etag-result">
                  <span className="muted">New SLO ETag</span> <code aria-label="New SLO ETag">{fixed.etag}</code>
                </div>
              )}
            </div>
          </div>
        )}
        {fixError && <ErrorCallout error={fixError} title={`${name} was not changed`} />}
        {fixed && !after && (
          <p className="muted">
            <Spinner label="Checking again" /> Checking the new SLO…
          </p>
        )}
        {shown && (
          <>
            <Verdict report={shown} fixedEtag={fixed && after ? fixed.etag : undefined} />
            <section className="doctor-section" aria-label="Findings">
              <h3>{fixed ? 'The object now' : 'Findings'}</h3>
              <Findings report={shown} rows={fixed ? null : rows} />
            </section>
          </>
        )}
        {report && !fixed && report.fixBlocked && (
          <Callout kind="warning">
            <strong>No automatic fix yet.</strong> {report.fixBlocked.message}
          </Callout>
        )}
        {report && !fixed && (missingBlocks || dropMissing) && (
          <label className="check-row drop-missing">
            <input type="checkbox" checked={dropMissing} disabled={loading} onChange={(e) => void setDropMissing(e.target.checked)} />
            Leave out entries whose segment cannot be found (the SLO will be shorter)
          </label>
        )}
        {report && !fixed && report.manifest && rows && (
          <section className="doctor-section" aria-label="Proposed fix">
            <h3>Proposed fix</h3>
            <p className="doctor-plan-line">
              A valid SLO of {plural(report.manifest.length, 'entry', 'entries')}: <strong>{humanBytes(report.fixPlan?.size)}</strong>
              <span className="muted"> ({exactBytes(report.fixPlan?.size)})</span>, SLO ETag <code>{report.fixPlan?.etag}</code>.{' '}
              {steps && steps.length > 0 ? (
                <span className="muted">{plural(steps.length, 'change')} from what was written, highlighted below.</span>
              ) : (
                <span className="muted">The entries stay as written.</span>
              )}
            </p>
            <ProposedTable rows={rows} />
            <ManifestDiff rows={rows} manifest={report.manifest} name={`Proposed manifest JSON for ${name}`} />
          </section>
        )}
      </div>
      {confirming && report && <FixConfirm report={report} />}
    </Modal>
  );
}
