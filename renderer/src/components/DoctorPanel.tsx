// The manifest doctor: a verdict, every finding grouped by manifest entry (severity, message, what to do), the
// manifest a fix would write — as a table and as JSON, with what changes highlighted — and "Fix it", which asks
// first and replaces the object only once Swift has accepted the new manifest.
import { Fragment, useMemo, type ReactNode } from 'react';
import type { DoctorReport, Finding, ManifestEntry } from '../../../app/rpc/contract.ts';
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

/** The core's texts name the command line (`slo doctor c/o --fix`); here the same thing is a button. */
function guiText(text: string): string {
  return text
    .replace(/`slo doctor [^`]*--drop-missing[^`]*`/g, '“Fix it…” with “Leave out entries whose segment cannot be found”')
    .replace(/Run `slo doctor [^`]*--fix[^`]*`/g, 'Use “Fix it…”')
    .replace(/`slo doctor [^`]*--fix[^`]*`/g, '“Fix it…”')
    .replace(/ with --drop-missing\.$/, ' with the option below.');
}

/** Text from the core with `command` spans rendered as code. */
export function RichText({ text }: { text: string }) {
  const parts = guiText(text).split('`');
  return <>{parts.map((p, i) => (i % 2 === 1 ? <code key={i}>{p}</code> : <Fragment key={i}>{p}</Fragment>))}</>;
}

export function FindingItem({ f }: { f: Finding }) {
  return (
    <li className={`finding sev-${f.severity}`} aria-label={`${SEVERITY_LABEL[f.severity]} ${f.code}`}>
      <SeverityIcon severity={f.severity} />
      <div className="finding-text">
        <div className="finding-message">
          <RichText text={f.message} /> <span className="badge subtle finding-code">{f.code}</span>
        </div>
        {f.suggestion && (
          <div className="finding-suggestion">
            <Icon name="chevronRight" size={12} /> <span><RichText text={f.suggestion} /></span>
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

// ---------- what the fix changes (parsed from fixPlan.notes) ----------

interface Change {
  index: number;
  field: string;
  from: string | null;
  to: string;
}

interface Plan {
  changes: Change[];
  dropped: Map<number, string>;
  other: string[];
}

function parsePlan(notes: readonly string[]): Plan {
  const plan: Plan = { changes: [], dropped: new Map(), other: [] };
  for (const n of notes) {
    let m = /^entry (\d+): (path|etag|size_bytes|range) (.+?) → (.+)$/.exec(n);
    if (m) {
      plan.changes.push({ index: Number(m[1]), field: m[2]!, from: m[3]!, to: m[4]! });
      continue;
    }
    m = /^entry (\d+): (etag|size_bytes|range) set to (.+)$/.exec(n);
    if (m) {
      plan.changes.push({ index: Number(m[1]), field: m[2]!, from: null, to: m[3]! });
      continue;
    }
    m = /^entry (\d+): left out \((.+)\)$/.exec(n);
    if (m) {
      plan.dropped.set(Number(m[1]), m[2]!);
      continue;
    }
    plan.other.push(n);
  }
  return plan;
}

interface Row {
  /** Entry number in the manifest as written (what findings count). */
  index: number;
  entry: ManifestEntry | null;
  dropped?: string;
  changes: Map<string, Change>;
}

/** Lines up the proposed manifest with the original entry numbers (dropped entries leave gaps). */
function planRows(manifest: readonly ManifestEntry[], plan: Plan): Row[] {
  const rows: Row[] = [];
  let k = 0;
  const total = manifest.length + plan.dropped.size;
  for (let i = 0; i < total; i++) {
    const changes = new Map(plan.changes.filter((c) => c.index === i).map((c) => [c.field, c]));
    if (plan.dropped.has(i)) rows.push({ index: i, entry: null, dropped: plan.dropped.get(i)!, changes });
    else rows.push({ index: i, entry: manifest[k++] ?? null, changes });
  }
  return rows;
}

function dataBytes(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - pad;
}

function Changed({ change, children }: { change: Change | undefined; children: ReactNode }) {
  if (!change) return <>{children}</>;
  return (
    <span className="diff-cell" title={change.from === null ? 'added by the fix' : `was ${change.from}`}>
      {change.from !== null && <del className="diff-old">{change.from}</del>}
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
                  <del className="diff-old">left out</del> <span className="muted">({r.dropped})</span>
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

function literal(field: string, raw: string): string {
  // Old values come from the plan's notes as plain text: sizes are numbers, everything else a string.
  if (field === 'size_bytes' && /^\d+$/.test(raw)) return raw;
  if (raw === 'null') return raw;
  return JSON.stringify(raw);
}

function diffLines(rows: Row[]): DiffLine[] {
  const out: DiffLine[] = [{ kind: ' ', text: '[' }];
  const live = rows.filter((r) => r.entry);
  let seen = 0;
  for (const r of rows) {
    if (!r.entry) {
      out.push({ kind: '-', text: `  { … entry ${r.index}, left out: ${r.dropped} },` });
      continue;
    }
    seen++;
    const last = seen === live.length;
    const keys = Object.keys(r.entry) as Array<keyof typeof r.entry>;
    out.push({ kind: ' ', text: '  {' });
    keys.forEach((k, j) => {
      const comma = j < keys.length - 1 ? ',' : '';
      const value = JSON.stringify(r.entry![k]);
      const c = r.changes.get(k);
      if (c && c.from !== null) out.push({ kind: '-', text: `    ${JSON.stringify(k)}: ${literal(k, c.from)}${comma}` });
      out.push({ kind: c ? '+' : ' ', text: `    ${JSON.stringify(k)}: ${value}${comma}` });
    });
    out.push({ kind: ' ', text: `  }${last ? '' : ','}` });
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
  const notSlo = report.findings.some((f) => f.code === 'not-an-slo');
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
        <p>
          <RichText text={report.summary} />
        </p>
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

  const plan = useMemo(() => (report?.fixPlan ? parsePlan(report.fixPlan.notes) : null), [report]);
  const rows = useMemo(() => (report?.manifest && plan ? planRows(report.manifest, plan) : null), [report, plan]);
  const hasErrors = !!report?.findings.some((f) => f.severity === 'error');
  const canFix = !!report?.manifest && hasErrors && !fixed;
  const missingBlocks = !!report?.fixBlocked && /cannot be found/.test(report.fixBlocked);
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
                title={canFix ? 'Write the proposed manifest as a real SLO (asks first)' : report?.fixBlocked ?? (hasErrors ? 'No automatic fix' : 'Nothing to fix')}
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
            <strong>No automatic fix yet.</strong> <RichText text={report.fixBlocked} />
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
              {plan && plan.changes.length > 0 ? (
                <span className="muted">{plural(plan.changes.length, 'change')} from what was written, highlighted below.</span>
              ) : (
                <span className="muted">The entries stay as written.</span>
              )}
            </p>
            <ProposedTable rows={rows} />
            {plan && plan.other.length > 0 && (
              <ul className="plan-notes">
                {plan.other.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            )}
            <ManifestDiff rows={rows} manifest={report.manifest} name={`Proposed manifest JSON for ${name}`} />
          </section>
        )}
      </div>
      {confirming && report && <FixConfirm report={report} />}
    </Modal>
  );
}
