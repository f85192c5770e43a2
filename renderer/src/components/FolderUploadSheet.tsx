// The plan sheet of a folder (or a mix of files and folders): one summary for the batch — how many files, how much,
// how many become SLOs, segment size, concurrency — the files with what each becomes, then the overwrite prompt for
// names that exist, and one transfer group.
import { useEffect, useState } from 'react';
import type { BatchPlan, ErrorValue, IfExists } from '../../../app/rpc/contract.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import type { FolderBatch } from '../rpc/folder-files.ts';
import { SIZE_UNITS, exactBytes, formatCount, humanBytes, joinSize, plural, splitSize, type SizeUnit } from '../lib/format.ts';
import { useTransfers } from '../stores/transfers.ts';
import { toast, useUi } from '../stores/ui.ts';
import { Callout, ErrorCallout, Modal, Spinner, Stat } from './common.tsx';
import { Icon } from './Icon.tsx';
import { OverwritePrompt } from './OverwritePrompt.tsx';

const SHOWN_FILES = 500;

export function FolderUploadSheet({ container, prefix, batch, onClose }: { container: string; prefix: string; batch: Promise<FolderBatch>; onClose: () => void }) {
  const [loaded, setLoaded] = useState<FolderBatch | null>(null);
  const [plan, setPlan] = useState<BatchPlan | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [segValue, setSegValue] = useState('');
  const [segUnit, setSegUnit] = useState<SizeUnit>('MiB');
  const [concurrency, setConcurrency] = useState('');
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    batch.then(
      (b) => live && setLoaded(b),
      (e: unknown) => live && setError(toErrorValue(e)),
    );
    return () => {
      live = false;
    };
  }, [batch]);

  const segmentSize = segValue !== '' && Number(segValue) > 0 ? joinSize(Number(segValue), segUnit) : undefined;
  const conc = concurrency !== '' && Number(concurrency) >= 1 ? Math.min(32, Math.round(Number(concurrency))) : undefined;
  const settings = { ...(segmentSize !== undefined ? { segmentSize } : {}), ...(conc !== undefined ? { concurrency: conc } : {}) };

  useEffect(() => {
    if (!loaded || loaded.entries.length === 0) return;
    let live = true;
    const t = setTimeout(() => {
      call('batch.plan', { container, prefix, files: loaded.entries.map((e) => ({ relPath: e.relPath, size: e.size })), ...settings }).then(
        (p) => {
          if (!live) return;
          setPlan(p);
          setError(null);
          if (segValue === '') {
            const s = splitSize(p.segmentSize);
            setSegValue(String(s.value));
            setSegUnit(s.unit);
          }
          if (concurrency === '') setConcurrency(String(p.concurrency));
        },
        (e: unknown) => live && setError(toErrorValue(e)),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
    // settings is derived from these; the plan is made again when one changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, container, prefix, segmentSize, conc]);

  const start = async (decisions: Record<string, IfExists>) => {
    if (!loaded) return;
    setAsking(false);
    setBusy(true);
    try {
      const r = await call('batch.upload', {
        container,
        prefix,
        label: loaded.label,
        files: loaded.entries.map((e) => ({ relPath: e.relPath, size: e.size, source: e.source })),
        decisions,
        ...settings,
      });
      const store = useTransfers.getState();
      for (const t of r.transfers) store.upsert(t);
      useUi.getState().showDock('transfers');
      if (r.skipped.length || r.renamed.length) {
        toast({
          kind: 'info',
          title: `Uploading ${plural(r.transfers.length, 'file')} of ${loaded.label}`,
          message: [r.skipped.length ? `${plural(r.skipped.length, 'existing name')} skipped.` : '', r.renamed.length ? `${plural(r.renamed.length, 'file')} kept beside the existing one under a new name.` : ''].filter(Boolean).join(' '),
        });
      }
      onClose();
    } catch (e) {
      setError(toErrorValue(e));
      setBusy(false);
    }
  };

  const count = loaded?.entries.length ?? 0;
  return (
    <Modal
      title={`Upload ${loaded ? loaded.label : 'folder'}`}
      onClose={onClose}
      size="large"
      className="upload-sheet folder-sheet"
      footer={
        <>
          <span className="footer-note muted">
            To <code>{container}/{prefix}</code>
          </span>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button primary" disabled={!plan || busy || count === 0} onClick={() => (plan?.conflicts.length ? setAsking(true) : void start({}))}>
            <Icon name="upload" /> {busy ? 'Starting…' : `Upload ${plural(count, 'file')}`}
          </button>
        </>
      }
    >
      {error && <ErrorCallout error={error} title="Cannot upload this folder" />}
      {!loaded && !error && (
        <p className="muted">
          <Spinner label="Reading the folder" /> Reading the folder…
        </p>
      )}
      {loaded && count === 0 && <Callout kind="warning">The folder holds no files.</Callout>}
      {loaded && loaded.skipped.length > 0 && <Callout kind="info">{plural(loaded.skipped.length, 'item')} left out: not regular files (symbolic links are not followed).</Callout>}
      {loaded && count > 0 && (
        <>
          <fieldset className="upload-settings">
            <legend className="sr-only">Upload settings</legend>
            <div className="field">
              <label htmlFor="batch-seg-size">Segment size</label>
              <div className="input-group">
                <input id="batch-seg-size" type="number" min={1} step="any" value={segValue} placeholder="auto" onChange={(e) => setSegValue(e.target.value)} />
                <select aria-label="Segment size unit" value={segUnit} onChange={(e) => setSegUnit(e.target.value as SizeUnit)}>
                  {SIZE_UNITS.map((u) => (
                    <option key={u.label}>{u.label}</option>
                  ))}
                </select>
              </div>
              <span className="hint">Files larger than this become SLOs</span>
            </div>
            <div className="field">
              <label htmlFor="batch-concurrency">Parallel segments</label>
              <input id="batch-concurrency" type="number" min={1} max={32} value={concurrency} placeholder="auto" onChange={(e) => setConcurrency(e.target.value)} />
              <span className="hint">per file; 3 files at once</span>
            </div>
          </fieldset>
          {plan ? <BatchSummary plan={plan} /> : !error && <p className="muted small"><Spinner label="Planning" /> Planning…</p>}
        </>
      )}
      {asking && plan && <OverwritePrompt container={container} conflicts={plan.conflicts} onDone={(d) => void start(d)} onCancel={() => setAsking(false)} />}
    </Modal>
  );
}

function BatchSummary({ plan }: { plan: BatchPlan }) {
  return (
    <div className="plan" role="group" aria-label="Batch plan">
      <div className="plan-stats">
        <Stat value={formatCount(plan.count)} label="files" />
        <Stat value={humanBytes(plan.totalBytes)} label="in total" title={exactBytes(plan.totalBytes)} />
        <Stat value={formatCount(plan.sloCount)} label="become SLOs" />
        <Stat value={humanBytes(plan.segmentSize)} label="segment size" title={exactBytes(plan.segmentSize)} />
        <Stat value={plan.concurrency} label="in parallel" />
        <Stat value={plan.segmentContainer} label="segment container" title={plan.segmentContainer} mono grow />
      </div>
      <p className="small">
        {plan.sloCount === 0
          ? `Every file is at most ${humanBytes(plan.segmentSize)}, so each goes up as one ordinary object (one PUT, its MD5 checked).`
          : `${plural(plan.sloCount, 'file')} larger than ${humanBytes(plan.segmentSize)} ${plan.sloCount === 1 ? 'goes' : 'go'} up as ${plan.sloCount === 1 ? 'an SLO' : 'SLOs'} in verified segments; the other ${formatCount(plan.count - plan.sloCount)} as ordinary objects, one PUT each.`}
      </p>
      {plan.conflicts.length > 0 && (
        <Callout kind="warning">
          {plural(plan.conflicts.length, 'name')} already {plan.conflicts.length === 1 ? 'exists' : 'exist'}; you will be asked whether to replace, keep both or skip.
        </Callout>
      )}
      {plan.warnings.map((w) => (
        <Callout kind="warning" key={w}>
          {w}
        </Callout>
      ))}
      <ul className="batch-files" aria-label="Files in this upload">
        {plan.items.slice(0, SHOWN_FILES).map((i) => (
          <li key={i.object}>
            <span className="mono batch-file-name" title={i.object}>
              {i.relPath}
            </span>
            <span className="muted">{humanBytes(i.size)}</span>
            <span className={`badge ${i.single ? 'kind-plain' : 'kind-slo'}`}>{i.single ? 'one PUT' : `SLO · ${plural(i.segmentCount, 'segment')}`}</span>
          </li>
        ))}
        {plan.items.length > SHOWN_FILES && <li className="muted">and {formatCount(plan.items.length - SHOWN_FILES)} more</li>}
      </ul>
    </div>
  );
}
