// The short sheet between a drop and an upload: the plan (segments, sub-manifests, warnings) with the
// target name, segment size, concurrency and segment container editable.
import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import type { ErrorValue, IfExists, NameConflict, UploadPlan } from '../../../app/rpc/contract.ts';
import { call, toErrorValue } from '../rpc/client.ts';
import type { LocalFile } from '../rpc/files.ts';
import { SIZE_UNITS, exactBytes, formatCount, humanBytes, joinSize, plural, splitSize, type SizeUnit } from '../lib/format.ts';
import { useConnection } from '../stores/connection.ts';
import { useTransfers } from '../stores/transfers.ts';
import { reportError } from '../stores/ui.ts';
import { Bytes, Callout, ErrorCallout, Modal, Spinner, Stat } from './common.tsx';
import { OverwritePrompt } from './OverwritePrompt.tsx';
import { Icon } from './Icon.tsx';

interface Item {
  file: LocalFile;
  object: string;
  plan: UploadPlan | null;
  planError: ErrorValue | null;
  planning: boolean;
  /** Segment it even though it fits in one segment (the plan sheet's "Upload as SLO anyway"). */
  asSlo: boolean;
}

export function UploadSheet({ container, prefix, files, onClose }: { container: string; prefix: string; files: LocalFile[]; onClose: () => void }) {
  const caps = useConnection((s) => s.current?.capabilities);
  const upload = useTransfers((s) => s.upload);
  const [items, setItems] = useState<Item[]>(() =>
    files.map((file) => ({ file, object: prefix + file.name, plan: null, planError: null, planning: file.size !== null, asSlo: false })),
  );
  const [segValue, setSegValue] = useState<string>('');
  const [segUnit, setSegUnit] = useState<SizeUnit>('MiB');
  const [segTouched, setSegTouched] = useState(false);
  // Read when a plan answer arrives, not when it was asked: a value typed meanwhile must not be overwritten.
  const touchedNow = useRef({ seg: false, conc: false });
  const [concurrency, setConcurrency] = useState<string>('');
  const [maxConcurrency, setMaxConcurrency] = useState<string>('');
  const [segmentContainer, setSegmentContainer] = useState('');
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState<NameConflict[] | null>(null);

  const segmentSize = segTouched && segValue !== '' && Number(segValue) > 0 ? joinSize(Number(segValue), segUnit) : undefined;
  const conc = concurrency !== '' && Number(concurrency) >= 1 ? Math.min(32, Math.round(Number(concurrency))) : undefined;
  const maxConc = maxConcurrency !== '' && Number(maxConcurrency) >= 1 ? Math.min(32, Math.round(Number(maxConcurrency))) : undefined;
  const segCont = segmentContainer.trim() || undefined;
  const names = items.map((i) => `${i.object}${i.asSlo ? '\u0001' : ''}`).join('\u0000');

  // (Re)plan whenever an input changes, debounced; the plan reads the rows and fields as they are when it fires.
  const planAll = useEffectEvent((live: () => boolean) => {
    setItems((prev) => prev.map((i) => (i.file.size === null ? i : { ...i, planning: true })));
    void Promise.all(
      items.map(async (item, idx) => {
        if (item.file.size === null || !item.object) return;
        try {
          const plan = await call('transfers.planUpload', {
            container,
            object: item.object,
            size: item.file.size,
            ...(segmentSize !== undefined ? { segmentSize } : {}),
            ...(conc !== undefined ? { concurrency: conc } : {}),
            ...(segCont ? { segmentContainer: segCont } : {}),
            ...(item.asSlo ? { asSlo: true } : {}),
            ...(maxConc !== undefined ? { maxConcurrency: maxConc } : {}),
          });
          if (!live()) return;
          setItems((prev) => prev.map((p, j) => (j === idx ? { ...p, plan, planError: null, planning: false } : p)));
          if (idx === 0 && !touchedNow.current.seg) {
            const s = splitSize(plan.segmentSize);
            setSegValue(String(s.value));
            setSegUnit(s.unit);
          }
          if (idx === 0 && !touchedNow.current.conc) setConcurrency((c) => (c === '' ? String(plan.concurrency) : c));
        } catch (e) {
          if (!live()) return;
          setItems((prev) => prev.map((p, j) => (j === idx ? { ...p, plan: null, planError: toErrorValue(e), planning: false } : p)));
        }
      }),
    );
  });
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => planAll(() => live), 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [container, names, segmentSize, conc, segCont, maxConc]);

  const duplicates = useMemo(() => {
    const seen = new Set<string>();
    const dup = new Set<string>();
    for (const i of items) {
      if (seen.has(i.object)) dup.add(i.object);
      seen.add(i.object);
    }
    return dup;
  }, [items]);

  const totalBytes = items.reduce((a, i) => a + (i.file.size ?? 0), 0);
  const invalid = items.some((i) => !i.object || i.object.length > 1024 || duplicates.has(i.object));
  const minSeg = caps?.slo?.minSegmentSize;

  // Names that exist already go through the overwrite prompt first.
  const start = async () => {
    setBusy(true);
    try {
      const { conflicts } = await call('objects.conflicts', { container, objects: items.map((i) => i.object) });
      if (conflicts.length) return setAsking(conflicts);
    } catch (e) {
      setBusy(false);
      return void reportError('Could not check whether the names exist', e);
    }
    await send({});
  };

  const send = async (decisions: Record<string, IfExists>) => {
    setAsking(null);
    for (const item of items) {
      const choice = decisions[item.object];
      if (choice === 'skip') continue;
      await upload({
        source: item.file.source,
        container,
        object: choice === 'keep-both' ? (asking?.find((c) => c.object === item.object)?.keepBoth ?? item.object) : item.object,
        ...(segmentSize !== undefined ? { segmentSize } : {}),
        ...(conc !== undefined ? { concurrency: conc } : {}),
        ...(segCont ? { segmentContainer: segCont } : {}),
        ...(item.asSlo ? { asSlo: true } : {}),
        ...(maxConc !== undefined ? { maxConcurrency: maxConc } : {}),
      });
    }
    setBusy(false);
    onClose();
  };

  return (
    <Modal
      title={`Upload ${items.length === 1 ? items[0]!.file.name : plural(items.length, 'file')}`}
      onClose={onClose}
      size="large"
      className="upload-sheet"
      footer={
        <>
          <span className="footer-note muted">
            To <code>{container}/{prefix}</code> · {humanBytes(totalBytes)}
          </span>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button primary" disabled={invalid || busy || items.length === 0} onClick={() => void start()}>
            <Icon name="upload" /> {busy ? 'Starting…' : items.length === 1 ? 'Upload' : `Upload ${items.length} files`}
          </button>
        </>
      }
    >
      <fieldset className="upload-settings">
        <legend className="sr-only">Upload settings</legend>
        <div className="field">
          <label htmlFor="seg-size">Segment size</label>
          <div className="input-group">
            <input
              id="seg-size"
              type="number"
              min={1}
              step="any"
              value={segValue}
              placeholder="auto"
              onChange={(e) => {
                setSegTouched(true);
                touchedNow.current.seg = true;
                setSegValue(e.target.value);
              }}
            />
            <select
              aria-label="Segment size unit"
              value={segUnit}
              onChange={(e) => {
                setSegTouched(true);
                touchedNow.current.seg = true;
                setSegUnit(e.target.value as SizeUnit);
              }}
            >
              {SIZE_UNITS.map((u) => (
                <option key={u.label}>{u.label}</option>
              ))}
            </select>
          </div>
          {minSeg !== undefined && <span className="hint">Cluster minimum {humanBytes(minSeg)}</span>}
        </div>
        <div className="field">
          <label htmlFor="concurrency">Parallel segments</label>
          <input id="concurrency" type="number" min={1} max={32} value={concurrency} placeholder="auto" onChange={(e) => {
                touchedNow.current.conc = true;
                setConcurrency(e.target.value);
              }} />
          <span className="hint">1–32 uploads at once</span>
        </div>
        <div className="field">
          <label htmlFor="max-concurrency">Up to</label>
          <input id="max-concurrency" type="number" min={1} max={32} value={maxConcurrency} placeholder="fixed" onChange={(e) => setMaxConcurrency(e.target.value)} />
          <span className="hint">more while throughput grows (WAN)</span>
        </div>
        <div className="field grow">
          <label htmlFor="seg-container">Segment container</label>
          <input
            id="seg-container"
            value={segmentContainer}
            placeholder={items[0]?.plan?.segmentContainer ?? `${container}_segments`}
            spellCheck={false}
            onChange={(e) => setSegmentContainer(e.target.value)}
          />
          <span className="hint">Leave empty for the default</span>
        </div>
      </fieldset>

      {asking && (
        <OverwritePrompt
          container={container}
          conflicts={asking}
          onDone={(d) => void send(d)}
          onCancel={() => {
            setAsking(null);
            setBusy(false);
          }}
        />
      )}
      <div className="upload-items">
        {items.map((item, idx) => (
          <div className="upload-item" key={item.file.key}>
            <div className="upload-item-head">
              <Icon name="file" />
              <span className="upload-file-name" title={item.file.source.kind === 'path' ? item.file.source.path : item.file.name}>
                {item.file.name}
              </span>
              <Bytes n={item.file.size} className="muted" />
              {items.length > 1 && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove ${item.file.name} from this upload`}
                  onClick={() => setItems((prev) => prev.filter((_, j) => j !== idx))}
                >
                  <Icon name="x" size={14} />
                </button>
              )}
            </div>
            <label className="field">
              <span>Object name{items.length > 1 ? ` for ${item.file.name}` : ''}</span>
              <input
                className="mono"
                value={item.object}
                spellCheck={false}
                aria-invalid={!item.object || duplicates.has(item.object)}
                onChange={(e) => {
                  const v = e.target.value;
                  setItems((prev) => prev.map((p, j) => (j === idx ? { ...p, object: v } : p)));
                }}
              />
            </label>
            {duplicates.has(item.object) && <div className="field-error">Two files would get the same object name.</div>}
            <PlanSummary item={item} onAsSlo={(asSlo) => setItems((prev) => prev.map((p, j) => (j === idx ? { ...p, asSlo } : p)))} />
          </div>
        ))}
      </div>
    </Modal>
  );
}

function PlanSummary({ item, onAsSlo }: { item: Item; onAsSlo: (asSlo: boolean) => void }) {
  if (item.file.size === null) {
    return <p className="muted small">The size is read when the upload starts; the plan is made then.</p>;
  }
  if (item.planError) return <ErrorCallout error={item.planError} title="Cannot plan this upload" />;
  const p = item.plan;
  if (!p) {
    return (
      <p className="muted small">
        <Spinner label="Planning" /> Planning…
      </p>
    );
  }
  return (
    <div className="plan" aria-label={`Upload plan for ${item.object}`} role="group">
      {p.single ? (
        <div className="plan-line">
          <span className="badge kind-plain">plain object</span>
          <span>
            {p.size === 0
              ? 'An empty file is uploaded as an ordinary (plain) object.'
              : `Not an SLO: at ${humanBytes(p.size)} it is no larger than the segment size (${humanBytes(p.segmentSize)}), so it is uploaded as one ordinary (plain) object, without segments or a manifest.`}
          </span>
        </div>
      ) : (
        <div className="plan-stats">
          <Stat value={formatCount(p.segmentCount)} label="segments" />
          <Stat value={humanBytes(p.segmentSize)} label="each" title={exactBytes(p.segmentSize)} />
          <Stat value={p.concurrency} label={p.maxConcurrency > p.concurrency ? `in parallel, up to ${p.maxConcurrency}` : 'in parallel'} />
          <Stat value={p.subManifests > 0 ? formatCount(p.subManifests) : '—'} label="sub-manifests" />
          <Stat value={p.segmentContainer} label="segment container" title={p.segmentContainer} mono grow />
        </div>
      )}
      {p.size > 0 && (p.single || item.asSlo) && (
        <label className="check-row">
          <input type="checkbox" checked={item.asSlo} onChange={(e) => onAsSlo(e.target.checked)} />
          Upload as SLO anyway
          <span className="muted small">— one segment, or several with a smaller segment size above</span>
        </label>
      )}
      {p.subManifests > 0 && (
        <Callout kind="info">
          {formatCount(p.segmentCount)} segments exceed the cluster's per-manifest limit, so they are grouped into {plural(p.subManifests, 'sub-manifest')} under one
          top manifest (a nested SLO).
        </Callout>
      )}
      {p.warnings.map((w) => (
        <Callout kind="warning" key={w}>
          {w}
        </Callout>
      ))}
    </div>
  );
}
