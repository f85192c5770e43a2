// Transfers: progress, rate, ETA, per-segment grid, pause/resume/cancel/dismiss, verified results.
import { memo } from 'react';
import type { TransferInfo } from '../../../app/rpc/contract.ts';
import { basename, exactBytes, formatDuration, formatRate, humanBytes, plural } from '../lib/format.ts';
import { ACTIVE_STATES, FINISHED_STATES, useTransfers } from '../stores/transfers.ts';
import { useManifest } from '../stores/manifest.ts';
import { EmptyState, ErrorCallout, ProgressBar } from './common.tsx';
import { Icon } from './Icon.tsx';
import { SegmentGrid } from './SegmentGrid.tsx';
import { TransferGroup } from './TransferGroup.tsx';

const STATE_LABEL: Record<TransferInfo['state'], string> = {
  queued: 'Queued',
  running: 'Running',
  paused: 'Paused',
  finishing: 'Finishing',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export function TransfersPanel() {
  const order = useTransfers((s) => s.order);
  const byId = useTransfers((s) => s.byId);
  const dismissFinished = useTransfers((s) => s.dismissFinished);
  const list = order.map((id) => byId[id]).filter((t): t is TransferInfo => !!t);
  const interrupted = list.filter((t) => t.state === 'interrupted');
  const finished = list.filter((t) => FINISHED_STATES.has(t.state)).length;
  // Interrupted first (they want a decision), then active, then finished.
  const rank = (t: TransferInfo) => (t.state === 'interrupted' ? 0 : ACTIVE_STATES.has(t.state) ? 1 : 2);
  const sorted = [...list].sort((a, b) => rank(a) - rank(b));
  // A batch shows as one row at the place of its first member.
  const groups = new Map<string, TransferInfo[]>();
  for (const t of sorted) if (t.group) groups.set(t.group, [...(groups.get(t.group) ?? []), t]);

  if (list.length === 0) {
    return (
      <div className="panel-empty">
        <EmptyState icon="upload" title="No transfers">
          Drop files onto the object list to upload them; downloads show up here too.
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="transfers">
      {(interrupted.length > 0 || finished > 0) && (
        <div className="transfers-head">
          {interrupted.length > 0 && (
            <span className="text-warning">
              <Icon name="alert" size={14} /> {plural(interrupted.length, 'unfinished transfer')} from an earlier session can be resumed.
            </span>
          )}
          <span className="toolbar-spacer" />
          {finished > 0 && (
            <button type="button" className="button small" onClick={() => void dismissFinished()}>
              Clear finished ({finished})
            </button>
          )}
        </div>
      )}
      <ul className="transfer-list" aria-label="Transfers">
        {sorted.map((t) =>
          !t.group ? <TransferRow key={t.id} t={t} /> : groups.get(t.group)![0] === t ? <TransferGroup key={t.group} members={groups.get(t.group)!} /> : null,
        )}
      </ul>
    </div>
  );
}

// Memoized: transfer.update events replace one TransferInfo at a time, so only that row re-renders.
const TransferRow = memo(function TransferRow({ t }: { t: TransferInfo }) {
  const { pause, resume, cancel, dismiss } = useTransfers.getState();
  const pct = t.totalBytes > 0 ? Math.min(100, (t.doneBytes / t.totalBytes) * 100) : t.state === 'done' ? 100 : 0;
  const verb = t.direction === 'upload' ? 'upload' : 'download';
  const name = basename(t.object);
  const active = ACTIVE_STATES.has(t.state);
  const canPause = t.state === 'running' || t.state === 'queued';
  const canResume = t.state === 'paused' || t.state === 'interrupted' || (t.state === 'failed' && t.segments.length > 0);
  const canCancel = active || t.state === 'interrupted';
  const canDismiss = FINISHED_STATES.has(t.state);

  return (
    <li className={`transfer state-${t.state}`} aria-label={`${t.direction === 'upload' ? 'Upload' : 'Download'} of ${t.object}`}>
      <div className="transfer-main">
        <Icon name={t.direction === 'upload' ? 'upload' : 'download'} className={`transfer-dir ${t.direction}`} />
        <div className="transfer-title">
          <button
            type="button"
            className="link-button transfer-name"
            title={`Inspect ${t.container}/${t.object}`}
            disabled={t.state !== 'done'}
            onClick={() => void useManifest.getState().open(t.container, t.object)}
          >
            {t.container}/{t.object}
          </button>
          <span className="transfer-local muted" title={t.local}>
            {t.direction === 'upload' ? 'from' : 'to'} {t.local}
          </span>
        </div>
        <span className={`state-pill state-${t.state}`}>{STATE_LABEL[t.state]}</span>
        <div className="transfer-actions">
          {canPause && (
            <button type="button" className="icon-button" aria-label={`Pause ${verb} of ${name}`} title="Pause" onClick={() => void pause(t.id)}>
              <Icon name="pause" />
            </button>
          )}
          {canResume && (
            <button type="button" className="icon-button" aria-label={`Resume ${verb} of ${name}`} title="Resume" onClick={() => void resume(t.id)}>
              <Icon name="play" />
            </button>
          )}
          {canCancel && (
            <button type="button" className="icon-button" aria-label={`Cancel ${verb} of ${name}`} title="Cancel" onClick={() => void cancel(t.id)}>
              <Icon name="stop" />
            </button>
          )}
          {canDismiss && (
            <button type="button" className="icon-button" aria-label={`Dismiss ${verb} of ${name}`} title="Dismiss" onClick={() => void dismiss(t.id)}>
              <Icon name="x" />
            </button>
          )}
        </div>
      </div>
      <div className="transfer-progress">
        <ProgressBar label={`Progress of ${name}`} pct={pct} detail={`${humanBytes(t.doneBytes)} of ${humanBytes(t.totalBytes)}`} />
        <div className="transfer-stats">
          <span title={`${exactBytes(t.doneBytes)} of ${exactBytes(t.totalBytes)}`}>
            {humanBytes(t.doneBytes)} of {humanBytes(t.totalBytes)}
          </span>
          <span>{Math.round(pct)}%</span>
          {t.state === 'running' && <span>{formatRate(t.rateBps)}</span>}
          {t.state === 'running' && t.etaSeconds !== null && <span>ETA {formatDuration(t.etaSeconds)}</span>}
          {t.state === 'running' && t.concurrency !== undefined && t.segments.length > 1 && <span title="segments in flight now">{t.concurrency} in parallel</span>}
          {t.segments.length > 0 && t.segmentCount === undefined && <span>{plural(t.segments.length, 'segment')} of {humanBytes(t.segmentSize)}</span>}
          {t.segmentCount !== undefined && <span title="each cell of the map below stands for a run of segments">{plural(t.segmentCount, 'segment')}</span>}
          {t.resentBytes > 0 && <span title={exactBytes(t.resentBytes)}>{humanBytes(t.resentBytes)} re-sent</span>}
        </div>
      </div>
      {t.segments.length > 1 && <SegmentGrid states={t.segments} id={t.id} />}
      {t.result && (
        <div className={`transfer-result ${t.result.verified ? 'text-ok' : 'text-warning'}`}>
          <Icon name={t.result.verified ? 'check' : 'alert'} size={14} /> {t.result.message || (t.result.verified ? 'verified ✓' : 'not verified')}
          <code className="muted small" title="ETag">
            {t.result.etag}
          </code>
        </div>
      )}
      {t.error && <ErrorCallout error={t.error} />}
    </li>
  );
});
