// One row for a batch (a folder up or down): files done of all, bytes, one progress bar, and pause/resume/cancel for
// the whole group; the per-file rows fold out beneath it.
import { memo, useState } from 'react';
import type { TransferInfo } from '../../../app/rpc/contract.ts';
import { call } from '../rpc/client.ts';
import { basename, exactBytes, humanBytes, plural } from '../lib/format.ts';
import { ACTIVE_STATES, FINISHED_STATES, useTransfers } from '../stores/transfers.ts';
import { reportError } from '../stores/ui.ts';
import { ErrorCallout, ProgressBar } from './common.tsx';
import { Icon } from './Icon.tsx';
import { SegmentGrid } from './SegmentGrid.tsx';

type Action = 'pause' | 'resume' | 'cancel' | 'dismiss';

async function act(group: string, action: Action, members: TransferInfo[]): Promise<void> {
  try {
    const { transfers } = await call('transfers.group', { group, action });
    const store = useTransfers.getState();
    if (action === 'dismiss') {
      const kept = new Set(transfers.map((t) => t.id));
      const gone = members.filter((m) => !kept.has(m.id)).map((m) => m.id);
      useTransfers.setState((s) => {
        const byId = { ...s.byId };
        for (const id of gone) delete byId[id];
        return { byId, order: s.order.filter((id) => !gone.includes(id)) };
      });
    }
    for (const t of transfers) store.upsert(t);
  } catch (e) {
    reportError(`Could not ${action} the batch`, e);
  }
}

function summaryState(members: TransferInfo[]): string {
  const n = (s: TransferInfo['state']) => members.filter((m) => m.state === s).length;
  if (members.some((m) => m.state === 'running' || m.state === 'finishing')) return 'Running';
  if (n('queued')) return 'Queued';
  if (n('interrupted')) return 'Interrupted';
  if (n('paused')) return 'Paused';
  if (n('failed')) return 'Failed';
  if (n('cancelled') === members.length) return 'Cancelled';
  return 'Done';
}

export const TransferGroup = memo(function TransferGroup({ members }: { members: TransferInfo[] }) {
  const [open, setOpen] = useState(false);
  const first = members[0]!;
  const group = first.group!;
  const label = first.groupLabel ?? group;
  const upload = first.direction === 'upload';
  const total = members.reduce((s, m) => s + m.totalBytes, 0);
  const done = members.reduce((s, m) => s + (m.state === 'done' ? m.totalBytes : m.doneBytes), 0);
  const files = members.length === 1 && !upload && first.segments.length > 0 ? first.segments.length : members.length;
  const filesDone = members.length === 1 && !upload ? [...first.segments].filter((c) => c === 'v').length : members.filter((m) => m.state === 'done').length;
  const failed = members.filter((m) => m.state === 'failed');
  const pct = total > 0 ? Math.min(100, (done / total) * 100) : filesDone === files ? 100 : 0;
  const state = summaryState(members);
  const anyActive = members.some((m) => ACTIVE_STATES.has(m.state) && m.state !== 'paused');
  const canResume = members.some((m) => m.state === 'paused' || m.state === 'interrupted' || m.state === 'failed');
  const allFinished = members.every((m) => FINISHED_STATES.has(m.state));
  const name = `${upload ? 'upload' : 'download'} of ${label}`;

  return (
    <li className={`transfer transfer-group state-${state.toLowerCase()}`} aria-label={`${upload ? 'Upload' : 'Download'} of ${label}`}>
      <div className="transfer-main">
        <Icon name={upload ? 'upload' : 'download'} className={`transfer-dir ${first.direction}`} />
        <div className="transfer-title">
          <span className="transfer-name">
            <Icon name="folder" size={14} /> {first.container}/{label}
          </span>
          <span className="transfer-local muted">
            {filesDone} of {plural(files, 'file')} {upload ? 'uploaded' : 'downloaded'}
            {failed.length > 0 ? `, ${failed.length} failed` : ''}
          </span>
        </div>
        <span className={`state-pill state-${state.toLowerCase()}`}>{state}</span>
        <div className="transfer-actions">
          {anyActive && first.downloadUrl === undefined && (
            <button type="button" className="icon-button" aria-label={`Pause ${name}`} title="Pause all" onClick={() => void act(group, 'pause', members)}>
              <Icon name="pause" />
            </button>
          )}
          {canResume && (
            <button type="button" className="icon-button" aria-label={`Resume ${name}`} title="Resume all" onClick={() => void act(group, 'resume', members)}>
              <Icon name="play" />
            </button>
          )}
          {!allFinished && (
            <button type="button" className="icon-button" aria-label={`Cancel ${name}`} title="Cancel all" onClick={() => void act(group, 'cancel', members)}>
              <Icon name="stop" />
            </button>
          )}
          {allFinished && (
            <button type="button" className="icon-button" aria-label={`Dismiss ${name}`} title="Dismiss" onClick={() => void act(group, 'dismiss', members)}>
              <Icon name="x" />
            </button>
          )}
        </div>
      </div>
      <div className="transfer-progress">
        <ProgressBar label={`Progress of ${label}`} pct={pct} detail={`${filesDone} of ${files} files, ${humanBytes(done)} of ${humanBytes(total)}`} />
        <div className="transfer-stats">
          <span title={`${exactBytes(done)} of ${exactBytes(total)}`}>
            {humanBytes(done)} of {humanBytes(total)}
          </span>
          <span>{Math.round(pct)}%</span>
          {members.length > 1 && (
            <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
              {open ? 'Hide files' : `Show ${plural(members.length, 'file')}`}
            </button>
          )}
        </div>
      </div>
      {members.length === 1 && first.segments.length > 1 && <SegmentGrid states={first.segments} id={first.id} />}
      {members.length === 1 && first.result && (
        <div className={`transfer-result ${first.result.verified ? 'text-ok' : 'text-warning'}`}>
          <Icon name={first.result.verified ? 'check' : 'alert'} size={14} /> {first.result.message}
        </div>
      )}
      {failed.slice(0, 3).map((m) => m.error && <ErrorCallout key={m.id} error={m.error} title={`${basename(m.object)} failed`} />)}
      {open && (
        <ul className="group-files" aria-label={`Files of ${label}`}>
          {members.map((m) => (
            <FileRow key={m.id} t={m} />
          ))}
        </ul>
      )}
    </li>
  );
});

const FileRow = memo(function FileRow({ t }: { t: TransferInfo }) {
  const pct = t.totalBytes > 0 ? Math.round(Math.min(100, (t.doneBytes / t.totalBytes) * 100)) : t.state === 'done' ? 100 : 0;
  return (
    <li className={`group-file state-${t.state}`} aria-label={t.object}>
      <span className="mono group-file-name" title={t.local}>
        {t.object}
      </span>
      <span className="muted">{humanBytes(t.totalBytes)}</span>
      <span className={`state-pill state-${t.state}`}>{t.state === 'done' ? (t.result?.verified ? 'Verified' : 'Done') : t.state[0]!.toUpperCase() + t.state.slice(1)}</span>
      <span className="muted">{pct}%</span>
    </li>
  );
});
